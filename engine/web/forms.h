// What a browser sends: form bodies (application/x-www-form-urlencoded and multipart/form-data
// with files), query strings with "+" for spaces, and cookies. Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace docket::web {

struct FormFile {
  std::string field;      // the input's name
  std::string file_name;  // as the browser named it (without a path)
  std::string media_type;
  std::string content;
};

struct Form {
  std::map<std::string, std::string> values;         // the last value of each name
  std::vector<FormFile> files;                       // inputs of type file that carried a file
  std::string value(const std::string& name) const;  // empty when absent
  // The file the input `name` carried; null when it carried none (or one without a name).
  const FormFile* file(const std::string& name) const;
};

// Parses a request body by its Content-Type. An empty body is an empty form. Errors:
// invalid_argument naming what is malformed (bad percent-encoding, a multipart body without its
// boundary or cut short, text that is not UTF-8), unsupported media types included.
Result<Form> parse_form(std::string_view content_type, std::string_view body);

// A query string ("a=1&b=x+y") decoded as a form. Malformed pairs are left out.
std::map<std::string, std::string> parse_query(std::string_view query);

// `text` percent-encoded for a URL's path, query or a header's filename* (RFC 8187).
std::string url_encode(std::string_view text);

// The cookies of a Cookie header ("a=1; b=2"), by name.
std::map<std::string, std::string> parse_cookies(std::string_view header);

}  // namespace docket::web
