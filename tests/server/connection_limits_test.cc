// Connections as a scarce resource: one client address may not take them all, a connection that
// never sends a request is closed soon, and a server out of file descriptors waits for some to
// free instead of spinning, then serves again.
#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <regex>
#include <thread>

#include "serve_process.h"
#include "server_fixture.h"

namespace docket::server_test {
namespace {

class ConnectionLimitsTest : public ServerTest {};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// `count` connections from 127.0.0.1 that send nothing.
std::vector<std::unique_ptr<HttpClient>> idle_connections(unsigned short port, int count) {
  std::vector<std::unique_ptr<HttpClient>> idle;
  for (int i = 0; i < count; ++i) {
    idle.push_back(std::make_unique<HttpClient>(port, std::chrono::seconds{10}));
    EXPECT_TRUE(idle.back()->open()) << "connection " << i;
  }
  return idle;
}

TEST_F(ConnectionLimitsTest, OneAddressCannotTakeEveryConnection) {
  restart([](server::ServerOptions& options) {
    options.limits.max_connections_per_address = 4;
    options.limits.first_request_timeout = std::chrono::seconds{60};
  });
  auto idle = idle_connections(port(), 4);
  // More from the same address: 503 and closed, at once.
  for (int i = 0; i < 3; ++i) {
    HttpClient extra(port());
    ASSERT_TRUE(extra.open());
    const auto answer = extra.wait_for_close(std::chrono::seconds{5});
    ASSERT_TRUE(answer.has_value()) << "connection " << 5 + i << " from 127.0.0.1 was kept";
    EXPECT_TRUE(contains(*answer, "HTTP/1.1 503")) << *answer;
    EXPECT_TRUE(contains(*answer, R"("code":"too_many_connections")")) << *answer;
  }
  // Another address is served meanwhile.
  HttpClient other(port());
  other.connect_from("127.0.0.2");
  const Reply served = other.get("/api/v1/cases", token("lan"));
  EXPECT_EQ(served.status, 200) << served;
  // A connection that closes makes room for the next one from its address.
  idle.pop_back();
  Reply again;
  for (int tries = 0; tries < 100 && again.status != 200; ++tries) {
    HttpClient next(port());
    again = next.get("/api/v1/cases", token("lan"));
    if (again.status != 200) std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  EXPECT_EQ(again.status, 200) << again;
}

TEST_F(ConnectionLimitsTest, AConnectionThatSendsNothingIsClosedAfterTheFirstRequestTimeout) {
  restart([](server::ServerOptions& options) {
    options.limits.first_request_timeout = std::chrono::seconds{1};
    options.limits.idle_timeout = std::chrono::seconds{120};
  });
  HttpClient silent(port());
  ASSERT_TRUE(silent.open());
  const auto opened = std::chrono::steady_clock::now();
  const auto closed = silent.wait_for_close(std::chrono::seconds{20});
  ASSERT_TRUE(closed.has_value()) << "a connection that sent nothing is still open after 20 s";
  EXPECT_EQ(*closed, "");
  EXPECT_LT(std::chrono::steady_clock::now() - opened, std::chrono::seconds{10});
  // After its first request a connection may stay idle for the (longer) idle timeout.
  ASSERT_EQ(get("lan", "/api/v1/cases").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds{2500});
  ASSERT_EQ(get("lan", "/api/v1/cases").status, 200);
  EXPECT_EQ(client_->connections_opened(), 1);
}

// `docket serve` under a file descriptor limit of 128, which holds far fewer connections than the
// default --max-connections 1024: it lowers its limit to fit, and when clients hold more
// connections than descriptors remain, it waits to accept instead of failing accept() in a loop
// (that took a whole core), then serves again once they close.
TEST_F(ConnectionLimitsTest, OutOfFileDescriptorsTheServerWaitsInsteadOfSpinningAndRecovers) {
  const std::string number = open_critique();
  client_.reset();
  server_.reset();
  ServeProcess serve(db_path_, folder_, {"--max-connections-per-address", "0", "--first-request-timeout", "60"}, 128);
  ASSERT_NE(serve.port(), 0) << "docket serve did not start; see " << folder_;
  std::smatch limit;
  const std::string log = serve.output();
  const bool sized = std::regex_search(log, limit, std::regex(R"(connections: at most (\d+))"));
  EXPECT_TRUE(sized) << "no log line with the connection limit:\n" << log;
  if (sized) {
    EXPECT_LT(std::stoi(limit[1]), 128) << log;
  }

  HttpClient early(serve.port());
  ASSERT_EQ(early.get("/api/v1/cases/" + number, token("lan")).status, 200);
  auto idle = idle_connections(serve.port(), 160);  // more than 128 descriptors hold
  std::this_thread::sleep_for(std::chrono::milliseconds{500});
  // Over 2 s: the CPU time it used, and how often one of its threads was running or waiting to
  // run (a thread that spins always is, however little CPU a busy machine gives it).
  const auto cpu_before = serve.cpu_time();
  int runnable = 0;
  for (int sample = 0; sample < 200; ++sample) {
    runnable += serve.runnable() ? 1 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  const auto cpu_used = serve.cpu_time() - cpu_before;
  EXPECT_LT(cpu_used, std::chrono::milliseconds{100}) << "the server was busy while it could accept nothing";
  EXPECT_LT(runnable, 20) << "a thread of the server was runnable in " << runnable << " of 200 samples";
  // A connection it holds is still served, database reads included.
  const Reply during = early.get("/api/v1/cases/" + number, token("lan"));
  EXPECT_EQ(during.status, 200) << during;

  idle.clear();
  Reply after;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{20};
  while (after.status != 200 && std::chrono::steady_clock::now() < deadline) {
    HttpClient fresh(serve.port(), std::chrono::seconds{2});
    after = fresh.get("/api/v1/cases/" + number, token("lan"));
    if (after.status != 200) std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  EXPECT_EQ(after.status, 200) << after;
  std::cout << "docket serve used " << cpu_used.count() << " ms of CPU in 2 s with 160 idle connections, runnable in "
            << runnable << " of 200 samples; " << (sized ? limit[0].str() : "no limit logged") << "\n";
}

}  // namespace
}  // namespace docket::server_test
