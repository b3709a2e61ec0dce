#include "spec_check.h"

#include <rapidjson/pointer.h>

#include <fstream>
#include <sstream>

namespace docket::server_test {
namespace {

std::string type_of(const rapidjson::Value& value) {
  if (value.IsNull()) return "null";
  if (value.IsBool()) return "boolean";
  if (value.IsObject()) return "object";
  if (value.IsArray()) return "array";
  if (value.IsString()) return "string";
  return value.IsInt64() || value.IsUint64() ? "integer" : "number";
}

bool has_type(const rapidjson::Value& value, const std::string& type) {
  const std::string actual = type_of(value);
  return actual == type || (type == "number" && actual == "integer");
}

}  // namespace

SpecCheck::SpecCheck() {
  std::ifstream in(std::string(DOCKET_SOURCE_DIR) + "/docs/openapi.json", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  spec_.Parse(text.str().c_str());
  if (spec_.HasParseError()) spec_.SetNull();
}

const rapidjson::Value* SpecCheck::resolve(const rapidjson::Value& node) const {
  const rapidjson::Value* at = &node;
  while (at->IsObject() && at->HasMember("$ref")) {
    const std::string reference = (*at)["$ref"].GetString();  // "#/components/schemas/Case"
    const rapidjson::Value* target = rapidjson::Pointer(reference.substr(1).c_str()).Get(spec_);
    if (target == nullptr) return nullptr;
    at = target;
  }
  return at;
}

std::vector<std::string> SpecCheck::problems(const std::string& method, const std::string& path, int status,
                                             const std::string& body) const {
  const std::string what = method + " " + path + " " + std::to_string(status);
  const auto& paths = spec_["paths"];
  const auto item = paths.FindMember(path.c_str());
  if (item == paths.MemberEnd() || !item->value.HasMember(method.c_str()))
    return {method + " " + path + " is not in docs/openapi.json"};
  const auto& responses = item->value[method.c_str()]["responses"];
  const auto response = responses.FindMember(std::to_string(status).c_str());
  if (response == responses.MemberEnd())
    return {method + " " + path + " documents no " + std::to_string(status) + " response"};
  const rapidjson::Value* documented = resolve(response->value);
  const rapidjson::Value* schema =
      documented ? rapidjson::Pointer("/content/application~1json/schema").Get(*documented) : nullptr;
  if (schema == nullptr) return {what + " has no application/json schema"};
  rapidjson::Document parsed;
  parsed.Parse(body.c_str());
  if (parsed.HasParseError()) return {"the body is not JSON: " + body.substr(0, 200)};
  std::vector<std::string> found_problems;
  check(parsed, *schema, "", found_problems);
  return found_problems;
}

std::vector<std::string> SpecCheck::problems_as(const std::string& schema_name, const rapidjson::Value& value) const {
  std::vector<std::string> found;
  const auto& schemas = spec_["components"]["schemas"];
  if (!schemas.HasMember(schema_name.c_str())) return {"no schema " + schema_name};
  check(value, schemas[schema_name.c_str()], "", found);
  return found;
}

void SpecCheck::check(const rapidjson::Value& value, const rapidjson::Value& given, const std::string& where,
                      std::vector<std::string>& found) const {
  const rapidjson::Value* schema = resolve(given);
  if (schema == nullptr || !schema->IsObject()) return found.push_back(where + ": the schema's $ref does not resolve");
  if (value.IsNull()) {
    if (!schema->HasMember("nullable") || !(*schema)["nullable"].GetBool())
      found.push_back(where + ": null, which the schema does not allow (nullable)");
    return;
  }
  if (schema->HasMember("allOf")) {
    for (const auto& part : (*schema)["allOf"].GetArray()) check(value, part, where, found);
  }
  if (schema->HasMember("type")) {
    const std::string type = (*schema)["type"].GetString();
    if (!has_type(value, type)) return found.push_back(where + ": a " + type_of(value) + ", not a " + type);
  }
  if (schema->HasMember("enum")) {
    bool listed = false;
    for (const auto& allowed : (*schema)["enum"].GetArray()) listed = listed || allowed == value;
    if (!listed) found.push_back(where + ": a value the enum does not list");
  }
  if (value.IsArray() && schema->HasMember("items")) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i)
      check(value[i], (*schema)["items"], where + "/" + std::to_string(i), found);
  }
  if (value.IsObject()) check_object(value, *schema, where, found);
}

void SpecCheck::check_object(const rapidjson::Value& value, const rapidjson::Value& schema, const std::string& where,
                             std::vector<std::string>& found) const {
  const bool listed = schema.HasMember("properties");
  if (schema.HasMember("required")) {
    for (const auto& name : schema["required"].GetArray()) {
      if (!value.HasMember(name))
        found.push_back(where + ": the required member \"" + name.GetString() + "\" is missing");
    }
  }
  const auto extra = schema.FindMember("additionalProperties");
  for (const auto& member : value.GetObject()) {
    const std::string name = member.name.GetString();
    const std::string at = where + "/" + name;
    if (listed && schema["properties"].HasMember(name.c_str())) {
      check(member.value, schema["properties"][name.c_str()], at, found);
    } else if (extra != schema.MemberEnd() && extra->value.IsObject()) {
      check(member.value, extra->value, at, found);
    } else if (listed) {
      found.push_back(at + ": a member docs/openapi.json does not document");
    }
  }
}

}  // namespace docket::server_test
