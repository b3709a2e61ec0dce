// Every error status the API gives, each produced by the bad request that deserves it, and
// always in the one shape {"error": {"code", "message", "details"}}.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/text.h"
#include "server_fixture.h"
#include "store/database.h"
#include "store/directory.h"

namespace docket::server_test {
namespace {

class ErrorsTest : public ServerTest {
 protected:
  bool mentions(const Reply& reply, const std::string& part) {
    return reply.at("/error/message").find(part) != std::string::npos;
  }
};

TEST_F(ErrorsTest, MalformedJsonIsA400NamingTheLineAndColumn) {
  const std::string number = open_critique();
  const Reply reply = post("lan", "/api/v1/cases/" + number + "/comments", "{\n  \"text\": \"Đã nhận\",\n  oops\n}",
                           etag("lan", number));
  EXPECT_TRUE(is_error(reply, 400, "invalid_argument"));
  EXPECT_TRUE(mentions(reply, "line 3, column 3")) << reply;
  // A body that is not an object at all.
  EXPECT_TRUE(is_error(post("lan", "/api/v1/cases", "[1, 2]"), 400, "invalid_argument"));
}

TEST_F(ErrorsTest, ADeeplyNestedBodyIsA400AndTheServerKeepsAnswering) {
  // 150,000 "[" took the server down with a stack overflow; any token sufficed.
  const std::string number = open_critique();
  const Reply reply = post("so-ld", "/api/v1/cases/" + number + "/comments", std::string(200000, '['));
  EXPECT_TRUE(is_error(reply, 400, "invalid_argument")) << reply;
  EXPECT_TRUE(mentions(reply, "nested more than 64 arrays and objects deep")) << reply;
  EXPECT_TRUE(mentions(reply, "line 1, column 65")) << reply;
  EXPECT_EQ(get("lan", "/api/v1/cases/" + number).status, 200);
}

TEST_F(ErrorsTest, InvalidUtf8IsA400WithItsPositionAndTheAnswerStaysUtf8) {
  const std::string number = open_critique();
  const Reply reply =
      post("lan", "/api/v1/cases/" + number + "/comments", "{\"text\": \"Đ\xff\"}", etag("lan", number));
  EXPECT_TRUE(is_error(reply, 400, "invalid_argument"));
  EXPECT_TRUE(mentions(reply, "line 1, column")) << reply;
  EXPECT_TRUE(mentions(reply, "encoding")) << reply;
  // Bad bytes in the path are not echoed back as bad bytes.
  const Reply path = get("lan", "/api/v1/cases/PB-%FF%FE");
  EXPECT_TRUE(is_error(path, 404, "not_found"));
  EXPECT_TRUE(is_valid_utf8(path.body)) << path;
  EXPECT_EQ(event_types(number).size(), 2u) << "nothing was written";  // case.opened, deadline.set
}

TEST_F(ErrorsTest, UnknownMembersAndBadQueryValuesAre400) {
  const std::string number = open_critique();
  const Reply typo = post("lan", "/api/v1/cases/" + number + "/comments", R"({"txt":"Đã nhận"})", etag("lan", number));
  EXPECT_TRUE(is_error(typo, 400, "invalid_argument"));
  EXPECT_TRUE(mentions(typo, "\"txt\"") && mentions(typo, "text")) << typo;
  const Reply wrong_type = post("lan", "/api/v1/cases/" + number + "/comments", R"({"text":42})", etag("lan", number));
  EXPECT_TRUE(is_error(wrong_type, 400, "invalid_argument"));
  for (const char* limit : {"0", "501", "abc", "10x", "-1"}) {
    const Reply listed = get("lan", std::string("/api/v1/cases?limit=") + limit);
    EXPECT_TRUE(is_error(listed, 400, "invalid_argument")) << "limit=" << limit;
    EXPECT_TRUE(mentions(listed, "limit")) << listed;
  }
  EXPECT_TRUE(is_error(get("lan", "/api/v1/cases?due_within=soon"), 400, "invalid_argument"));
  EXPECT_TRUE(is_error(post("lan", "/api/v1/cases/" + number + "/comments", R"({"text":"x"})", etag("lan", number),
                            std::string(201, 'k')),
                       400, "invalid_argument"));
  EXPECT_TRUE(is_error(post("lan", "/api/v1/cases/" + number + "/documents?kind=draft", "x", etag("lan", number)), 400,
                       "invalid_argument"));
}

TEST_F(ErrorsTest, MissingUnknownAndRevokedTokensAre401) {
  const Reply none = client_->get("/api/v1/cases", "");
  EXPECT_TRUE(is_error(none, 401, "unauthenticated"));
  EXPECT_EQ(none.header("www-authenticate"), "Bearer");
  EXPECT_TRUE(is_error(client_->get("/api/v1/cases", "not-a-token"), 401, "unauthenticated"));
  Call basic{http::verb::get, "/api/v1/cases", ""};
  basic.headers.emplace_back("Authorization", "Basic bGFuOnNlY3JldA==");
  EXPECT_TRUE(is_error(client_->send(basic), 401, "unauthenticated"));

  ASSERT_EQ(get("revoked", "/api/v1/cases").status, 200);
  {
    auto db = Database::open({db_path_, false, 5000, true});
    ASSERT_TRUE(db.ok()) << db.error().message;
    auto revoked = Directory(**db, clock_).revoke_tokens("revoked");
    ASSERT_TRUE(revoked.ok());
    EXPECT_EQ(revoked.value(), 1);
  }
  EXPECT_TRUE(is_error(get("revoked", "/api/v1/cases"), 401, "unauthenticated"));
  // /healthz needs no token.
  EXPECT_EQ(client_->get("/healthz", "").status, 200);
}

TEST_F(ErrorsTest, ARoleThatMayNotActIs403) {
  const std::string number = open_critique();
  const Reply reply = move("lan", number, "decline", R"({"end_reason":"Không thuộc phạm vi"})");
  EXPECT_TRUE(is_error(reply, 403, "role_not_allowed"));
  EXPECT_TRUE(mentions(reply, "standing_board")) << reply;
  EXPECT_TRUE(is_error(
      post("lan", "/api/v1/units", R"({"id":"kim-son","name":"Kim Sơn","level":"commune","parent":"ninh-binh"})"), 403,
      "role_not_allowed"));
  EXPECT_TRUE(is_error(get("lan", "/api/v1/audit/export"), 403, "role_not_allowed"));
}

TEST_F(ErrorsTest, UnknownThingsAre404AndAWrongMethodIs405) {
  const std::string number = open_critique("hl-can-bo", "hoa-lu");
  const std::string own = open_critique();
  EXPECT_TRUE(is_error(get("lan", "/api/v1/cases/PB-2026-9999"), 404, "not_found"));
  EXPECT_TRUE(is_error(get("gv-can-bo", "/api/v1/cases/" + number), 404, "not_found"));
  EXPECT_TRUE(is_error(get("lan", "/api/v1/nothing-here"), 404, "no_such_route"));
  EXPECT_TRUE(is_error(get("lan", "/api/v1/cases/" + number + "/documents/draft/1"), 404, "not_found"));
  EXPECT_TRUE(is_error(act("lan", own, "recommendations/7/answer", R"({"status":"accepted"})"), 404, "not_found"));

  const Reply deleted = client_->send({http::verb::delete_, "/api/v1/cases/" + number, token("lan")});
  EXPECT_TRUE(is_error(deleted, 405, "method_not_allowed"));
  EXPECT_EQ(deleted.header("allow"), "GET, HEAD");
  EXPECT_EQ(client_->send({http::verb::put, "/api/v1/cases", token("lan"), "{}"}).header("allow"), "POST, GET, HEAD");
  EXPECT_TRUE(is_error(client_->post("/healthz", "", "{}"), 405, "method_not_allowed"));
}

TEST_F(ErrorsTest, AConflictIs409) {
  const std::string unit =
      R"({"id":"gia-vien","name":"Ủy ban MTTQ xã Gia Viễn","level":"commune","parent":"ninh-binh"})";
  EXPECT_TRUE(is_error(post("admin", "/api/v1/units", unit), 409, "already_exists"));
}

TEST_F(ErrorsTest, StateChangesNeedIfMatch428AndAStaleOneIs412) {
  const std::string number = open_critique();
  const std::string before = etag("lan", number);
  const Reply missing = post("lan", "/api/v1/cases/" + number + "/comments", R"({"text":"Không có If-Match"})");
  EXPECT_TRUE(is_error(missing, 428, "if_match_required"));
  ASSERT_EQ(post("lan", "/api/v1/cases/" + number + "/comments", R"({"text":"Lần một"})", before).status, 200);
  const Reply stale = post("lan", "/api/v1/cases/" + number + "/comments", R"({"text":"Lần hai"})", before);
  EXPECT_TRUE(is_error(stale, 412, "stale_version"));
  for (const char* wrong : {"\"abc\"", "\"3abc\"", "*", "W/\"9\""}) {
    EXPECT_TRUE(is_error(post("lan", "/api/v1/cases/" + number + "/comments", R"({"text":"Rác"})", wrong), 412,
                         "stale_version"))
        << wrong;
  }
  const auto types = event_types(number);
  EXPECT_EQ(std::count(types.begin(), types.end(), "comment.added"), 1);
}

TEST_F(ErrorsTest, ABodyOverTheLimitIs413) {
  restart([](server::ServerOptions& options) { options.limits.max_body_bytes = 1024; });
  const std::string number = open_critique();
  EXPECT_EQ(upload("lan", number, "draft", "nho.pdf", std::string(1024, 'x')).status, 200);
  const Reply reply = upload("lan", number, "draft", "lon.pdf", std::string(64 * 1024, 'x'));
  EXPECT_TRUE(is_error(reply, 413, "body_too_large"));
  EXPECT_EQ(get("lan", "/api/v1/cases/" + number).number("/documents"), 1);
}

TEST_F(ErrorsTest, JsonRoutesRefuseOtherMediaTypes415) {
  const std::string number = open_critique();
  Call call{http::verb::post, "/api/v1/cases/" + number + "/comments", token("lan"), R"({"text":"x"})"};
  call.content_type = "text/plain";
  call.if_match = etag("lan", number);
  EXPECT_TRUE(is_error(client_->send(call), 415, "unsupported_media_type"));
}

// The media type is compared whole (RFC 9110 8.3.1): a prefix such as application/jsonx is
// another type; case and parameters do not matter.
TEST_F(ErrorsTest, AMediaTypeThatOnlyStartsLikeJsonIs415) {
  const std::string number = open_critique();
  for (const char* type : {"application/jsonx", "application/json-patch+json", "application/json/x"}) {
    Call call{http::verb::post, "/api/v1/cases/" + number + "/comments", token("lan"), R"({"text":"x"})"};
    call.content_type = type;
    call.if_match = etag("lan", number);
    const Reply reply = client_->send(call);
    EXPECT_TRUE(is_error(reply, 415, "unsupported_media_type")) << type;
    EXPECT_TRUE(mentions(reply, type)) << reply;
  }
  EXPECT_EQ(event_types(number).size(), 2u) << "nothing was written";
  Call call{http::verb::post, "/api/v1/cases/" + number + "/comments", token("lan"), R"({"text":"Đã nhận"})"};
  call.content_type = "Application/JSON ; charset=utf-8";
  call.if_match = etag("lan", number);
  EXPECT_EQ(client_->send(call).status, 200);
}

// If-Match compares strongly (RFC 9110 13.1.1): a weak tag never matches, even of the current
// version; a value that is no entity tag at all (no quotes, a list) is malformed.
TEST_F(ErrorsTest, AWeakIfMatchIs412AndAnUnquotedOneIs400) {
  const std::string number = open_critique();
  const std::string current = etag("lan", number);  // "2"
  const std::string version = current.substr(1, current.size() - 2);
  const std::string target = "/api/v1/cases/" + number + "/comments";
  EXPECT_TRUE(is_error(post("lan", target, R"({"text":"Yếu"})", "W/" + current), 412, "stale_version"));
  for (const std::string& malformed : {version, "\"" + version, current + ", " + current, "\"" + version + " \""}) {
    const Reply reply = post("lan", target, R"({"text":"Không ngoặc"})", malformed);
    EXPECT_TRUE(is_error(reply, 400, "invalid_argument")) << malformed << "\n" << reply;
    EXPECT_TRUE(mentions(reply, "If-Match")) << reply;
  }
  EXPECT_EQ(event_types(number).size(), 2u) << "nothing was written";
  EXPECT_EQ(post("lan", target, R"({"text":"Đúng"})", current).status, 200);
}

// A member named twice was read as its first value; now it is refused, named, wherever it is.
TEST_F(ErrorsTest, AMemberNamedTwiceInABodyIs400NamingIt) {
  const std::string number = open_critique();
  const Reply twice =
      post("lan", "/api/v1/cases/" + number + "/comments", R"({"text":"Một","text":"Hai"})", etag("lan", number));
  EXPECT_TRUE(is_error(twice, 400, "invalid_argument")) << twice;
  EXPECT_TRUE(mentions(twice, R"(member "text" appears more than once)")) << twice;
  EXPECT_TRUE(mentions(twice, "line 1, column")) << twice;
  EXPECT_EQ(event_types(number).size(), 2u) << "nothing was written";
  const Reply nested =
      post("lan", "/api/v1/cases",
           R"({"workflow":"social-critique","unit":"ninh-binh","title":"Hai lần",)"
           R"("fields":{"submission_date":"2026-06-30","drafting_body":"so-ld","drafting_body":"so-tc"}})");
  EXPECT_TRUE(is_error(nested, 400, "invalid_argument")) << nested;
  EXPECT_TRUE(mentions(nested, "$.fields.drafting_body")) << nested;
}

TEST_F(ErrorsTest, WorkflowRulesAndAReusedIdempotencyKeyAre422) {
  const std::string number = open_critique();
  ASSERT_EQ(
      act("lan", number, "fields", R"({"fields":{"document_title":"Kế hoạch","received_date":"2026-03-02"}})").status,
      200);
  const Reply no_draft = move("lan", number, "assign");
  EXPECT_TRUE(is_error(no_draft, 422, "document_missing"));
  EXPECT_TRUE(mentions(no_draft, "draft")) << no_draft;
  EXPECT_TRUE(is_error(move("lan", number, "no_such_transition"), 422, "not_found"));
  EXPECT_TRUE(is_error(move("chu-tich", number, "approve"), 422, "transition_not_allowed"));
  EXPECT_TRUE(
      is_error(act("lan", number, "fields", R"({"fields":{"submission_date":"30/06/2026"}})"), 422, "invalid_field"));

  ASSERT_EQ(
      post("lan", "/api/v1/cases/" + number + "/comments", R"({"text":"Một"})", etag("lan", number), "key-1").status,
      200);
  const Reply reused =
      post("lan", "/api/v1/cases/" + number + "/assign", R"({"assignee":"lan"})", etag("lan", number), "key-1");
  EXPECT_TRUE(is_error(reused, 422, "idempotency_key_reused"));
}

TEST_F(ErrorsTest, ATransitionMissingSeveralRequirementsIsOne422ListingEachInDetails) {
  const std::string number = open_critique();
  const std::vector<std::string> before = event_types(number);
  const Reply refused = move("lan", number, "assign");
  ASSERT_TRUE(is_error(refused, 422, "field_missing")) << refused;
  EXPECT_TRUE(mentions(refused, "is missing 3 requirements")) << refused;
  const rapidjson::Document body = refused.json();
  const rapidjson::Value& problems = body["error"]["details"]["problems"];
  ASSERT_TRUE(problems.IsArray()) << refused;
  ASSERT_EQ(problems.Size(), 3u) << refused;
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"field_missing", "transition \"assign\" requires field \"document_title\""},
      {"field_missing", "transition \"assign\" requires field \"received_date\""},
      {"document_missing", "transition \"assign\" requires a document of kind \"draft\" attached"}};
  for (rapidjson::SizeType i = 0; i < problems.Size(); ++i) {
    EXPECT_EQ(problems[i]["code"].GetString(), expected[i].first);
    EXPECT_EQ(problems[i]["message"].GetString(), expected[i].second);
  }
  EXPECT_EQ(event_types(number), before) << "a refusal records nothing";
}

