// Group commit on the writer: writes queued together share one transaction, yet each keeps
// its own validation and result, and none is answered before the batch is durable. Commits are
// pipelined: the writer goes on while a batch's sync runs, and what a reader saw waits for it.
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <functional>
#include <future>
#include <latch>
#include <mutex>
#include <thread>

#include "server/worker_pool.h"
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
  // Posts a comment on `number` to `pool`'s writer; the future holds its answer.
  static std::future<Status> post_comment(server::WorkerPool& pool, const std::string& number, const std::string& text) {
    auto answered = std::make_shared<std::promise<Status>>();
    auto status = answered->get_future();
    const bool queued = pool.post_write({[number, text](Runtime& runtime) -> Status {
                                           auto done = runtime.cases().execute(number, "lan", {AddComment{text}});
                                           return done ? Status(Ok{}) : Status(done.error());
                                         },
                                         [answered](const Status& done) { answered->set_value(done); }});
    EXPECT_TRUE(queued);
    return status;
  }
  static bool within_a_minute(std::future<Status>& answer) {
    return answer.wait_for(std::chrono::minutes{1}) == std::future_status::ready;
  }
  // Waits (up to a minute) until `done` holds.
  static bool eventually(const std::function<bool()>& done) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes{1};
    while (!done()) {
      if (std::chrono::steady_clock::now() > give_up) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds{2});
    }
    return true;
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
  auto pool = server::WorkerPool::start(1, DatabaseOptions{db_path_, false, 5000, true}, clock_, 100);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  std::atomic<int> batches{0};
  (*pool)->set_after_batch([&] { ++batches; });
  std::promise<void> release;
  ASSERT_TRUE((*pool)->post([gate = release.get_future().share()](Runtime&) { gate.wait(); }));

  struct Outcome {
    Status status = Ok{};
    std::int64_t visible_when_answered = 0;
  };
  std::vector<Outcome> outcomes(5);
  std::latch answered(5);
  const auto comment = [&](const std::string& number, std::optional<std::int64_t> version) {
    return [&, number, version](Runtime& runtime) -> Status {
      auto done = runtime.cases().execute(number, "lan", {AddComment{"trong một lô"}}, version);
      return done ? Status(Ok{}) : Status(done.error());
    };
  };
  const std::vector<std::function<Status(Runtime&)>> writes = {
      comment(first, first_version),
      comment(second, second_version - 1),  // stale
      [&](Runtime& runtime) -> Status {
        auto done = runtime.cases().execute(first, "lan", {MoveCase{"close", {}, ""}});
        return done ? Status(Ok{}) : Status(done.error());
      },
      comment(second, second_version),
      comment(first, first_version + 1),  // sees the first write of the batch
  };
  for (std::size_t i = 0; i < writes.size(); ++i) {
    ASSERT_TRUE((*pool)->post_write({writes[i], [&, i](const Status& status) {
                                       outcomes[i] = {status, committed_events()};
                                       answered.count_down();
                                     }}));
  }
  release.set_value();
  answered.wait();
  (*pool)->stop();

  EXPECT_EQ(batches.load(), 1);
  EXPECT_EQ((*pool)->batches(), 1u);
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

