// Group commit on the writer: writes queued together share one transaction, yet each keeps
// its own validation and result, and none is answered before the batch committed.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <mutex>
#include <thread>

#include "server/storage_threads.h"
#include "server_fixture.h"
#include "store/audit.h"

namespace docket::server_test {
namespace {

class GroupCommitTest : public ServerTest {
 protected:
  std::int64_t committed_events() {
    auto db = Database::open({db_path_, false, 5000, true});
    EXPECT_TRUE(db.ok());
    return db ? (*db)->sql().execAndGet("SELECT COUNT(*) FROM events").getInt64() : -1;
  }
  // Gives every concurrent write a moment to join the first one's transaction.
  void restart_with_batches() {
    restart([](server::ServerOptions& options) { options.group_commit.max_wait = std::chrono::milliseconds{50}; });
  }
};

// The writer is held busy while five writes queue; they then run as one batch.
TEST_F(GroupCommitTest, WritesQueuedTogetherCommitInOneTransactionEachWithItsOwnResult) {
  const std::string first = open_critique();
  const std::string second = open_critique();
  const std::int64_t first_version = get("lan", "/api/v1/cases/" + first).number("/version");
  const std::int64_t second_version = get("lan", "/api/v1/cases/" + second).number("/version");
  const std::int64_t before = committed_events();
  auto pool = server::StorageThreads::start(1, DatabaseOptions{db_path_, false, 5000, true}, clock_, 100);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  std::atomic<int> batches{0};
  (*pool)->set_after_batch([&](Workspace&) { ++batches; });
  std::promise<void> release;
  ASSERT_TRUE((*pool)->post([gate = release.get_future().share()](Workspace&) { gate.wait(); }));

  struct Outcome {
    Status status = Ok{};
    std::int64_t visible_when_answered = 0;
  };
  std::vector<Outcome> outcomes(5);
  std::latch answered(5);
  const auto comment = [&](const std::string& number, std::optional<std::int64_t> version) {
    return [&, number, version](Workspace& workspace) -> Status {
      auto done = workspace.cases().execute(number, "lan", {AddComment{"trong một lô"}}, version);
      return done ? Status(Ok{}) : Status(done.error());
    };
  };
  const std::vector<std::function<Status(Workspace&)>> writes = {
      comment(first, first_version),
      comment(second, second_version - 1),  // stale
      [&](Workspace& workspace) -> Status {
        auto done = workspace.cases().execute(first, "lan", {MoveCase{"close", {}, ""}});
        return done ? Status(Ok{}) : Status(done.error());
      },
      comment(second, second_version),
      comment(first, first_version + 1),  // sees the first write of the batch
  };
  for (std::size_t i = 0; i < writes.size(); ++i) {
    ASSERT_TRUE((*pool)->post_write({writes[i], [&, i](Workspace&, const Status& status) {
                                       outcomes[i] = {status, committed_events()};
                                       answered.count_down();
                                     }}));
  }
  release.set_value();
  answered.wait();
  (*pool)->stop();

  EXPECT_EQ(batches.load(), 1);
  EXPECT_TRUE(outcomes[0].status.ok());
  ASSERT_FALSE(outcomes[1].status.ok());
  EXPECT_EQ(outcomes[1].status.error().code, ErrorCode::conflict);
  ASSERT_FALSE(outcomes[2].status.ok());
  EXPECT_EQ(outcomes[2].status.error().code, ErrorCode::transition_not_allowed);
  EXPECT_TRUE(outcomes[3].status.ok());
  EXPECT_TRUE(outcomes[4].status.ok()) << outcomes[4].status.error().message;
  // Each answer came after the whole batch was committed: another connection saw all of it.
  for (const Outcome& outcome : outcomes) EXPECT_EQ(outcome.visible_when_answered, before + 3);
  EXPECT_EQ(committed_events(), before + 3);
}

// A batch waits (up to max_wait) only for the clients the previous batch answered. Here
// max_wait is an hour: a wait that is not ended by those clients' return would hang the test.
TEST_F(GroupCommitTest, ABatchWaitsForTheClientsItAnsweredLastTimeAndNeverForALoneClient) {
  const std::string number = open_critique();
  auto pool = server::StorageThreads::start(1, DatabaseOptions{db_path_, false, 5000, true}, clock_, 100);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  server::GroupCommit group;
  group.max_wait = std::chrono::hours{1};
  (*pool)->set_group_commit(group);
  std::atomic<int> batches{0};
  (*pool)->set_after_batch([&](Workspace&) { ++batches; });
  // Each write notes how many batches had finished when it ran: writes of one batch note the same.
  struct Answer {
    std::future<Status> status;
    std::shared_ptr<int> batch;
  };
  const auto write = [&](const std::string& text) {
    auto answered = std::make_shared<std::promise<Status>>();
    auto batch = std::make_shared<int>(-1);
    const bool queued =
        (*pool)->post_write({[&, text, batch](Workspace& workspace) -> Status {
                               *batch = batches.load();
                               auto done = workspace.cases().execute(number, "lan", {AddComment{text}});
                               return done ? Status(Ok{}) : Status(done.error());
                             },
                             [answered](Workspace&, const Status& status) { answered->set_value(status); }});
    EXPECT_TRUE(queued);
    return Answer{answered->get_future(), batch};
  };
  const auto answered_within_a_minute = [](Answer& answer) {
    return answer.status.wait_for(std::chrono::minutes{1}) == std::future_status::ready && answer.status.get().ok();
  };
  // One client, one request at a time: each is committed on its own, at once.
  std::vector<int> alone;
  for (int i = 0; i < 3; ++i) {
    Answer answer = write("một mình " + std::to_string(i));
    ASSERT_TRUE(answered_within_a_minute(answer)) << "a lone client was kept waiting";
    alone.push_back(*answer.batch);
  }
  EXPECT_TRUE(alone[0] < alone[1] && alone[1] < alone[2]) << alone[0] << " " << alone[1] << " " << alone[2];

  // Three clients answered by one batch come back at different moments: they share the next one.
  std::promise<void> release;
  ASSERT_TRUE((*pool)->post([gate = release.get_future().share()](Workspace&) { gate.wait(); }));
  std::vector<Answer> first;
  for (int c = 0; c < 3; ++c) first.push_back(write("lần đầu " + std::to_string(c)));
  release.set_value();
  for (auto& answer : first) ASSERT_TRUE(answered_within_a_minute(answer));
  EXPECT_TRUE(*first[0].batch == *first[1].batch && *first[1].batch == *first[2].batch);
  std::vector<Answer> second;
  for (int c = 0; c < 3; ++c) {
    second.push_back(write("lần hai " + std::to_string(c)));
    std::this_thread::sleep_for(std::chrono::milliseconds{30});
  }
  for (auto& answer : second) ASSERT_TRUE(answered_within_a_minute(answer));
  EXPECT_GT(*second[0].batch, *first[0].batch);
  EXPECT_TRUE(*second[0].batch == *second[1].batch && *second[1].batch == *second[2].batch)
      << "the three returning clients did not share one batch: " << *second[0].batch << " " << *second[1].batch << " "
      << *second[2].batch;
  (*pool)->stop();
}

TEST_F(GroupCommitTest, ConcurrentClientsEachGetTheirOwnCorrectResult) {
  restart_with_batches();
  constexpr int kClients = 12;
  constexpr int kComments = 4;
  std::vector<std::string> numbers;
  for (int i = 0; i < kClients; ++i) numbers.push_back(open_critique());
  std::vector<std::string> problems(kClients);
  const long long opened_version = get("lan", "/api/v1/cases/" + numbers[0]).number("/version");
  std::vector<std::thread> clients;
  std::latch start(kClients);
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client(port());
      const std::string target = "/api/v1/cases/" + numbers[c] + "/comments";
      std::string if_match = client.get("/api/v1/cases/" + numbers[c], token("lan")).header("etag");
      start.arrive_and_wait();
      // Every other client also sends one stale request, refused inside the same batches.
      const Reply stale = client.post(target, token("lan"), R"({"text":"cũ"})", R"("0")");
      if (stale.status != 412 && stale.status != 409)
        problems[c] += "stale request answered " + std::to_string(stale.status) + "; ";
      for (int i = 0; i < kComments; ++i) {
        const Reply reply =
            client.post(target, token("lan"), R"({"text":"ý kiến )" + std::to_string(i) + R"("})", if_match);
        if (reply.status != 200 || reply.number("/version") != opened_version + 1 + i) {
          problems[c] += "comment " + std::to_string(i) + ": " + std::to_string(reply.status) + " " + reply.body + "; ";
        }
        if_match = reply.header("etag");
      }
    });
  }
  for (auto& client : clients) client.join();
  for (int c = 0; c < kClients; ++c) EXPECT_EQ(problems[c], "") << numbers[c];
  for (const std::string& number : numbers) {
    EXPECT_EQ(get("lan", "/api/v1/cases/" + number).number("/version"), opened_version + kComments);
  }
  auto db = Database::open({db_path_, false, 5000, true});
  ASSERT_TRUE(db.ok());
  EXPECT_TRUE(verify_audit(**db).value().ok);
}

