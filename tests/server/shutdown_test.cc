// Stopping: the in-process server closes idle connections at once and answers what it read;
// the real `docket serve` stopped by SIGTERM, or killed by SIGKILL, under load loses no request
// it answered 2xx.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "serve_process.h"
#include "server_fixture.h"
#include "workspace/workspace.h"

namespace docket::server_test {
namespace {

class ShutdownTest : public ServerTest {};

TEST_F(ShutdownTest, StopClosesIdleConnectionsAndAnswersWhatItRead) {
  const std::string number = open_critique();
  HttpClient idle(port());
  ASSERT_EQ(idle.get("/api/v1/cases/" + number, token("lan")).status, 200);  // then keeps the connection
  server_->stop();
  const auto closed = idle.wait_for_close(std::chrono::seconds{3});
  EXPECT_TRUE(closed.has_value()) << "an idle kept-alive connection outlived stop()";
  server_.reset();
  // Nothing answered was lost, and the database is intact for the next start.
  restart();
  EXPECT_EQ(get("admin", "/api/v1/audit/verify").number("/ok"), 1);
}

// What the writers sent and what was answered 2xx while the real binary served them and got
// `signal` mid-load.
struct LoadStopped {
  bool loaded = false;     // enough comments were answered before the signal
  bool signalled = false;  // the signal was sent
  int status = -1;         // the process's wait status; -1: it did not exit
  int answered_count = 0;
  std::map<std::string, std::vector<std::string>> answered;  // case -> comment texts answered 2xx
};

class LoadTest : public ShutdownTest {
 protected:
  // Four writers comment on four cases through `docket serve` until it is sent `signal` after
  // at least 40 answers.
  LoadStopped load_then(int signal) {
    constexpr int kWriters = 4;
    LoadStopped result;
    std::vector<std::string> cases;
    for (int i = 0; i < kWriters; ++i) cases.push_back(open_critique());
    client_.reset();
    server_.reset();  // the real binary serves the same file from here on

    ServeProcess serve(db_path_, folder_, {"--threads", "2"});
    const unsigned short docket_port = serve.port();
    EXPECT_NE(docket_port, 0) << "docket serve did not start; see " << folder_;
    if (docket_port == 0) return result;

    std::mutex mutex;  // guards result.answered, result.answered_count
    std::condition_variable progress;
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        HttpClient client(docket_port, std::chrono::seconds{20});
        const std::string& number = cases[static_cast<std::size_t>(w)];
        std::string if_match = client.get("/api/v1/cases/" + number, token("lan")).header("etag");
        for (int i = 0; i < 5000 && !if_match.empty(); ++i) {
          const std::string text = "Ý kiến " + std::to_string(w) + "-" + std::to_string(i);
          const Reply reply = client.post("/api/v1/cases/" + number + "/comments", token("lan"),
                                          R"({"text":)" + quoted(text) + "}", if_match);
          if (reply.status == 412) {  // the scheduler changed the case (the binary runs on the real clock)
            if_match = client.get("/api/v1/cases/" + number, token("lan")).header("etag");
            continue;
          }
          if (reply.status < 200 || reply.status >= 300) break;  // refused, or the server is gone
          if_match = reply.header("etag");
          std::lock_guard lock(mutex);
          result.answered[number].push_back(text);
          ++result.answered_count;
          progress.notify_all();
        }
      });
    }
    {
      std::unique_lock lock(mutex);
      result.loaded = progress.wait_for(lock, std::chrono::seconds{60}, [&] { return result.answered_count >= 40; });
    }
    // Mid-load: the writers are still sending.
    result.signalled = ::kill(serve.pid(), signal) == 0;
    result.status = serve.wait_for_exit(std::chrono::seconds{30});
    for (auto& writer : writers) writer.join();
    return result;
  }

  // Every comment answered 2xx is in its case's history; returns how many were checked.
  int expect_stored(const LoadStopped& stopped) {
    FixedClock clock{clock_.now()};
    auto workspace = Workspace::open({db_path_, false, 5000, true}, clock);
    EXPECT_TRUE(workspace.ok()) << workspace.error().message;
    if (!workspace.ok()) return 0;
    int checked = 0;
    for (const auto& [number, texts] : stopped.answered) {
      auto history = (*workspace)->cases().history(number);
      EXPECT_TRUE(history.ok()) << history.error().message;
      if (!history.ok()) continue;
      std::set<std::string> stored;
      for (const auto& event : *history) {
        if (event.type == "comment.added") stored.insert(std::get<CommentAdded>(event.event.payload).text);
      }
      for (const auto& text : texts) {
        EXPECT_TRUE(stored.count(text)) << number << ": \"" << text << "\" was answered 2xx but is not stored";
        ++checked;
      }
    }
    return checked;
  }
};

TEST_F(LoadTest, SigtermDuringLoadKeepsEveryCommentAnswered2xx) {
  const LoadStopped stopped = load_then(SIGTERM);
  ASSERT_TRUE(stopped.loaded) << "only " << stopped.answered_count << " comments answered before the deadline";
  ASSERT_TRUE(stopped.signalled);
  ASSERT_NE(stopped.status, -1) << "docket serve did not exit after SIGTERM";
  EXPECT_TRUE(WIFEXITED(stopped.status) && WEXITSTATUS(stopped.status) == 0) << "wait status " << stopped.status;
  EXPECT_GE(expect_stored(stopped), 40);
}

// A crash at any point leaves a consistent database: kill -9 mid-load loses no write answered
// 2xx, the history verifies, and the server starts again on the file and takes writes.
TEST_F(LoadTest, KillNineDuringLoadLosesNoCommentAnswered2xxAndTheHistoryVerifies) {
  const LoadStopped stopped = load_then(SIGKILL);
  ASSERT_TRUE(stopped.loaded) << "only " << stopped.answered_count << " comments answered before the deadline";
  ASSERT_TRUE(stopped.signalled);
  ASSERT_NE(stopped.status, -1) << "docket serve did not die of SIGKILL";
  EXPECT_TRUE(WIFSIGNALED(stopped.status) && WTERMSIG(stopped.status) == SIGKILL) << "wait status " << stopped.status;
  EXPECT_GE(expect_stored(stopped), 40);

  const Ran verified = docket({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
  restart();
  const std::string number = stopped.answered.begin()->first;
  EXPECT_EQ(act("lan", number, "comments", R"({"text":"Ý kiến sau sự cố"})").status, 200);
}

}  // namespace
}  // namespace docket::server_test
