#include "http_load.h"

#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fstream>
#include <iostream>
#include <limits>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "bench_support.h"
#include "server/server.h"

extern char** environ;

namespace docket::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;
using Response = http::response<http::string_body>;

struct Connection {
  explicit Connection(net::io_context& io) : stream(io) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

net::awaitable<Response> exchange(Connection& connection, http::verb verb, const std::string& target,
                                  const std::string& token, const std::string& content_type = "",
                                  const std::string& body = "", const std::string& if_match = "",
                                  const std::string& session = "") {
  http::request<http::string_body> request{verb, target, 11};
  request.set(http::field::host, "127.0.0.1");
  if (session.empty()) {
    request.set(http::field::authorization, "Bearer " + token);
  } else {
    request.set(http::field::cookie, "docket_session=" + session);
  }
  if (!if_match.empty()) request.set(http::field::if_match, if_match);
  if (!content_type.empty()) request.set(http::field::content_type, content_type);
  request.body() = body;
  request.prepare_payload();
  co_await http::async_write(connection.stream, request, net::use_awaitable);
  Response response;
  co_await http::async_read(connection.stream, connection.buffer, response, net::use_awaitable);
  co_return response;
}

std::string number_in(const std::string& body) {
  const std::string key = R"("number":")";
  const auto at = body.find(key);
  if (at == std::string::npos) return "";
  return body.substr(at + key.size(), body.find('"', at + key.size()) - at - key.size());
}

struct Load {
  unsigned short port;
  std::string token;
  Clock::time_point deadline;
  LatencyLog latencies;
  std::int64_t done = 0, failed = 0;
  std::vector<std::string> numbers;  // cases the write phase made, for the read phase
  std::int64_t max_requests = std::numeric_limits<std::int64_t>::max();
  bool comment_before_transitions = false;  // as an officer noting why the case moves
  std::string session{};                    // set: a web session's key, sent as its cookie instead of the token
  std::size_t largest_body = 0;
};

bool going_on(const Load& load) { return load.done + load.failed < load.max_requests && Clock::now() < load.deadline; }

// Times one request; false (and counted as failed) unless it answered `expected`.
net::awaitable<bool> timed(Load& load, Connection& connection, Response& response, int expected, http::verb verb,
                           const std::string& target, const std::string& content_type = "",
                           const std::string& body = "", const std::string& if_match = "") {
  const auto sent = Clock::now();
  response = co_await exchange(connection, verb, target, load.token, content_type, body, if_match, load.session);
  load.latencies.add(Clock::now() - sent);
  load.largest_body = std::max(load.largest_body, response.body().size());
  if (response.result_int() != static_cast<unsigned>(expected)) {
    if (++load.failed <= 3)
      std::cerr << "http: " << target << " answered " << response.result_int() << ": " << response.body() << "\n";
    co_return false;
  }
  ++load.done;
  co_return true;
}

net::awaitable<void> write_lifecycles(Load& load, int client) {
  Connection connection(static_cast<net::io_context&>((co_await net::this_coro::executor).context()));
  co_await connection.stream.async_connect({net::ip::make_address("127.0.0.1"), load.port}, net::use_awaitable);
  const OpenCase open = open_request(commune_id(1 + client % 8));
  const std::string open_body = R"({"workflow":"social-critique","unit":")" + open.unit + R"(","title":")" +
                                open.title +
                                R"(","fields":{"submission_date":"2027-06-30","drafting_body":"Sở Lao động"}})";
  const std::string comment_body = R"({"text":"Đã xem hồ sơ, chuyển sang bước tiếp theo."})";
  Response response;
  while (going_on(load)) {
    if (!co_await timed(load, connection, response, 201, http::verb::post, "/api/v1/cases", "application/json",
                        open_body))
      co_return;
    const std::string number = number_in(response.body());
    std::string etag(response[http::field::etag]);
    for (const LifecycleStep& step : lifecycle()) {
      // The comment comes before its transition: a closed case takes none.
      if (load.comment_before_transitions && step.kind == LifecycleStep::Kind::transition) {
        if (!co_await timed(load, connection, response, 200, http::verb::post, "/api/v1/cases/" + number + "/comments",
                            "application/json", comment_body, etag)) {
          co_return;
        }
        etag = std::string(response[http::field::etag]);
        if (!going_on(load)) break;
      }
      const HttpStep request = to_http(step, number);
      if (!co_await timed(load, connection, response, 200, http::verb::post, request.target, request.content_type,
                          request.body, etag)) {
        co_return;
      }
      etag = std::string(response[http::field::etag]);
      if (!going_on(load)) break;
    }
    load.numbers.push_back(number);
  }
}

