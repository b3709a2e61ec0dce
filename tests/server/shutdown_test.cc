// Stopping: the in-process server closes idle connections at once and answers what it read;
// the real `docket serve` stopped by SIGTERM under load loses no request it answered 2xx.
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

TEST_F(ShutdownTest, SigtermDuringLoadKeepsEveryCommentAnswered2xx) {
  constexpr int kWriters = 4;
  std::vector<std::string> cases;
  for (int i = 0; i < kWriters; ++i) cases.push_back(open_critique());
  client_.reset();
  server_.reset();  // the real binary serves the same file from here on

  ServeProcess serve(db_path_, folder_, {"--threads", "2"});
  const unsigned short docket_port = serve.port();
  ASSERT_NE(docket_port, 0) << "docket serve did not start; see " << folder_;

  std::mutex mutex;  // guards answered, answered_count
  std::condition_variable progress;
  std::map<std::string, std::vector<std::string>> answered;  // case -> comment texts answered 2xx
  int answered_count = 0;
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
        answered[number].push_back(text);
        ++answered_count;
        progress.notify_all();
      }
    });
  }
  bool loaded = false;
  {
    std::unique_lock lock(mutex);
    loaded = progress.wait_for(lock, std::chrono::seconds{60}, [&] { return answered_count >= 40; });
  }
  // Mid-load: the writers are still sending.
  const bool signalled = ::kill(serve.pid(), SIGTERM) == 0;
  const int status = serve.wait_for_exit(std::chrono::seconds{30});
  for (auto& writer : writers) writer.join();
  ASSERT_TRUE(loaded) << "only " << answered_count << " comments answered before the deadline";
  ASSERT_TRUE(signalled);
  ASSERT_NE(status, -1) << "docket serve did not exit after SIGTERM";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;

  FixedClock clock{clock_.now()};
  auto workspace = Workspace::open({db_path_, false, 5000, true}, clock);
  ASSERT_TRUE(workspace.ok()) << workspace.error().message;
  int checked = 0;
  for (const auto& [number, texts] : answered) {
    auto history = (*workspace)->cases().history(number);
    ASSERT_TRUE(history.ok()) << history.error().message;
    std::set<std::string> stored;
    for (const auto& event : *history) {
      if (event.type == "comment.added") stored.insert(std::get<CommentAdded>(event.event.payload).text);
    }
    for (const auto& text : texts) {
      EXPECT_TRUE(stored.count(text)) << number << ": \"" << text << "\" was answered 2xx but is not stored";
      ++checked;
    }
  }
  EXPECT_GE(checked, 40);
}

}  // namespace
}  // namespace docket::server_test
