// What an integrator's HTTP client expects of any server, checked over loopback: a Date and an
// X-Request-Id on every response; HEAD for every GET; 304 for a copy still current; byte ranges
// of documents; Cache-Control and Content-Disposition; CORS only for the origins configured.
#include <regex>

#include "server_fixture.h"

namespace docket::server_test {
namespace {

constexpr const char* kPortal = "https://portal.example.org";

class HttpConventionsTest : public ServerTest {
 protected:
  Reply send(http::verb method, const std::string& target, const std::string& user,
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    Call call{method, target, user.empty() ? "" : token(user)};
    call.headers = std::move(headers);
    return client_->send(call);
  }

  // A critique with a draft of 4000 bytes of every byte value uploaded; its number.
  std::string case_with_draft() {
    const std::string number = open_critique();
    for (int i = 0; i < 4000; ++i) draft_ += static_cast<char>(i * 7 % 256);
    const Reply attached = upload("so-ld", number, "draft", "d%E1%BB%B1%20th%E1%BA%A3o.pdf", draft_);  // dự thảo.pdf
    EXPECT_EQ(attached.status, 200) << attached;
    sha256_ = attached.at("/documents/0/sha256");
    return number;
  }

  std::string draft_;
  std::string sha256_;
};

TEST_F(HttpConventionsTest, EveryResponseCarriesADateAndARequestId) {
  const std::string number = open_critique();
  // The fixture's clock says 2026-03-02 02:00 UTC, a Monday.
  for (const Reply& reply : {get("lan", "/api/v1/cases/" + number), get("lan", "/api/v1/no-such-thing"),
                             client_->get("/sign-in", ""), client_->get("/healthz", "")}) {
    EXPECT_EQ(reply.header("date"), "Mon, 02 Mar 2026 02:00:00 GMT") << reply;
    EXPECT_TRUE(std::regex_match(reply.header("x-request-id"), std::regex("[0-9a-f]{16}"))) << reply;
  }
  HttpClient raw(port());
  ASSERT_TRUE(raw.write_raw("GET /healthz HTTP/1.1\r\n\r\n"));  // no Host: refused by the transport itself
  const auto refused = raw.wait_for_close(std::chrono::seconds{10});
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->find("HTTP/1.1 400"), std::string::npos) << *refused;
  EXPECT_NE(refused->find("Date: Mon, 02 Mar 2026 02:00:00 GMT"), std::string::npos) << *refused;
  EXPECT_NE(refused->find("X-Request-Id: "), std::string::npos) << *refused;
}

TEST_F(HttpConventionsTest, ARequestIdSentIsEchoedAndAnUnusableOneReplaced) {
  EXPECT_EQ(send(http::verb::get, "/healthz", "", {{"X-Request-Id", "portal-7f3a/42"}}).header("x-request-id"),
            "portal-7f3a/42");
  for (const std::string& sent : {std::string(129, 'a'), std::string("two words"), std::string("bad\x01id")}) {
    const std::string answered = send(http::verb::get, "/healthz", "", {{"X-Request-Id", sent}}).header("x-request-id");
    EXPECT_TRUE(std::regex_match(answered, std::regex("[0-9a-f]{16}"))) << answered;
  }
}

TEST_F(HttpConventionsTest, HeadAnswersWhatGetWouldWithoutTheBody) {
  const std::string number = case_with_draft();
  for (const std::string& target : {"/api/v1/cases/" + number, "/api/v1/cases/" + number + "/documents/draft/1",
                                    std::string("/healthz"), std::string("/metrics"), std::string("/api/v1/cases")}) {
    const Reply got = get("lan", target);
    const Reply head = send(http::verb::head, target, "lan");
    ASSERT_EQ(head.status, got.status) << target << "\n" << head;
    EXPECT_EQ(head.body, "") << target;
    if (target != "/metrics") {  // its figures (CPU time, latencies) move between two requests
      EXPECT_EQ(head.header("content-length"), std::to_string(got.body.size())) << target;
    }
    EXPECT_EQ(head.header("content-type"), got.header("content-type")) << target;
    EXPECT_EQ(head.header("etag"), got.header("etag")) << target;
  }
  // A web page too, and the connection stays usable after a HEAD.
  const Reply page = send(http::verb::head, "/sign-in", "");
  EXPECT_EQ(page.status, 200) << page;
  EXPECT_NE(page.header("content-length"), "0");
  EXPECT_EQ(client_->get("/healthz", "").status, 200);
  EXPECT_EQ(client_->connections_opened(), 1);
  // 405 says HEAD is accepted wherever GET is.
  EXPECT_EQ(send(http::verb::delete_, "/healthz", "").header("allow"), "GET, HEAD");
}

TEST_F(HttpConventionsTest, IfNoneMatchAnswers304UntilTheCaseChanges) {
  const std::string number = open_critique();
  const std::string target = "/api/v1/cases/" + number;
  const Reply first = get("lan", target);
  const std::string etag = first.header("etag");
  ASSERT_FALSE(etag.empty()) << first;
  for (const std::string& condition : {etag, "\"other\", W/" + etag, std::string("*")}) {
    const Reply same = send(http::verb::get, target, "lan", {{"If-None-Match", condition}});
    EXPECT_EQ(same.status, 304) << condition << "\n" << same;
    EXPECT_EQ(same.body, "");
    EXPECT_EQ(same.header("etag"), etag);
    EXPECT_EQ(same.header("cache-control"), "private, no-store");
  }
  EXPECT_EQ(send(http::verb::get, target, "lan", {{"If-None-Match", "\"other\""}}).status, 200);

  ASSERT_EQ(act("lan", number, "comments", R"({"text":"Đã nhận hồ sơ."})").status, 200);
  const Reply changed = send(http::verb::get, target, "lan", {{"If-None-Match", etag}});
  EXPECT_EQ(changed.status, 200) << changed;
  EXPECT_NE(changed.header("etag"), etag);
  // Not a precondition for one who may not read the case: still 404.
  EXPECT_TRUE(is_error(send(http::verb::get, target, "hl-can-bo", {{"If-None-Match", "*"}}), 404, "not_found"));
}

TEST_F(HttpConventionsTest, DocumentsAreServedByByteRangeAndRevalidatedByTheirHash) {
  const std::string number = case_with_draft();
  const std::string target = "/api/v1/cases/" + number + "/documents/draft/1";
  const Reply whole = get("lan", target);
  ASSERT_EQ(whole.status, 200) << whole;
  EXPECT_EQ(whole.body, draft_);
  EXPECT_EQ(whole.header("etag"), "\"" + sha256_ + "\"");
  EXPECT_EQ(whole.header("accept-ranges"), "bytes");
  EXPECT_EQ(whole.header("content-disposition"),
            "attachment; filename=\"d___ th___o.pdf\"; filename*=UTF-8''d%E1%BB%B1%20th%E1%BA%A3o.pdf");
  EXPECT_EQ(send(http::verb::get, target, "lan", {{"If-None-Match", whole.header("etag")}}).status, 304);

  struct Slice {
    const char* range;
    std::size_t first, last;
  };
  for (const Slice slice : {Slice{"bytes=100-199", 100, 199}, Slice{"bytes=3990-", 3990, 3999},
                            Slice{"bytes=-10", 3990, 3999}, Slice{"bytes=3000-9999", 3000, 3999}}) {
    const Reply part = send(http::verb::get, target, "lan", {{"Range", slice.range}});
    ASSERT_EQ(part.status, 206) << slice.range << "\n" << part.header("content-range");
    EXPECT_EQ(part.body, draft_.substr(slice.first, slice.last - slice.first + 1)) << slice.range;
    EXPECT_EQ(part.header("content-range"),
              "bytes " + std::to_string(slice.first) + "-" + std::to_string(slice.last) + "/4000");
  }
  const Reply past = send(http::verb::get, target, "lan", {{"Range", "bytes=4000-"}});
  EXPECT_TRUE(is_error(past, 416, "range_not_satisfiable")) << past;
  EXPECT_EQ(past.header("content-range"), "bytes */4000");
  // Several ranges, or another representation than the one the client holds part of: the whole.
  EXPECT_EQ(send(http::verb::get, target, "lan", {{"Range", "bytes=0-1,5-6"}}).body, draft_);
  EXPECT_EQ(send(http::verb::get, target, "lan", {{"Range", "bytes=0-9"}, {"If-Range", "\"stale\""}}).status, 200);
  EXPECT_EQ(send(http::verb::get, target, "lan", {{"Range", "bytes=0-9"}, {"If-Range", whole.header("etag")}}).status,
            206);
  // A case is not served by ranges.
  EXPECT_EQ(send(http::verb::get, "/api/v1/cases/" + number, "lan", {{"Range", "bytes=0-9"}}).status, 200);
}

TEST_F(HttpConventionsTest, CaseDataIsNeverCachedAndReportsDownloadAsFiles) {
  const std::string number = open_critique();
  EXPECT_EQ(get("lan", "/api/v1/cases/" + number).header("cache-control"), "private, no-store");
  EXPECT_EQ(get("lan", "/api/v1/cases").header("cache-control"), "private, no-store");
  EXPECT_EQ(client_->get("/sign-in", "").header("cache-control"), "private, no-store");
  EXPECT_EQ(client_->get("/assets/docket.css", "").header("cache-control"), "public, max-age=3600");

  const std::string report = "/api/v1/reports?period=2026-H1&unit=ninh-binh";
  const Reply csv = get("lan", report + "&format=csv");
  ASSERT_EQ(csv.status, 200) << csv;
  EXPECT_EQ(csv.header("content-disposition"),
            "attachment; filename=\"report-ninh-binh-2026-H1.csv\"; filename*=UTF-8''report-ninh-binh-2026-H1.csv");
  EXPECT_NE(get("lan", report + "&format=html").header("content-disposition").find("2026-H1.html"), std::string::npos);
  EXPECT_EQ(get("lan", report).header("content-disposition"), "") << "JSON is not a file to save";
}

TEST_F(HttpConventionsTest, CorsIsOffUnlessAnOriginIsConfigured) {
  const std::vector<std::pair<std::string, std::string>> preflight = {
      {"Origin", kPortal}, {"Access-Control-Request-Method", "POST"}, {"Access-Control-Request-Headers", "If-Match"}};
  EXPECT_TRUE(is_error(send(http::verb::options, "/api/v1/cases", "", preflight), 403, "origin_not_allowed"));
  EXPECT_EQ(send(http::verb::get, "/healthz", "", {{"Origin", kPortal}}).header("access-control-allow-origin"), "");

  restart([](server::ServerOptions& options) { options.cors.origins = {kPortal}; });
  const Reply allowed = send(http::verb::options, "/api/v1/cases", "", preflight);
  EXPECT_EQ(allowed.status, 204) << allowed;
  EXPECT_EQ(allowed.header("access-control-allow-origin"), kPortal);
  EXPECT_EQ(allowed.header("access-control-allow-methods"), "GET, HEAD, POST, PUT");
  for (const char* name : {"Authorization", "Content-Type", "If-Match", "Idempotency-Key"})
    EXPECT_NE(allowed.header("access-control-allow-headers").find(name), std::string::npos) << name;
  EXPECT_EQ(allowed.header("access-control-max-age"), "600");

  const std::string number = open_critique();
  const Reply read = send(http::verb::get, "/api/v1/cases/" + number, "lan", {{"Origin", kPortal}});
  EXPECT_EQ(read.header("access-control-allow-origin"), kPortal);
  EXPECT_NE(read.header("vary").find("Origin"), std::string::npos) << read.header("vary");
  EXPECT_NE(read.header("access-control-expose-headers").find("ETag"), std::string::npos);
  EXPECT_NE(read.header("access-control-expose-headers").find("X-Request-Id"), std::string::npos);

  const std::vector<std::pair<std::string, std::string>> other = {{"Origin", "https://evil.example.com"},
                                                                  {"Access-Control-Request-Method", "POST"}};
  const Reply refused = send(http::verb::options, "/api/v1/cases", "", other);
  EXPECT_TRUE(is_error(refused, 403, "origin_not_allowed")) << refused;
  EXPECT_EQ(refused.header("access-control-allow-origin"), "");
  EXPECT_EQ(send(http::verb::get, "/api/v1/cases/" + number, "lan", {other[0]}).header("access-control-allow-origin"),
            "");
}

}  // namespace
}  // namespace docket::server_test
