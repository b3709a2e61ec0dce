// What an administrator checks of a running server: /healthz and /metrics name the build, and
// /metrics has the process's own figures, the database file's size and the scheduler's lag;
// `docket serve --listen` takes a host name, and an address another program holds is a clear
// error with its own exit code; the access log of `docket serve` has a line per request, as
// text or JSON, with the request id a client sent.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

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

  // The lines of `text` that contain `needle`.
  static std::vector<std::string> lines_with(const std::string& text, const std::string& needle) {
    std::vector<std::string> found;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.find(needle) != std::string::npos) found.push_back(line);
    }
    return found;
  }

  // Opens a case on the fixture's server, stops it, and starts `docket serve ARGS` on the file.
  std::unique_ptr<ServeProcess> serve_with_a_case(const std::vector<std::string>& args) {
    number_ = open_critique();
    client_.reset();
    server_.reset();
    return std::make_unique<ServeProcess>(db_path_, folder_, args);
  }

  // A GET of the case as lan, with X-Request-Id `id`, on `serve`.
  Reply read_case(const ServeProcess& serve, const std::string& id) {
    HttpClient client(serve.port());
    Call call{http::verb::get, "/api/v1/cases/" + number_, token("lan")};
    call.headers = {{"X-Request-Id", id}};
    return client.send(call);
  }

  std::string number_;
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

TEST_F(OperationsTest, TheAccessLogHasALinePerRequestWithItsRequestId) {
  const auto serve = serve_with_a_case({});
  ASSERT_NE(serve->port(), 0) << serve->output() << serve->errors();
  ASSERT_EQ(read_case(*serve, "portal-42").status, 200);
  HttpClient(serve->port()).get("/api/v1/cases/PB-2026-9999", "no-such-token");

  const auto lines = lines_with(serve->output(), "id=portal-42");
  ASSERT_EQ(lines.size(), 1u) << serve->output();
  EXPECT_TRUE(std::regex_search(lines[0], std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[access\] )"
                                                     R"(GET /api/v1/cases/\{number\} 200 \d+\.\dms user=lan )"
                                                     R"(id=portal-42 peer=127\.0\.0\.1 path=/api/v1/cases/)" +
                                                     number_ + "$")))
      << lines[0];
  const auto refused = lines_with(serve->output(), "path=/api/v1/cases/PB-2026-9999");
  ASSERT_EQ(refused.size(), 1u) << serve->output();
  EXPECT_NE(refused[0].find(" 401 "), std::string::npos) << refused[0];
  EXPECT_NE(refused[0].find(" user=- "), std::string::npos) << refused[0];
}

TEST_F(OperationsTest, AJsonLogHasAnObjectPerLine) {
  const auto serve = serve_with_a_case({"--log-format", "json"});
  ASSERT_NE(serve->port(), 0) << serve->output() << serve->errors();
  ASSERT_EQ(read_case(*serve, "portal-43").status, 200);

  const auto lines = lines_with(serve->output(), "portal-43");
  ASSERT_EQ(lines.size(), 1u) << serve->output();
  rapidjson::Document line;
  ASSERT_FALSE(line.Parse(lines[0].c_str()).HasParseError()) << lines[0];
  EXPECT_STREQ(line["logger"].GetString(), "access");
  EXPECT_STREQ(line["method"].GetString(), "GET");
  EXPECT_STREQ(line["route"].GetString(), "/api/v1/cases/{number}");
  EXPECT_EQ(line["status"].GetInt(), 200);
  EXPECT_STREQ(line["user"].GetString(), "lan");
  EXPECT_STREQ(line["request_id"].GetString(), "portal-43");
  EXPECT_TRUE(line["duration_ms"].IsNumber());
  // The server's other lines are JSON objects too.
  const auto listening = lines_with(serve->output(), "listening on");
  ASSERT_EQ(listening.size(), 1u) << serve->output();
  EXPECT_FALSE(line.Parse(listening[0].c_str()).HasParseError()) << listening[0];
  EXPECT_STREQ(line["level"].GetString(), "info");
}

TEST_F(OperationsTest, TheLogLevelAndAccessLogOptionsQuietTheLog) {
  {
    const auto quiet = serve_with_a_case({"--access-log", "off"});
    ASSERT_NE(quiet->port(), 0) << quiet->output() << quiet->errors();
    ASSERT_EQ(read_case(*quiet, "portal-44").status, 200);
    EXPECT_TRUE(lines_with(quiet->output(), "portal-44").empty()) << quiet->output();
    EXPECT_FALSE(lines_with(quiet->output(), "listening on").empty()) << quiet->output();
  }
  const ServeProcess warnings_only(db_path_, folder_, {"--log-level", "warn"});
  ASSERT_NE(warnings_only.port(), 0) << warnings_only.output() << warnings_only.errors();
  ASSERT_EQ(read_case(warnings_only, "portal-45").status, 200);
  EXPECT_TRUE(lines_with(warnings_only.output(), "portal-45").empty()) << warnings_only.output();
  EXPECT_TRUE(lines_with(warnings_only.output(), "listening on").empty()) << warnings_only.output();
}

TEST_F(OperationsTest, MetricsShowTheDatabaseSizeAndTheSchedulersLag) {
  const std::string number = open_critique();
  const Reply before = get("admin", "/metrics");
  ASSERT_EQ(before.status, 200);
  const auto bytes = sample(before.body, "docket_database_bytes");
  ASSERT_TRUE(bytes.has_value()) << before.body;
  EXPECT_EQ(*bytes, static_cast<double>(std::filesystem::file_size(db_path_)));
  EXPECT_TRUE(sample(before.body, "docket_database_wal_bytes").has_value()) << before.body;
  EXPECT_GE(sample(before.body, "docket_scheduler_rounds_total").value_or(0), 1);
  EXPECT_EQ(sample(before.body, "docket_outbox_dead_letters"), 0.0) << before.body;

  // A year later every timer of the case is overdue: the next round fires them late, and says
  // by how much.
  clock_.advance(std::chrono::hours{24 * 365});
  const double now = static_cast<double>(clock_.now().time_since_epoch().count());
  ASSERT_EQ(act("lan", number, "comments", R"({"text":"Nhắc lại."})").status, 200);  // wakes the scheduler
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text = get("admin", "/metrics").body;
    if (sample(text, "docket_scheduler_last_round_timestamp_seconds") == now &&
        sample(text, "docket_scheduler_lag_seconds").value_or(0) > 0)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  EXPECT_EQ(sample(text, "docket_scheduler_last_round_timestamp_seconds"), now) << text;
  EXPECT_GT(sample(text, "docket_scheduler_lag_seconds").value_or(0), 180 * 86400.0) << text;
  EXPECT_NE(text.find("# HELP docket_scheduler_lag_seconds "), std::string::npos);
  EXPECT_NE(text.find("# TYPE docket_database_bytes gauge"), std::string::npos);
}

}  // namespace
}  // namespace docket::server_test