TEST_F(ErrorsTest, AFullQueueIs429WithRetryAfter) {
  restart([](server::ServerOptions& options) { options.max_queued = 0; });
  const Reply reply = get("lan", "/api/v1/cases");
  EXPECT_TRUE(is_error(reply, 429, "too_many_requests"));
  EXPECT_EQ(reply.header("retry-after"), "1");
}

// Reading one case is answered by the I/O thread that read the request: it never queues
// behind the storage threads, so it still works when their queues are full.
TEST_F(ErrorsTest, ACaseIsStillReadWhenTheQueuesAreFull) {
  const std::string number = open_critique();
  const std::string etag_before = etag("lan", number);
  restart([](server::ServerOptions& options) { options.max_queued = 0; });
  const Reply read = get("lan", "/api/v1/cases/" + number);
  ASSERT_EQ(read.status, 200) << read;
  EXPECT_EQ(read.at("/number"), number);
  EXPECT_EQ(read.header("etag"), etag_before);
  EXPECT_TRUE(is_error(get("lan", "/api/v1/cases/" + number + "/history"), 429, "too_many_requests"));
  EXPECT_TRUE(is_error(act("lan", number, "comments", R"({"text":"Một"})"), 429, "too_many_requests"));
  EXPECT_TRUE(is_error(get("lan", "/api/v1/cases/NO-SUCH"), 404, "not_found"));
  EXPECT_TRUE(is_error(client_->get("/api/v1/cases/" + number, "not-a-token"), 401, "unauthenticated"));
  EXPECT_EQ(get("lan", "/api/v1/cases/" + number).header("etag"), etag_before);  // the refused comment left nothing
}

TEST_F(ErrorsTest, AStorageFaultIs500WithoutInternals) {
  const std::string number = open_critique();
  {
    auto db = Database::open({db_path_, false, 5000, true});
    ASSERT_TRUE(db.ok()) << db.error().message;
    (*db)->sql().exec("DROP TABLE recommendations");
  }
  for (const Reply& reply : {get("lan", "/api/v1/cases/" + number),
                             post("lan", "/api/v1/cases/" + number + "/comments", R"({"text":"x"})", "\"2\"")}) {
    EXPECT_TRUE(is_error(reply, 500, "internal"));
    for (const char* leak : {"recommendations", "SQL", "sqlite", "table"}) {
      EXPECT_EQ(reply.body.find(leak), std::string::npos) << leak << " leaked: " << reply;
    }
  }
}

}  // namespace
}  // namespace docket::server_test
