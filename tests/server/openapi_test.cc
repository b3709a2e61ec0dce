// docs/openapi.json and the server cannot drift apart: every route is documented with its
// method, every documented operation is a route the server has, and the responses of a real
// server match their documented schemas member for member (spec_check.h).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "server/api.h"
#include "server_fixture.h"
#include "spec_check.h"

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

// Requests of a real server whose answers are checked against the spec.
class OpenApiResponsesTest : public ServerTest {
 protected:
  // Sends `method` `target` as `user` and checks the answer against `pattern`'s documented one.
  Reply checked(const std::string& method, const std::string& pattern, const std::string& user,
                const std::string& target, const std::string& body = "", const std::string& if_match = "") {
    Call call{method == "get" ? http::verb::get : http::verb::post, target, token(user), body};
    call.if_match = if_match;
    const Reply reply = client_->send(call);
    for (const std::string& problem : spec_.problems(method, pattern, reply.status, reply.body))
      ADD_FAILURE() << method << " " << target << " (" << reply.status << "): " << problem;
    return reply;
  }
  SpecCheck spec_;
};

TEST_F(OpenApiResponsesTest, TheCheckFindsAnUndocumentedMemberAndAMissingRequiredOne) {
  ASSERT_TRUE(spec_.ok());
  const std::string number = open_critique();
  rapidjson::Document read = get("lan", "/api/v1/cases/" + number).json();
  ASSERT_TRUE(spec_.problems_as("Case", read).empty());
  read.RemoveMember("stage");
  read.AddMember("surprise", rapidjson::Value(true), read.GetAllocator());
  const auto problems = spec_.problems_as("Case", read);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], ": the required member \"stage\" is missing");
  EXPECT_EQ(problems[1], "/surprise: a member docs/openapi.json does not document");
}

TEST_F(OpenApiResponsesTest, EveryResponseOfACaseTourMatchesItsSchema) {
  ASSERT_TRUE(spec_.ok());
  const Reply opened = checked("post", "/api/v1/cases", "lan", "/api/v1/cases",
                               R"({"workflow":"social-critique","unit":"ninh-binh","title":"Dự thảo",
                                   "fields":{"submission_date":"2026-02-20","drafting_body":"so-ld"}})");
  ASSERT_EQ(opened.status, 201) << opened;
  const std::string number = opened.at("/number");
  const std::string path = "/api/v1/cases/" + number;
  checked("get", "/api/v1/cases/{number}", "lan", path);
  checked("get", "/api/v1/cases/{number}", "so-ld", path);
  const Reply refused = checked("post", "/api/v1/cases/{number}/transitions", "lan", path + "/transitions",
                                R"({"transition":"assign"})", etag("lan", number));
  EXPECT_EQ(refused.status, 422) << refused;
  checked("post", "/api/v1/cases/{number}/fields", "lan", path + "/fields",
          R"({"fields":{"document_title":"Kế hoạch","received_date":"2026-03-02"}})", etag("lan", number));
  ASSERT_EQ(upload("so-ld", number, "draft", "du-thao.pdf", "%PDF-1.7").status, 200);
  ASSERT_EQ(move("lan", number, "assign").status, 200);
  checked("post", "/api/v1/cases/{number}/assign", "lan", path + "/assign", R"({"assignee":"lan"})",
          etag("lan", number));
  checked("post", "/api/v1/cases/{number}/recommendations", "lan", path + "/recommendations",
          R"({"to":"so-ld","text":"Bổ sung chỉ tiêu."})", etag("lan", number));
  checked("get", "/api/v1/cases/{number}", "lan", path);
  checked("get", "/api/v1/cases/{number}/history", "lan", path + "/history");
  checked("get", "/api/v1/cases/{number}", "lan", "/api/v1/cases/XX-0000-0000");
  for (const char* query : {"", "?sort=due&limit=1", "?overdue=true", "?sort=-number&open=true", "?sort=sideways"})
    checked("get", "/api/v1/cases", "lan", std::string("/api/v1/cases") + query);
  checked("get", "/api/v1/search", "lan", "/api/v1/search?q=k%E1%BA%BF%20ho%E1%BA%A1ch");
  const Reply workflows = checked("get", "/api/v1/workflows", "gv-can-bo", "/api/v1/workflows");
  const rapidjson::Document listed = workflows.json();
  for (const auto& workflow : listed["items"].GetArray())
    checked("get", "/api/v1/workflows/{id}", "gv-can-bo",
            std::string("/api/v1/workflows/") + workflow["id"].GetString());
  checked("get", "/api/v1/units", "lan", "/api/v1/units");
  checked("get", "/api/v1/users", "hl-can-bo", "/api/v1/users?unit=ninh-binh");
}

}  // namespace
}  // namespace docket::server_test
