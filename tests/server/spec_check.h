// Checks a JSON response against the schema docs/openapi.json gives for it: every member the
// response has is in the schema (none undocumented), every member the schema requires is in the
// response, and each value has its documented type, enum value and nullability. Follows $ref and
// allOf. For the server tests; thread-safety: none (one per test).
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace docket::server_test {

class SpecCheck {
 public:
  // Reads DOCKET_SOURCE_DIR/docs/openapi.json; ok() is false when it cannot.
  SpecCheck();
  bool ok() const { return spec_.IsObject(); }

  // The problems of `body` as the response `status` of `method` (lower case) on `path` (a
  // pattern of docs/openapi.json: "/api/v1/cases/{number}"), each "<JSON pointer>: <what>";
  // one problem when the spec has no JSON schema for that response.
  std::vector<std::string> problems(const std::string& method, const std::string& path, int status,
                                    const std::string& body) const;
  // The problems of `value` against the named schema of components/schemas.
  std::vector<std::string> problems_as(const std::string& schema_name, const rapidjson::Value& value) const;

 private:
  const rapidjson::Value* resolve(const rapidjson::Value& node) const;  // follows $ref
  void check(const rapidjson::Value& value, const rapidjson::Value& schema, const std::string& where,
             std::vector<std::string>& found) const;
  void check_object(const rapidjson::Value& value, const rapidjson::Value& schema, const std::string& where,
                    std::vector<std::string>& found) const;

  rapidjson::Document spec_;
};

}  // namespace docket::server_test
