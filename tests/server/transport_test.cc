// The HTTP side: keep-alive, slow and misbehaving clients, transport limits, /healthz, /metrics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "server_fixture.h"

namespace docket::server_test {
namespace {

class TransportTest : public ServerTest {};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(TransportTest, SeveralRequestsShareOneKeptAliveConnection) {
  const std::string number = open_critique();
  for (int i = 0; i < 5; ++i) {
    const Reply reply = act("lan", number, "comments", R"({"text":"Lần )" + std::to_string(i) + R"("})");
    ASSERT_EQ(reply.status, 200) << reply;
    EXPECT_NE(reply.header("connection"), "close");
  }
  EXPECT_EQ(client_->connections_opened(), 1);
}

TEST_F(TransportTest, RequestsSentTogetherInOneWriteAreAnsweredInOrder) {
  const std::string number = open_critique();
  const std::string body = R"({"text":"Gửi liền một lượt"})";
  const std::string etag = get("lan", "/api/v1/cases/" + number).header("etag");
  const std::string next = std::to_string(std::stoi(etag.substr(1)) + 1);
  HttpClient raw(port());
  ASSERT_TRUE(raw.write_raw(
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      "POST /api/v1/cases/" +
      number + "/comments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token("lan") +
      "\r\nContent-Type: application/json\r\nIf-Match: " + etag + "\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body + "GET /api/v1/cases/" + number + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
      token("lan") + "\r\nConnection: close\r\n\r\n"));
  const auto answers = raw.wait_for_close(std::chrono::seconds{20});
  ASSERT_TRUE(answers.has_value()) << "the connection was not closed after the last request";
  const auto health = answers->find(R"({"status":"ok",)");
  const auto commented = answers->find("HTTP/1.1 200", health);
  const auto read = answers->find("HTTP/1.1 200", commented + 1);
  ASSERT_NE(health, std::string::npos) << *answers;
  ASSERT_NE(commented, std::string::npos) << *answers;
  ASSERT_NE(read, std::string::npos) << *answers;
  EXPECT_TRUE(contains(answers->substr(read), R"("version":)" + next)) << *answers;  // read after the comment
  EXPECT_TRUE(contains(answers->substr(read), "ETag: \"" + next + "\"")) << *answers;
}

// Small answers go out as one copied buffer, large ones (past 64 KiB) from where they are:
// both arrive whole, byte for byte, and the connection carries on after each.
TEST_F(TransportTest, SmallAndLargeAnswersArriveWholeOnOneConnection) {
  const std::string number = open_critique();
  int version = 0;
  for (const std::size_t size :
       {std::size_t{100}, std::size_t{64 * 1024}, std::size_t{64 * 1024 + 1}, std::size_t{1536 * 1024}}) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + size) % 256);
    const Reply uploaded = upload("lan", number, "other", "phu-luc.bin", bytes, "application/octet-stream");
    ASSERT_EQ(uploaded.status, 200) << uploaded;
    ++version;
    const Reply downloaded = get("lan", "/api/v1/cases/" + number + "/documents/other/" + std::to_string(version));
    ASSERT_EQ(downloaded.status, 200) << size;
    EXPECT_EQ(downloaded.header("content-length"), std::to_string(size));
    EXPECT_TRUE(downloaded.body == bytes) << "the " << size << "-byte document came back changed";
    const Reply read = get("lan", "/api/v1/cases/" + number);
    ASSERT_EQ(read.status, 200) << read;
    EXPECT_EQ(read.header("etag"), "\"" + std::to_string(read.number("/version")) + "\"");
  }
  EXPECT_EQ(client_->connections_opened(), 1);
}

TEST_F(TransportTest, AClientThatStallsMidHeaderIsDroppedAfterTheReadTimeout) {
  restart([](server::ServerOptions& options) {
    options.limits.read_timeout = std::chrono::seconds{1};
    options.limits.idle_timeout = std::chrono::seconds{120};
  });
  HttpClient slow(port());
  ASSERT_TRUE(slow.write_raw("GET /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthoriz"));
  // Others are served meanwhile.
  EXPECT_EQ(get("lan", "/api/v1/cases").status, 200);
  // Dropped after the 1 s read timeout, long before the 120 s idle timeout.
  const auto closed = slow.wait_for_close(std::chrono::seconds{20});
  ASSERT_TRUE(closed.has_value()) << "the stalled connection is still open";
  EXPECT_EQ(*closed, "") << "nothing is answered to half a request";
}