TEST_F(GroupCommitTest, RetriesWithOneIdempotencyKeyInOneBatchApplyOnce) {
  restart_with_batches();
  const std::string number = open_critique();
  const std::string target = "/api/v1/cases/" + number + "/comments";
  const std::string if_match = etag("lan", number);
  constexpr int kRetries = 8;
  std::vector<Reply> replies(kRetries);
  std::vector<std::thread> clients;
  std::latch start(kRetries);
  for (int i = 0; i < kRetries; ++i) {
    clients.emplace_back([&, i] {
      HttpClient client(port());
      (void)client.get("/healthz", "");
      start.arrive_and_wait();
      replies[i] = client.post(target, token("lan"), R"({"text":"Một lần thôi."})", if_match, "retry-42");
    });
  }
  for (auto& client : clients) client.join();
  int originals = 0;
  for (const Reply& reply : replies) {
    ASSERT_EQ(reply.status, 200) << reply;
    EXPECT_EQ(reply.body, replies[0].body);
    if (reply.header("idempotent-replay") != "true") ++originals;
  }
  EXPECT_EQ(originals, 1);
  const auto types = event_types(number);
  EXPECT_EQ(std::count(types.begin(), types.end(), "comment.added"), 1);
}

}  // namespace
}  // namespace docket::server_test