net::awaitable<void> read_cases(Load& load, int client) {
  Connection connection(static_cast<net::io_context&>((co_await net::this_coro::executor).context()));
  co_await connection.stream.async_connect({net::ip::make_address("127.0.0.1"), load.port}, net::use_awaitable);
  std::mt19937 random(static_cast<unsigned>(client));
  Response response;
  while (Clock::now() < load.deadline && !load.numbers.empty()) {
    const std::string& number = load.numbers[random() % load.numbers.size()];
    if (!co_await timed(load, connection, response, 200, http::verb::get, "/api/v1/cases/" + number)) co_return;
  }
}

// Runs `client` coroutines on one thread until the load's deadline; returns the seconds taken.
template <typename Client>
double drive(Load& load, int connections, std::chrono::milliseconds duration, Client client) {
  net::io_context io;
  load.deadline = Clock::now() + duration;
  const auto started = Clock::now();
  for (int c = 0; c < connections; ++c) {
    net::co_spawn(io, client(load, c), [&load](std::exception_ptr problem) {
      if (!problem) return;
      ++load.failed;
      try {
        std::rethrow_exception(problem);
      } catch (const std::exception& error) {
        std::cerr << "http: connection failed: " << error.what() << "\n";
      }
    });
  }
  io.run();
  return std::chrono::duration<double>(Clock::now() - started).count();
}

// Starts `args` (args[0] looked up in PATH) with its standard output and error going to
// `output`; the child's pid, or -1 when it could not be started.
pid_t spawn_to_file(std::vector<std::string> args, const std::filesystem::path& output) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return spawned == 0 ? pid : -1;
}

// A duration as wrk prints it ("812.00us", "1.53ms", "2.01s"), in microseconds.
double wrk_microseconds(const std::string& number, const std::string& unit) {
  const double value = std::stod(number);
  if (unit == "us") return value;
  if (unit == "ms") return value * 1e3;
  if (unit == "s") return value * 1e6;
  return value * 60e6;  // "m"
}

