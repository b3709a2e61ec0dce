// Many clients at once, and clients that retry: a case changes once per accepted request.
#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <thread>

#include "server_fixture.h"

namespace docket::server_test {
namespace {

class ConcurrencyTest : public ServerTest {
 protected:
  // Runs `request` on `clients` threads, each on its own connection, released together.
  std::vector<Reply> race(int clients, const std::function<Reply(HttpClient&)>& request) {
    std::vector<Reply> replies(static_cast<std::size_t>(clients));
    std::latch ready(clients);
    std::vector<std::thread> threads;
    for (int i = 0; i < clients; ++i) {
      threads.emplace_back([&, i] {
        HttpClient client(port());
        // Connect before the start line so the race is between requests, not handshakes.
        const Reply warm = client.get("/healthz", "");
        ready.arrive_and_wait();
        replies[static_cast<std::size_t>(i)] = warm.status == 200 ? request(client) : warm;
      });
    }
    for (auto& thread : threads) thread.join();
    return replies;
  }

  // A critique case with what the "assign" transition needs.
  std::string ready_to_assign() {
    const std::string number = open_critique();
    EXPECT_EQ(
        act("lan", number, "fields", R"({"fields":{"document_title":"Kế hoạch","received_date":"2026-03-02"}})").status,
        200);
    EXPECT_EQ(upload("lan", number, "draft", "du-thao.pdf", "%PDF dự thảo").status, 200);
    return number;
  }
};

TEST_F(ConcurrencyTest, TwentyClientsRaceOneTransitionAndExactlyOneWins) {
  const std::string number = ready_to_assign();
  const std::string if_match = etag("lan", number);
  const auto replies = race(20, [&](HttpClient& client) {
    return client.post("/api/v1/cases/" + number + "/transitions", token("lan"), R"({"transition":"assign"})",
                       if_match);
  });
  int won = 0;
  for (const Reply& reply : replies) {
    if (reply.status == 200) {
      ++won;
      EXPECT_EQ(reply.at("/stage"), "assigned");
    } else {
      EXPECT_TRUE(reply.status == 409 || reply.status == 412) << reply;
      EXPECT_TRUE(is_error(reply, reply.status, reply.status == 409 ? "conflict" : "stale_version"));
    }
  }
  EXPECT_EQ(won, 1);
  const auto made = transitions_made(number);
  EXPECT_EQ(std::count(made.begin(), made.end(), "assign"), 1);
  EXPECT_EQ(made.size(), 1u);
  EXPECT_EQ(get("lan", "/api/v1/cases/" + number).at("/stage"), "assigned");
}

TEST_F(ConcurrencyTest, ARetriedPostWithTheSameIdempotencyKeyAppliesOnce) {
  const std::string number = open_critique();
  const std::string target = "/api/v1/cases/" + number + "/comments";
  const std::string if_match = etag("lan", number);
  const Reply first = post("lan", target, R"({"text":"Đã nhận đủ hồ sơ."})", if_match, "comment-7f3a");
  ASSERT_EQ(first.status, 200) << first;
  EXPECT_EQ(first.header("idempotent-replay"), "");

  // The client never saw the answer and retries, on a new connection, with the same request.
  HttpClient retrying(port());
  const Reply again = retrying.post(target, token("lan"), R"({"text":"Đã nhận đủ hồ sơ."})", if_match, "comment-7f3a");
  ASSERT_EQ(again.status, 200) << again;
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.header("etag"), first.header("etag"));
  EXPECT_EQ(again.header("idempotent-replay"), "true");
  const auto types = event_types(number);
  EXPECT_EQ(std::count(types.begin(), types.end(), "comment.added"), 1);

  // The same key with another body is a client bug, not a retry.
  const Reply changed = retrying.post(target, token("lan"), R"({"text":"Nội dung khác."})", if_match, "comment-7f3a");
  EXPECT_TRUE(is_error(changed, 422, "idempotency_key_reused"));

  // Keys belong to their user: another user's same key is another request.
  const Reply other =
      post("chu-tich", target, R"({"text":"Ban Thường trực đã xem."})", first.header("etag"), "comment-7f3a");
  EXPECT_EQ(other.status, 200) << other;
  EXPECT_EQ(other.header("idempotent-replay"), "");
  const auto after = event_types(number);
  EXPECT_EQ(std::count(after.begin(), after.end(), "comment.added"), 2);
}

TEST_F(ConcurrencyTest, SimultaneousRetriesWithOneKeyApplyOnceAndAllGetTheSameAnswer) {
  const std::string number = open_critique();
  const std::string if_match = etag("lan", number);
  const auto replies = race(10, [&](HttpClient& client) {
    return client.post("/api/v1/cases/" + number + "/comments", token("lan"), R"({"text":"Một lần thôi."})", if_match,
                       "once-91c2");
  });
  for (const Reply& reply : replies) {
    ASSERT_EQ(reply.status, 200) << reply;
    EXPECT_EQ(reply.body, replies.front().body);
  }
  const auto replayed = std::count_if(replies.begin(), replies.end(),
                                      [](const Reply& r) { return r.header("idempotent-replay") == "true"; });
  EXPECT_EQ(replayed, 9);
  const auto types = event_types(number);
  EXPECT_EQ(std::count(types.begin(), types.end(), "comment.added"), 1);
}

TEST_F(ConcurrencyTest, AnIdempotentOpenCreatesOneCase) {
  const std::string body = R"({"workflow":"social-critique","unit":"ninh-binh","title":"Dự thảo Đề án chuyển đổi số",
                               "fields":{"submission_date":"2026-07-15","drafting_body":"so-tc"}})";
  const Reply first = post("lan", "/api/v1/cases", body, "", "open-2b81");
  ASSERT_EQ(first.status, 201) << first;
  const Reply again = post("lan", "/api/v1/cases", body, "", "open-2b81");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.at("/number"), first.at("/number"));
  EXPECT_EQ(again.header("location"), first.header("location"));
  EXPECT_EQ(get("lan", "/api/v1/cases").number("/items"), 1);
}

}  // namespace
}  // namespace docket::server_test