TEST_F(TransportTest, AClientThatStallsMidBodyIsDroppedAfterTheReadTimeout) {
  restart([](server::ServerOptions& options) {
    options.limits.read_timeout = std::chrono::seconds{1};
    options.limits.idle_timeout = std::chrono::seconds{120};
  });
  const std::string number = open_critique();
  HttpClient slow(port());
  ASSERT_TRUE(slow.write_raw(
      "POST /api/v1/cases/" + number + "/comments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
      token("lan") + "\r\nContent-Type: application/json\r\nIf-Match: \"2\"\r\nContent-Length: 100\r\n\r\n{\"text\":"));
  const auto closed = slow.wait_for_close(std::chrono::seconds{20});
  ASSERT_TRUE(closed.has_value()) << "the stalled connection is still open";
  const auto types = event_types(number);
  EXPECT_EQ(std::count(types.begin(), types.end(), "comment.added"), 0);
}

TEST_F(TransportTest, MalformedHttpIsA400AndTheConnectionCloses) {
  HttpClient raw(port());
  ASSERT_TRUE(raw.write_raw("NOT HTTP AT ALL\r\n\r\n"));
  const auto answer = raw.wait_for_close(std::chrono::seconds{20});
  ASSERT_TRUE(answer.has_value());
  EXPECT_TRUE(contains(*answer, "HTTP/1.1 400")) << *answer;
  EXPECT_TRUE(contains(*answer, R"("code":"malformed_http")")) << *answer;
}

TEST_F(TransportTest, OversizedHeadersAre431AndAHugeBodyIsRefusedWith413) {
  restart([](server::ServerOptions& options) {
    options.limits.max_header_bytes = 4096;
    options.limits.max_body_bytes = 1024;
  });
  Call big_header{http::verb::get, "/api/v1/cases", token("lan")};
  big_header.headers.emplace_back("X-Padding", std::string(8192, 'a'));
  EXPECT_TRUE(is_error(client_->send(big_header), 431, "headers_too_large"));
  // 8 MB is more than the socket buffers hold: the server must keep reading (and discarding)
  // for the client to get to read its answer at all.
  const std::string number = open_critique();
  const Reply huge = upload("lan", number, "draft", "lon.pdf", std::string(8 * 1024 * 1024, 'x'));
  EXPECT_TRUE(is_error(huge, 413, "body_too_large"));
  EXPECT_EQ(huge.header("connection"), "close");
  EXPECT_EQ(get("lan", "/api/v1/cases/" + number).number("/documents"), 0);
}

TEST_F(TransportTest, ConnectionsOverTheLimitAre503) {
  restart([](server::ServerOptions& options) { options.limits.max_connections = 1; });
  ASSERT_EQ(get("lan", "/api/v1/cases").status, 200);  // holds the one connection
  HttpClient second(port());
  EXPECT_TRUE(is_error(second.get("/api/v1/cases", token("lan")), 503, "too_many_connections"));
  EXPECT_EQ(get("lan", "/api/v1/cases").status, 200);
}

TEST_F(TransportTest, HealthzNeedsNoToken) {
  const Reply health = client_->get("/healthz", "");
  ASSERT_EQ(health.status, 200) << health;
  EXPECT_EQ(health.at("/status"), "ok");
  EXPECT_EQ(health.header("content-type"), "application/json");
}

