#include "web/forms.h"

#include <boost/beast/core/string.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/params_encoded_view.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "core/text.h"
#include "server/api_types.h"

namespace docket::web {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// The value of `parameter` in a header value like `form-data; name="x"; filename="a.pdf"`.
std::string header_parameter(std::string_view header, std::string_view parameter) {
  std::size_t at = 0;
  while ((at = header.find(';', at)) != std::string_view::npos) {
    std::string_view rest = trim(header.substr(at + 1));
    const std::size_t equals = rest.find('=');
    if (equals != std::string_view::npos && boost::beast::iequals(trim(rest.substr(0, equals)), parameter)) {
      std::string_view value = rest.substr(equals + 1);
      if (!value.empty() && value.front() == '"') {
        const std::size_t close = value.find('"', 1);
        return std::string(value.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
      }
      return std::string(trim(value.substr(0, value.find(';'))));
    }
    ++at;
  }
  return "";
}

Result<Form> parse_urlencoded(std::string_view given) {
  Form form;
  if (given.empty()) return form;
  // Debian's libboost_url 1.81 measures the text it is given with strlen (seen under
  // valgrind): it gets a NUL-terminated copy, never a view into a larger buffer.
  const std::string body(given);
  if (!boost::urls::parse_query(body)) {
    return make_error(ErrorCode::invalid_argument, "the form is not valid application/x-www-form-urlencoded");
  }
  const boost::urls::encoding_opts form_encoding(true);  // "+" is a space
  for (const auto& param : boost::urls::params_encoded_view(body)) {
    std::string key = param.key.decode(form_encoding);
    std::string value = param.value.decode(form_encoding);
    if (!is_valid_utf8(key) || !is_valid_utf8(value))
      return make_error(ErrorCode::invalid_argument, "form field " + in_quotes(key) + " is not UTF-8");
    form.values[std::move(key)] = std::move(value);
  }
  return form;
}

Result<Form> parse_multipart(std::string_view content_type, std::string_view body) {
  const std::string boundary = header_parameter(content_type, "boundary");
  if (boundary.empty()) return make_error(ErrorCode::invalid_argument, "the multipart form names no boundary");
  const std::string delimiter = "--" + boundary;
  Form form;
  std::size_t at = body.find(delimiter);
  if (at == std::string_view::npos) return make_error(ErrorCode::invalid_argument, "the multipart form has no part");
  while (true) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") return form;  // the closing delimiter
    if (body.substr(at, 2) != "\r\n") break;
    at += 2;
    const std::size_t headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) break;
    std::string disposition, media_type = "application/octet-stream";
    for (std::string_view headers = body.substr(at, headers_end - at); !headers.empty();) {
      const std::size_t line_end = headers.find("\r\n");
      const std::string_view line = headers.substr(0, line_end);
      const std::size_t colon = line.find(':');
      if (colon != std::string_view::npos) {
        const std::string_view name = trim(line.substr(0, colon));
        if (boost::beast::iequals(name, "Content-Disposition")) disposition = trim(line.substr(colon + 1));
        if (boost::beast::iequals(name, "Content-Type")) media_type = trim(line.substr(colon + 1));
      }
      if (line_end == std::string_view::npos) break;
      headers.remove_prefix(line_end + 2);
    }
    const std::size_t content_start = headers_end + 4;
    const std::size_t next = body.find("\r\n" + delimiter, content_start);
    if (next == std::string_view::npos) break;
    std::string content(body.substr(content_start, next - content_start));
    const std::string name = header_parameter(disposition, "name");
    if (disposition.find("filename") != std::string::npos) {
      std::string file_name = server::document_file_name(header_parameter(disposition, "filename"));
      if (!file_name.empty()) form.files.push_back({name, std::move(file_name), media_type, std::move(content)});
    } else {
      if (!is_valid_utf8(content))
        return make_error(ErrorCode::invalid_argument, "form field " + in_quotes(name) + " is not UTF-8");
      form.values[name] = std::move(content);
    }
    at = next + 2;
  }
  return make_error(ErrorCode::invalid_argument, "the multipart form is cut short or malformed");
}

}  // namespace

std::string Form::value(const std::string& name) const {
  const auto found = values.find(name);
  return found == values.end() ? "" : found->second;
}

const FormFile* Form::file(const std::string& name) const {
  for (const FormFile& each : files) {
    if (each.field == name && !each.file_name.empty()) return &each;
  }
  return nullptr;
}

Result<Form> parse_form(std::string_view content_type, std::string_view body) {
  const std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  if (type.empty() && body.empty()) return Form{};
  if (boost::beast::iequals(type, "application/x-www-form-urlencoded")) return parse_urlencoded(body);
  if (boost::beast::iequals(type, "multipart/form-data")) return parse_multipart(content_type, body);
  return make_error(ErrorCode::invalid_argument,
                    "a form is sent as application/x-www-form-urlencoded or multipart/form-data, not " +
                        in_quotes(std::string(type)));
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  auto parsed = parse_urlencoded(query);
  return parsed ? parsed->values : std::map<std::string, std::string>{};
}

std::string url_encode(std::string_view text) { return boost::urls::encode(text, boost::urls::unreserved_chars); }

std::map<std::string, std::string> parse_cookies(std::string_view header) {
  std::map<std::string, std::string> cookies;
  while (!header.empty()) {
    const std::size_t end = header.find(';');
    const std::string_view pair = trim(header.substr(0, end));
    if (const std::size_t equals = pair.find('='); equals != std::string_view::npos)
      cookies.emplace(std::string(trim(pair.substr(0, equals))), std::string(trim(pair.substr(equals + 1))));
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return cookies;
}

}  // namespace docket::web