// wrk reading `numbers` at random over `connections` connections from one thread, for
// `duration` (whole seconds, at least one). Its report is parsed: requests/s, the 50th and
// 99th latency percentiles (--latency), and the requests that did not answer 2xx or 3xx.
void run_wrk(HttpResult& result, unsigned short port, const std::string& token, const std::vector<std::string>& numbers,
             int connections, std::chrono::milliseconds duration, pid_t server_pid,
             const std::filesystem::path& scratch) {
  if (numbers.empty()) {
    result.wrk_problem = "no cases to read";
    return;
  }
  const std::filesystem::path paths = scratch / "wrk-paths.txt", script = scratch / "wrk-reads.lua",
                              report = scratch / "wrk-report.txt";
  {
    std::ofstream out(paths);
    for (const std::string& number : numbers) out << "/api/v1/cases/" << number << "\n";
  }
  {
    std::ofstream out(script);
    out << "-- Written by docket_bench: GET a random case of the list, as the bench user.\n"
           "local requests = {}\n"
           "init = function(args)\n"
           "  for line in io.lines(args[1]) do\n"
           "    requests[#requests + 1] = wrk.format(\"GET\", line, {[\"Authorization\"] = \"Bearer \" .. args[2]})\n"
           "  end\n"
           "end\n"
           "request = function() return requests[math.random(#requests)] end\n";
  }
  const long seconds = std::max<long>(1, static_cast<long>((duration.count() + 999) / 1000));
  std::vector<std::string> args = {"wrk",
                                   "-t1",
                                   "-c" + std::to_string(connections),
                                   "-d" + std::to_string(seconds) + "s",
                                   "--latency",
                                   "-s",
                                   script.string(),
                                   "http://127.0.0.1:" + std::to_string(port) + "/",
                                   "--",
                                   paths.string(),
                                   token};
  const double server_start = cpu_seconds(server_pid);
  const pid_t pid = spawn_to_file(std::move(args), report);
  if (pid < 0) {
    result.wrk_problem = "wrk is not installed (bench/run installs it)";
    return;
  }
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  const double server_seconds = cpu_seconds(server_pid) - server_start;
  std::ifstream in(report);
  std::stringstream text;
  text << in.rdbuf();
  const std::string output = text.str();
  std::smatch found;
  const auto number_after = [&](const std::regex& pattern) {
    return std::regex_search(output, found, pattern) ? std::stod(found[1].str()) : -1.0;
  };
  const double requests = number_after(std::regex(R"((\d+) requests in )"));
  result.wrk_reads_per_second = number_after(std::regex(R"(Requests/sec:\s+([\d.]+))"));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || requests <= 0 || result.wrk_reads_per_second <= 0) {
    result.wrk_problem = "wrk failed; see " + report.string();
    return;
  }
  for (const auto& [percent, into] : {std::pair{"50", &result.wrk_p50_us}, std::pair{"99", &result.wrk_p99_us}}) {
    if (std::regex_search(output, found,
                          std::regex(std::string(R"(\n\s+)") + percent + R"(%\s+([\d.]+)(us|ms|s|m)\b)")))
      *into = wrk_microseconds(found[1].str(), found[2].str());
  }
  const double refused = number_after(std::regex(R"(Non-2xx or 3xx responses:\s+(\d+))"));
  result.wrk_failed = refused > 0 ? static_cast<std::int64_t>(refused) : 0;
  if (std::regex_search(output, found,
                        std::regex(R"(Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+))"))) {
    for (int i = 1; i <= 4; ++i) result.wrk_failed += std::stoll(found[i].str());
  }
  const double driver_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                                static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  result.wrk_server_cpu_us = server_seconds * 1e6 / requests;
  result.wrk_driver_cpu_us = driver_seconds * 1e6 / requests;
  result.wrk_ran = true;
}

// CPU microseconds per request of the server process and of this one (the driver) in a phase.
struct CpuMeter {
  pid_t server;
  double server_start = cpu_seconds(server), driver_start = cpu_seconds(getpid());
  void per_request(std::int64_t requests, double& server_us, double& driver_us) const {
    if (requests <= 0) return;
    server_us = (cpu_seconds(server) - server_start) * 1e6 / static_cast<double>(requests);
    driver_us = (cpu_seconds(getpid()) - driver_start) * 1e6 / static_cast<double>(requests);
  }
};

}  // namespace

ChildServer::ChildServer(const std::filesystem::path& self, const std::filesystem::path& database, int io_threads) {
  const std::filesystem::path port_file = database.string() + ".port";
  std::filesystem::remove(port_file);
  const std::string log = database.string() + ".server.log";
  const std::string threads = std::to_string(io_threads);
  pid_ = spawn_to_file({self.string(), "--serve", database.string(), "--io-threads", threads}, log);
  if (pid_ < 0) return;
  for (int wait = 0; wait < 600 && port_ == 0; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
    std::ifstream in(port_file);
    int port = 0;
    if (in >> port) port_ = static_cast<unsigned short>(port);
  }
  if (port_ == 0) std::cerr << "the server did not start; see " << log << "\n";
}