TEST_F(TransportTest, MetricsCountRequestsByRouteAndTransitions) {
  const std::string number = open_critique();
  ASSERT_EQ(
      act("lan", number, "fields", R"({"fields":{"document_title":"Kế hoạch","received_date":"2026-03-02"}})").status,
      200);
  ASSERT_EQ(upload("lan", number, "draft", "du-thao.pdf", "%PDF").status, 200);
  ASSERT_EQ(move("lan", number, "assign").status, 200);
  EXPECT_EQ(get("lan", "/api/v1/cases/PB-2026-0404").status, 404);

  const Reply metrics = get("lan", "/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics;
  EXPECT_TRUE(contains(metrics.header("content-type"), "text/plain"));
  const std::string& text = metrics.body;
  EXPECT_TRUE(contains(text, R"(docket_http_requests_total{method="POST",route="/api/v1/cases",status="201"} 1)"))
      << text;
  EXPECT_TRUE(contains(
      text, R"(docket_http_requests_total{method="POST",route="/api/v1/cases/{number}/transitions",status="200"} 1)"))
      << text;
  EXPECT_TRUE(
      contains(text, R"(docket_http_requests_total{method="GET",route="/api/v1/cases/{number}",status="404"} 1)"))
      << text;
  EXPECT_TRUE(contains(text, "docket_transitions_total 1\n")) << text;
  EXPECT_TRUE(contains(
      text,
      R"(docket_http_request_duration_seconds_count{method="POST",route="/api/v1/cases/{number}/transitions"} 1)"))
      << text;
  EXPECT_TRUE(contains(text, "docket_outbox_backlog ")) << text;
  EXPECT_TRUE(contains(text, "docket_timers_due 0\n")) << text;
}

TEST_F(TransportTest, TwoDifferentContentLengthsAreA400MalformedHttp) {
  HttpClient raw(port());
  ASSERT_TRUE(raw.write_raw("POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token("lan") +
                            "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}}"));
  const auto answer = raw.wait_for_close(std::chrono::seconds{20});
  ASSERT_TRUE(answer.has_value()) << "the connection was not closed";
  EXPECT_EQ(answer->rfind("HTTP/1.1 400", 0), 0u) << *answer;
  EXPECT_NE(answer->find("malformed_http"), std::string::npos) << *answer;
}

// RFC 9112 6.1: a transfer coding the server does not implement is a 501. The body below is
// plain JSON declared gzip'ed; it was taken as JSON and the comment stored.
TEST_F(TransportTest, ATransferCodingOtherThanChunkedIs501AndNothingIsStored) {
  const std::string number = open_critique();
  const std::string body = R"({"text":"Nén mà không nén"})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  HttpClient raw(port());
  ASSERT_TRUE(raw.write_raw("POST /api/v1/cases/" + number + "/comments HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                            "Authorization: Bearer " + token("lan") +
                            "\r\nContent-Type: application/json\r\nIf-Match: " + etag("lan", number) +
                            "\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n"));
  const auto answer = raw.wait_for_close(std::chrono::seconds{20});
  ASSERT_TRUE(answer.has_value()) << "the connection was not closed";
  EXPECT_EQ(answer->rfind("HTTP/1.1 501", 0), 0u) << *answer;
  EXPECT_TRUE(contains(*answer, R"("code":"unsupported_transfer_coding")")) << *answer;
  EXPECT_TRUE(contains(*answer, "gzip")) << *answer;
  const auto types = event_types(number);
  EXPECT_EQ(std::count(types.begin(), types.end(), "comment.added"), 0);
  // Chunked alone is what HTTP/1.1 clients send, and it is read.
  HttpClient chunked(port());
  ASSERT_TRUE(chunked.write_raw(
      "POST /api/v1/cases/" + number + "/comments HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Authorization: Bearer " +
      token("lan") + "\r\nContent-Type: application/json\r\nConnection: close\r\nIf-Match: " + etag("lan", number) +
      "\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n"));
  const auto read = chunked.wait_for_close(std::chrono::seconds{20});
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->rfind("HTTP/1.1 200", 0), 0u) << *read;
}

// RFC 9112 3.2: an HTTP/1.1 request without Host (or with two) is a 400; HTTP/1.0 may omit it.
TEST_F(TransportTest, AnHttp11RequestWithoutOneHostIs400) {
  for (const std::string& headers : {std::string(""), std::string("Host: a\r\nHost: b\r\n")}) {
    HttpClient raw(port());
    ASSERT_TRUE(raw.write_raw("GET /healthz HTTP/1.1\r\n" + headers + "\r\n"));
    const auto answer = raw.wait_for_close(std::chrono::seconds{20});
    ASSERT_TRUE(answer.has_value()) << "the connection was not closed";
    EXPECT_EQ(answer->rfind("HTTP/1.1 400", 0), 0u) << *answer;
    EXPECT_TRUE(contains(*answer, R"("code":"malformed_http")")) << *answer;
    EXPECT_TRUE(contains(*answer, "Host")) << *answer;
  }
  HttpClient old(port());
  ASSERT_TRUE(old.write_raw("GET /healthz HTTP/1.0\r\n\r\n"));
  const auto answer = old.wait_for_close(std::chrono::seconds{20});
  ASSERT_TRUE(answer.has_value());
  EXPECT_TRUE(contains(*answer, R"({"status":"ok",)")) << *answer;
}

}  // namespace
}  // namespace docket::server_test
