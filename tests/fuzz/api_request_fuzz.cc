// Fuzz target: an HTTP request to the API, from the bytes a client sends to the answer, with no
// network. The input goes through Beast's request parser (with the server's limits), then
// Api::handle: the target's parsing, routing by method and path, the headers the API reads, and
// each route's decoding of its query and JSON body, on real storage threads over a temporary
// SQLite file with the built-in workflows, an organisation and two users. The answer is turned
// into an HTTP response; it must come, and a 5xx is a crash (a fault, not a refusal).
// A request without Authorization is sent as the administrator; "Bearer lan" as an officer.
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include "server/api.h"
#include "store/calendar_registry.h"
#include "store/directory.h"
#include "store/workflow_registry.h"

namespace {

using namespace docket;
using namespace docket::server;

template <typename T>
T must(Result<T> result, const char* what) {
  if (!result.ok()) {
    std::fprintf(stderr, "fuzz setup: %s: %s\n", what, result.error().message.c_str());
    std::abort();
  }
  return std::move(result.value());
}
void must(const Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "fuzz setup: %s: %s\n", what, status.error().message.c_str());
    std::abort();
  }
}

// The database and the API over it, made once per process (a fuzzer runs millions of inputs).
class Harness {
 public:
  Harness() {
    std::string folder = (std::filesystem::temp_directory_path() / "docket-fuzz-api-XXXXXX").string();
    if (::mkdtemp(folder.data()) == nullptr) std::abort();
    folder_ = folder;
    // synchronous=NORMAL: no fsync per request; what is fuzzed is the decoding, not durability.
    const DatabaseOptions options{folder_ / "docket.db", true, 5000, false};
    populate(options);
    writer_ = must(StorageThreads::start(1, options, clock_, 1024), "writer");
    readers_ = must(StorageThreads::start(1, options, clock_, 1024), "readers");
    long_readers_ = must(StorageThreads::start(1, options, clock_, 1024), "long readers");
    local_ = must(Workspace::open(options, clock_), "local workspace");
    api_ = std::make_unique<Api>(ApiThreads{*writer_, *readers_, *long_readers_}, metrics_,
                                 [this] { return local_.get(); });
  }

  ~Harness() {
    api_.reset();
    writer_.reset();
    readers_.reset();
    long_readers_.reset();
    local_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }

  // The answer to `request`, as it would be sent.
  Response answer(Request request) {
    authorise(request);
    std::promise<Response> answered;
    api_->handle(std::move(request), [&answered](std::function<Response()> make) { answered.set_value(make()); });
    return answered.get_future().get();
  }

 private:
  void populate(const DatabaseOptions& options) {
    auto db = must(Database::open(options), "database");
    must(WorkflowRegistry(*db, clock_).install_directory(DOCKET_WORKFLOWS_DIR), "workflows");
    must(CalendarRegistry(*db, clock_).install_directory(std::filesystem::path(DOCKET_WORKFLOWS_DIR) / "calendars"),
         "calendars");
    Directory directory(*db, clock_);
    must(directory.add_unit({"ninh-binh", "Ủy ban MTTQ tỉnh Ninh Bình", "province", ""}), "unit");
    must(directory.add_unit({"gia-vien", "Ủy ban MTTQ xã Gia Viễn", "commune", "ninh-binh"}), "unit");
    must(directory.add_user("admin", "Quản trị", "ninh-binh", {"auditor"}), "admin");
    must(directory.set_admin("admin", true), "admin");
    must(directory.add_user("lan", "Nguyễn Thị Lan", "ninh-binh", {"department_head", "officer", "delegation_head"}),
         "lan");
    admin_token_ = must(directory.issue_token("admin"), "admin token");
    lan_token_ = must(directory.issue_token("lan"), "lan token");
  }

  void authorise(Request& request) const {
    const auto given = request.find(http::field::authorization);
    if (given == request.end()) {
      request.set(http::field::authorization, "Bearer " + admin_token_);
    } else if (given->value() == "Bearer lan") {
      request.set(http::field::authorization, "Bearer " + lan_token_);
    }
  }

  std::filesystem::path folder_;
  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} + std::chrono::hours{2}};
  Metrics metrics_;
  std::string admin_token_, lan_token_;
  std::unique_ptr<StorageThreads> writer_, readers_, long_readers_;
  std::unique_ptr<Workspace> local_;
  std::unique_ptr<Api> api_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness harness;
  http::request_parser<http::string_body> parser;
  const Limits limits;
  parser.body_limit(limits.max_body_bytes);
  parser.header_limit(limits.max_header_bytes);
  parser.eager(true);
  boost::beast::error_code error;
  parser.put(boost::asio::buffer(data, size), error);
  if (!error && !parser.is_done()) parser.put_eof(error);
  if (error || !parser.is_done()) return 0;
  const Response response = harness.answer(parser.release());
  if (response.result_int() >= 500 && response.result() != http::status::service_unavailable) {
    std::fprintf(stderr, "the API answered %d: %s\n", response.result_int(), response.body().c_str());
    std::abort();
  }
  return 0;
}