// With a max_wait, a batch waits only for the clients the last sync answered. Here max_wait is
// an hour: a wait that is not ended by those clients' return would hang the test.
TEST_F(GroupCommitTest, ABatchWaitsForTheClientsItAnsweredLastTimeAndNeverForALoneClient) {
  const std::string number = open_critique();
  auto pool = server::WorkerPool::start(1, DatabaseOptions{db_path_, false, 5000, true}, clock_, 100);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  server::GroupCommit group;
  group.max_wait = std::chrono::hours{1};
  (*pool)->set_group_commit(group);
  // Each write notes how many batches had been committed when it ran: writes of one batch note the same.
  struct Answer {
    std::future<Status> status;
    std::shared_ptr<int> batch;
  };
  const auto write = [&](const std::string& text) {
    auto answered = std::make_shared<std::promise<Status>>();
    auto batch = std::make_shared<int>(-1);
    const bool queued = (*pool)->post_write({[&, text, batch](Runtime& runtime) -> Status {
                                               *batch = static_cast<int>((*pool)->batches());
                                               auto done = runtime.cases().execute(number, "lan", {AddComment{text}});
                                               return done ? Status(Ok{}) : Status(done.error());
                                             },
                                             [answered](const Status& status) { answered->set_value(status); }});
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
  ASSERT_TRUE((*pool)->post([gate = release.get_future().share()](Runtime&) { gate.wait(); }));
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

// When writes are waiting as a batch commits, the writer does not wait for the disk: it goes on
// with them while the batch's sync runs on the sync thread. The batch is not answered, nor is an
// answer built from what a reader saw released, before a sync that covers it is done.
TEST_F(GroupCommitTest, TheWriterGoesOnWhileABatchSyncsAndNothingIsToldBeforeItIsDurable) {
  const std::string number = open_critique();
  auto pool = server::WorkerPool::start(1, DatabaseOptions{db_path_, false, 5000, true}, clock_, 100);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  server::WorkerPool& writer = **pool;
  std::promise<void> disk;
  std::atomic<int> syncs{0};
  writer.set_sync([&syncs, held = disk.get_future().share()](const WalSync& wal) {
    ++syncs;
    held.wait();  // a slow disk
    return wal.sync();
  });
  // The writer's first commit syncs its WAL file at once (see DeferredWalSync).
  auto warm = post_comment(writer, number, "trước");
  ASSERT_TRUE(within_a_minute(warm) && warm.get().ok());
  const std::int64_t before = committed_events();

  // Queued while the writer is held: a write, a job, and a write behind them.
  std::promise<void> go;
  ASSERT_TRUE(writer.post([held = go.get_future().share()](Runtime&) { held.wait(); }));
  auto first = post_comment(writer, number, "lô một");
  struct Seen {
    bool durable = true, read_released = true;
    std::int64_t events = 0;
  };
  std::promise<Seen> seen_by_job;
  std::atomic<bool> read_released{false};
  ASSERT_TRUE(writer.post([&](Runtime&) {
    // Runs after the first write committed, while its sync is held (it had the second write
    // waiting behind it, so its sync was handed to the sync thread).
    writer.when_durable([&] { read_released = true; });
    seen_by_job.set_value({writer.all_durable(), read_released.load(), committed_events()});
  }));
  auto second = post_comment(writer, number, "lô hai");
  go.set_value();

  auto seen = seen_by_job.get_future();
  ASSERT_EQ(seen.wait_for(std::chrono::minutes{1}), std::future_status::ready) << "the writer waited for the disk";
  const Seen job = seen.get();
  EXPECT_EQ(job.events, before + 1) << "the first write is committed, and other connections see it";
  EXPECT_FALSE(job.durable);
  EXPECT_FALSE(job.read_released) << "a read was released before what it saw was durable";
  EXPECT_TRUE(eventually([&] { return syncs.load() == 1; })) << "the first write's sync was not handed over";
  // Nothing waited behind the second write: its commit was synced at once, which made the first
  // one durable too, and answered.
  ASSERT_TRUE(within_a_minute(second));
  EXPECT_TRUE(second.get().ok());
  EXPECT_EQ(committed_events(), before + 2);
  EXPECT_TRUE(read_released.load()) << "not released by the sync that made what it saw durable";
  EXPECT_EQ(first.wait_for(std::chrono::milliseconds{50}), std::future_status::timeout)
      << "answered while its own sync was still running";

  disk.set_value();
  ASSERT_TRUE(within_a_minute(first));
  EXPECT_TRUE(first.get().ok());
  EXPECT_TRUE(writer.all_durable());
  bool at_once = false;
  writer.when_durable([&] { at_once = true; });
  EXPECT_TRUE(at_once) << "with everything durable, a read is released at once";
  writer.stop();
}

// When the disk fails a sync, the batch is answered with the failure, and the writer takes no
// more writes: after a failed fdatasync the file's state on disk is unknown.
TEST_F(GroupCommitTest, ASyncTheDiskFailsIsAnsweredAsAnErrorAndNoMoreWritesAreTaken) {
  const std::string number = open_critique();
  auto pool = server::WorkerPool::start(1, DatabaseOptions{db_path_, false, 5000, true}, clock_, 100);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  server::WorkerPool& writer = **pool;
  writer.set_sync([](const WalSync&) { return EIO; });
  auto warm = post_comment(writer, number, "trước");
  ASSERT_TRUE(within_a_minute(warm) && warm.get().ok());

  // A write with another waiting behind it: its sync goes to the sync thread, and fails.
  std::promise<void> go;
  ASSERT_TRUE(writer.post([held = go.get_future().share()](Runtime&) { held.wait(); }));
  auto failed = post_comment(writer, number, "không bền");
  ASSERT_TRUE(writer.post([](Runtime&) {}));
  auto behind = post_comment(writer, number, "phía sau");
  go.set_value();
  ASSERT_TRUE(within_a_minute(failed) && within_a_minute(behind));
  const Status failure = failed.get();
  ASSERT_FALSE(failure.ok());
  EXPECT_EQ(failure.error().code, ErrorCode::storage);
  EXPECT_NE(failure.error().message.find("fdatasync"), std::string::npos) << failure.error().message;
  const std::int64_t after_failure = committed_events();

  auto refused = post_comment(writer, number, "sau đó");
  ASSERT_TRUE(within_a_minute(refused));
  const Status refusal = refused.get();
  ASSERT_FALSE(refusal.ok());
  EXPECT_EQ(refusal.error().code, ErrorCode::storage);
  EXPECT_NE(refusal.error().message.find("restarted"), std::string::npos) << refusal.error().message;
  EXPECT_EQ(committed_events(), after_failure) << "a write was applied after the disk failed";
  writer.stop();
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
  EXPECT_TRUE(verify_audit(**db).ok);
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
