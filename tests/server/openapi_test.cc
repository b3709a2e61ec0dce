// docs/openapi.json and the server's route table cannot drift apart: every route is documented
// with its method, and every documented operation is a route the server has.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "server/api.h"

namespace docket::server_test {
namespace {

namespace http = boost::beast::http;

const std::set<std::string> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream in(std::string(DOCKET_SOURCE_DIR) + "/docs/openapi.json", std::ios::binary);
    ASSERT_TRUE(in) << "docs/openapi.json is missing";
    std::stringstream text;
    text << in.rdbuf();
    spec_.Parse(text.str().c_str());
    ASSERT_FALSE(spec_.HasParseError()) << "docs/openapi.json is not JSON (offset " << spec_.GetErrorOffset() << ")";
    ASSERT_TRUE(spec_.IsObject() && spec_.HasMember("paths") && spec_["paths"].IsObject());
  }

  static std::string lower(std::string_view method) {
    std::string text(method);
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  }

  // The operation object for `path` and `method`; nullptr when the file does not document it.
  const rapidjson::Value* operation(const std::string& path, const std::string& method) const {
    const auto& paths = spec_["paths"];
    const auto entry = paths.FindMember(path.c_str());
    if (entry == paths.MemberEnd() || !entry->value.IsObject()) return nullptr;
    const auto op = entry->value.FindMember(method.c_str());
    return op == entry->value.MemberEnd() ? nullptr : &op->value;
  }

  static bool has_parameter(const rapidjson::Value& op, const std::string& reference) {
    if (!op.HasMember("parameters")) return false;
    for (const auto& parameter : op["parameters"].GetArray()) {
      if (parameter.HasMember("$ref") && parameter["$ref"].GetString() == "#/components/parameters/" + reference)
        return true;
    }
    return false;
  }

  rapidjson::Document spec_;
};

TEST_F(OpenApiTest, IsOpenApi303) { EXPECT_STREQ(spec_["openapi"].GetString(), "3.0.3"); }

TEST_F(OpenApiTest, EveryRouteIsDocumentedWithItsMethod) {
  ASSERT_FALSE(server::api_routes().empty());
  for (const auto& route : server::api_routes()) {
    const std::string method = lower(http::to_string(route.method));
    const rapidjson::Value* op = operation(route.pattern, method);
    ASSERT_NE(op, nullptr) << method << " " << route.pattern << " is a route but not in docs/openapi.json";
    EXPECT_TRUE(op->HasMember("responses")) << method << " " << route.pattern;
    if (route.writes && route.method == http::verb::post) {
      EXPECT_TRUE(has_parameter(*op, "IdempotencyKey")) << method << " " << route.pattern << " accepts Idempotency-Key";
    }
    if (route.writes && route.pattern.find("{number}") != std::string::npos) {
      EXPECT_TRUE(has_parameter(*op, "IfMatch")) << method << " " << route.pattern << " requires If-Match";
    }
  }
  const rapidjson::Value* health = operation("/healthz", "get");
  ASSERT_NE(health, nullptr) << "/healthz is not documented";
  ASSERT_TRUE(health->HasMember("security"));
  EXPECT_TRUE((*health)["security"].Empty()) << "/healthz needs no token";
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsARoute) {
  for (const auto& path : spec_["paths"].GetObject()) {
    const std::string pattern = path.name.GetString();
    for (const auto& member : path.value.GetObject()) {
      const std::string method = member.name.GetString();
      if (!kMethods.count(method)) continue;  // "parameters", "summary", ...
      if (pattern == "/healthz" && method == "get") continue;
      const bool routed =
          std::any_of(server::api_routes().begin(), server::api_routes().end(), [&](const server::Route& route) {
            return route.pattern == pattern && lower(http::to_string(route.method)) == method;
          });
      EXPECT_TRUE(routed) << method << " " << pattern << " is in docs/openapi.json but the server has no such route";
    }
  }
}

}  // namespace
}  // namespace docket::server_test