ChildServer::~ChildServer() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
}

int serve_main(const std::filesystem::path& database, int io_threads) {
  static const SystemClock clock;
  server::ServerOptions options;
  options.port = 0;
  options.io_threads = io_threads;
  options.database = DatabaseOptions{database, false, 5000, true};
  options.limits.max_connections_per_address = 0;  // every load connection comes from 127.0.0.1
  auto started = server::Server::start(options, clock);
  if (!started) {
    std::cerr << "serve: " << started.error().message << "\n";
    return 1;
  }
  {
    std::ofstream port_file(database.string() + ".port.tmp");
    port_file << (*started)->port() << "\n";
  }
  std::filesystem::rename(database.string() + ".port.tmp", database.string() + ".port");
  (*started)->run_until_signal();
  return 0;
}

HttpResult run_http(unsigned short port, const std::string& token, int connections, std::chrono::milliseconds duration,
                    pid_t server_pid, const std::filesystem::path& scratch) {
  HttpResult result;
  Load writes{port, token, {}, {}, 0, 0, {}};
  const CpuMeter write_cpu{server_pid};
  const double write_seconds = drive(writes, connections, duration, write_lifecycles);
  write_cpu.per_request(writes.done, result.write_server_cpu_us, result.write_driver_cpu_us);
  result.writes_per_second = static_cast<double>(writes.done) / write_seconds;
  result.write_p50_us = writes.latencies.percentile(0.50);
  result.write_p99_us = writes.latencies.percentile(0.99);
  Load reads{port, token, {}, {}, 0, 0, writes.numbers};
  const CpuMeter read_cpu{server_pid};
  const double read_seconds = drive(reads, connections, duration, read_cases);
  read_cpu.per_request(reads.done, result.read_server_cpu_us, result.read_driver_cpu_us);
  result.reads_per_second = static_cast<double>(reads.done) / read_seconds;
  result.read_p50_us = reads.latencies.percentile(0.50);
  result.read_p99_us = reads.latencies.percentile(0.99);
  result.failed = writes.failed + reads.failed;
  run_wrk(result, port, token, writes.numbers, connections, duration, server_pid, scratch);
  result.server_rss_mib = peak_rss_mib(server_pid);
  return result;
}

LoneWriterResult run_lone_writer(unsigned short port, const std::string& token, std::chrono::milliseconds duration,
                                 std::int64_t max_requests, pid_t server_pid) {
  Load load{port, token, {}, {}, 0, 0, {}};
  load.max_requests = max_requests;
  load.comment_before_transitions = true;
  const CpuMeter cpu{server_pid};
  const double seconds = drive(load, 1, duration, write_lifecycles);
  LoneWriterResult result;
  cpu.per_request(load.done, result.server_cpu_us, result.driver_cpu_us);
  result.requests = load.done;
  result.failed = load.failed;
  result.per_second = static_cast<double>(load.done) / seconds;
  result.p50_us = load.latencies.percentile(0.50);
  result.p99_us = load.latencies.percentile(0.99);
  return result;
}

ReadTimes time_reads(unsigned short port, const std::string& token, const std::vector<std::string>& targets, int rounds,
                     const std::string& session) {
  Load load{port, token, Clock::now() + std::chrono::hours{1}, {}, 0, 0, {}};
  load.session = session;
  net::io_context io;
  net::co_spawn(
      io,
      [&]() -> net::awaitable<void> {
        Connection connection(io);
        co_await connection.stream.async_connect({net::ip::make_address("127.0.0.1"), port}, net::use_awaitable);
        Response response;
        for (int round = 0; round < rounds; ++round) {
          for (const std::string& target : targets)
            co_await timed(load, connection, response, 200, http::verb::get, target);
        }
      },
      net::detached);
  io.run();
  return ReadTimes{load.latencies.percentile(0.50), load.latencies.percentile(0.99), load.failed, load.largest_body};
}

}  // namespace docket::bench
