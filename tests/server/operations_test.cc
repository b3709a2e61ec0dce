// What an administrator checks of a running server: /healthz and /metrics name the build, and
// /metrics has the process's own figures; `docket serve --listen` takes a host name, and an
// address another program holds is a clear error with its own exit code.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <optional>
#include <regex>
#include <sstream>

#include "serve_process.h"
#include "server_fixture.h"

namespace docket::server_test {
namespace {

class OperationsTest : public ServerTest {
 protected:
  // The value of the sample `name` (with its labels, if any) in a Prometheus text; nullopt when absent.
  static std::optional<double> sample(const std::string& text, const std::string& name) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
    }
    return std::nullopt;
  }

  // The commit `docket --version` names; empty when it names none.
  std::string commit_of_the_binary() {
    const Ran version = docket({"--version"});
    EXPECT_EQ(version.exit_code, 0) << version.out;
    std::smatch commit;
    return std::regex_search(version.out, commit, std::regex(R"(\(commit ([0-9a-f]+)\))")) ? commit[1].str() : "";
  }
};

TEST_F(OperationsTest, HealthzNamesTheVersionAndCommit) {
  const Reply health = client_->get("/healthz", "");
  ASSERT_EQ(health.status, 200) << health;
  EXPECT_EQ(health.at("/status"), "ok") << health;
  EXPECT_EQ(health.at("/version"), DOCKET_VERSION) << health;
  const std::string commit = commit_of_the_binary();
  if (commit.empty()) {
    EXPECT_TRUE(health.json()["commit"].IsNull()) << health;
  } else {
    EXPECT_EQ(health.at("/commit"), commit) << health;
  }
}

TEST_F(OperationsTest, MetricsNameTheBuildAndTheProcessFigures) {
  const Reply metrics = get("admin", "/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics;
  const std::string build =
      "docket_build_info{version=\"" + std::string(DOCKET_VERSION) + "\",commit=\"" + commit_of_the_binary() + "\"}";
  EXPECT_EQ(sample(metrics.body, build), 1.0) << metrics.body;

  // The server runs in this test's process: its figures are this process's.
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const auto started = sample(metrics.body, "docket_process_start_time_seconds");
  ASSERT_TRUE(started.has_value()) << metrics.body;
  EXPECT_LE(*started, now + 1) << "started in the future";
  EXPECT_GT(*started, now - 24 * 3600) << "started more than a day before this test";
  const auto resident = sample(metrics.body, "docket_process_resident_memory_bytes");
  ASSERT_TRUE(resident.has_value()) << metrics.body;
  EXPECT_GT(*resident, 1024 * 1024) << "less than a megabyte resident";
  const auto open_fds = sample(metrics.body, "docket_process_open_fds");
  ASSERT_TRUE(open_fds.has_value()) << metrics.body;
  EXPECT_GT(*open_fds, 10) << "the server alone holds its database files and sockets";
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  EXPECT_EQ(sample(metrics.body, "docket_process_max_fds"), static_cast<double>(limit.rlim_cur)) << metrics.body;
  EXPECT_TRUE(sample(metrics.body, "docket_process_cpu_seconds_total").has_value()) << metrics.body;
}

TEST_F(OperationsTest, ServeListensOnAHostName) {
  client_.reset();
  server_.reset();
  ServeProcess serve(db_path_, folder_, {"--listen", "localhost:0"});
  ASSERT_NE(serve.port(), 0) << "docket serve did not start:\n" << serve.output() << serve.errors();
  EXPECT_TRUE(serve.output().find("on http://localhost:" + std::to_string(serve.port()) + "/api/v1") !=
              std::string::npos)
      << serve.output();
  HttpClient client(serve.port());  // connects to 127.0.0.1: localhost is served on IPv4
  EXPECT_EQ(client.get("/healthz", "").status, 200);
}

TEST_F(OperationsTest, AnAddressInUseIsAClearErrorWithItsOwnExitCode) {
  const std::string taken = "127.0.0.1:" + std::to_string(port());  // the fixture's server listens there
  ServeProcess serve(db_path_, folder_, {"--listen", taken});
  EXPECT_EQ(serve.port(), 0) << "a second server listens on " << taken;
  const int status = serve.wait_for_exit(std::chrono::seconds{30});
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 6) << serve.errors();
  EXPECT_EQ(serve.errors(), "docket: address_in_use: " + taken +
                                " is already in use by another program; stop it or choose another --listen\n");
  EXPECT_EQ(client_->get("/healthz", "").status, 200) << "the server holding the address still answers";
}

// Each of these was read as some port before (127 for "127.0.0.1", 4464 for 70000, 80 for
// "80x"): a server could start where nobody asked for one.
TEST_F(OperationsTest, AMalformedListenAddressIsAUsageError) {
  for (const char* listen : {"127.0.0.1", "127.0.0.1:70000", "127.0.0.1:80x", ":8080"}) {
    ServeProcess serve(db_path_, folder_, {"--listen", listen});
    EXPECT_EQ(serve.port(), 0) << listen << " was listened on";
    const int status = serve.wait_for_exit(std::chrono::seconds{30});
    ASSERT_TRUE(WIFEXITED(status)) << listen << ": " << status;
    EXPECT_EQ(WEXITSTATUS(status), 2) << listen << ": " << serve.errors();
    EXPECT_NE(serve.errors().find("docket: usage: --listen HOST:PORT"), std::string::npos)
        << listen << ": " << serve.errors();
  }
}

}  // namespace
}  // namespace docket::server_test
