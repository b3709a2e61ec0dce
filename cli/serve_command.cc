// docket serve: the HTTP/JSON API with the deadline scheduler and, with --notifications, the
// outbox dispatcher, until SIGINT/SIGTERM.
#include <CLI/CLI.hpp>

#include <spdlog/spdlog.h>

#include <charconv>
#include <map>
#include <optional>
#include <vector>

#include "app.h"
#include "command_support.h"
#include "core/text.h"
#include "documents/case_documents.h"
#include "documents/recommendation_letter.h"
#include "documents/report_document.h"
#include "server/access_log.h"
#include "server/server.h"
#include "store/checkpoint.h"
#include "store/signing_key.h"

namespace docket::cli {
namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  int readers = 2;
  int long_readers = 1;
  std::uint64_t max_body = 20 * 1024 * 1024;
  int read_timeout = 30;
  int idle_timeout = 60;
  int first_request_timeout = 10;
  int max_connections = 1024;
  int max_connections_per_address = 64;
  bool behind_tls = false;
  int session_idle_minutes = 30;
  int session_hours = 12;
  std::string checkpoint_dir;
  std::string checkpoint_key;
  std::string checkpoint_unit;
  std::int64_t checkpoint_every = 3600;  // seconds
  std::vector<std::string> cors_origins;
  std::string log_level = "info";
  std::string log_format = "text";
  std::string access_log = "on";
  std::string documents_config;  // --documents-config, DOCKET_DOCUMENTS_CONFIG
};

// An origin as a browser sends it: http or https, a host, perhaps a port, nothing after.
bool is_origin(const std::string& origin) {
  const std::size_t scheme = origin.find("://");
  if (scheme == std::string::npos) return false;
  const std::string name = origin.substr(0, scheme);
  const std::string host = origin.substr(scheme + 3);
  return (name == "http" || name == "https") && !host.empty() && host.find_first_of("/?# ") == std::string::npos;
}

// The signed-checkpoint schedule the options ask for (none without --checkpoint-dir); the key
// and the unit are checked before the server starts.
Result<std::optional<server::CheckpointSchedule>> checkpoint_schedule(Context& context, const ServeOptions& options) {
  if (options.checkpoint_dir.empty()) return std::optional<server::CheckpointSchedule>{};
  auto key = SigningKey::load(options.checkpoint_key);
  if (!key) return key.error();
  auto workspace = open_workspace(context);
  if (!workspace) return workspace.error();
  auto unit = signing_unit((*workspace)->directory(), options.checkpoint_unit);
  if (!unit) return unit.error();
  return std::optional<server::CheckpointSchedule>(server::CheckpointSchedule{
      *key, unit->id, options.checkpoint_dir, std::chrono::seconds{options.checkpoint_every}});
}

// HOST:PORT or [IPV6]:PORT split into a host (a name or an IP address, without the brackets of
// an IPv6 one) and a port from 0 to 65535; nullopt when it is not that.
struct ListenAddress {
  std::string host;
  unsigned short port = 0;
};

std::optional<ListenAddress> parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return std::nullopt;
  std::string host = listen.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return std::nullopt;
  unsigned port = 0;
  const char* digits = listen.data() + colon + 1;
  const auto [end, problem] = std::from_chars(digits, listen.data() + listen.size(), port);
  if (problem != std::errc{} || end != listen.data() + listen.size() || port > 65535) return std::nullopt;
  return ListenAddress{host, static_cast<unsigned short>(port)};
}

// "http://localhost:8080", "http://[::1]:8080".
std::string url_of(const std::string& host, unsigned short port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

void serve(Context& context, const ServeOptions& options) {
  const auto listen = parse_listen(options.listen);
  if (!listen) {
    context.err << "docket: usage: --listen HOST:PORT (a name or an IP address, [IPV6]:PORT, port 0 to 65535), got "
                << in_quotes(options.listen) << "\n";
    context.exit_code = kExitUsage;
    return;
  }
  for (const std::string& origin : options.cors_origins) {
    if (is_origin(origin)) continue;
    context.err << "docket: usage: --cors-origin takes an origin as a browser sends it (https://portal.example.org, "
                   "http://localhost:3000: no path, no trailing slash), got "
                << in_quotes(origin) << "\n";
    context.exit_code = kExitUsage;
    return;
  }
  server::configure_logging(options.log_level, *server::log_format_from_string(options.log_format));
  server::ServerOptions server_options;
  server_options.cors.origins = options.cors_origins;
  server_options.access_log = options.access_log == "on";
  server_options.host = listen->host;
  server_options.port = listen->port;
  server_options.io_threads = options.threads;
  server_options.reader_threads = options.readers;
  server_options.long_read_threads = options.long_readers;
  server_options.database = database_options(context, false);
  server_options.limits.max_body_bytes = options.max_body;
  server_options.limits.read_timeout = std::chrono::seconds{options.read_timeout};
  server_options.limits.idle_timeout = std::chrono::seconds{options.idle_timeout};
  server_options.limits.first_request_timeout = std::chrono::seconds{options.first_request_timeout};
  server_options.limits.max_connections = options.max_connections;
  server_options.limits.max_connections_per_address = options.max_connections_per_address;
  server_options.web.secure_cookies = options.behind_tls;
  server_options.web.sessions.idle = std::chrono::minutes{options.session_idle_minutes};
  server_options.web.sessions.absolute = std::chrono::hours{options.session_hours};
  if (!options.documents_config.empty()) {
    // Every kind the pages offer (the letter, a case's report or critique, the review report)
    // needs its abbreviation: a missing one is said now, not on an officer's download.
    auto head = documents::load_letterhead(options.documents_config,
                                           {documents::kLetterKind, documents::kReportKind, documents::kCritiqueKind});
    if (!head) return report(context, head.error());
    server_options.web.letterhead = std::move(*head);
    server_options.web.document_templates = std::filesystem::path(context.workflows_dir) / "documents";
  }
  if (!context.notifications_path.empty()) {  // checked against the installed workflows first
    auto workspace = open_workspace(context);
    if (!workspace) return report(context, workspace.error());
    server_options.notifications = (*workspace)->notifications_config();
    server_options.notifications_setup = notifications_setup(context);
  }
  auto checkpoints = checkpoint_schedule(context, options);
  if (!checkpoints) return report(context, checkpoints.error());
  server_options.checkpoints = *checkpoints;
  server::StartFailure failure = server::StartFailure::other;
  auto server = server::Server::start(server_options, context.clock, &failure);
  if (!server && failure == server::StartFailure::address_in_use) {
    context.err << "docket: address_in_use: " << server.error().message << "; stop it or choose another --listen\n";
    context.exit_code = kExitAddressInUse;
    return;
  }
  if (!server) return report(context, server.error());
  context.out << "docket: serving " << context.database_path << " on " << url_of(server_options.host, (*server)->port())
              << "/api/v1 (Ctrl-C stops)" << std::endl;
  if (server_options.notifications) {
    context.out << "docket: notifications from " << context.notifications_path << " (outbox dispatcher running)"
                << std::endl;
  }
  if (server_options.checkpoints) {
    context.out << "docket: signed checkpoints of " << server_options.checkpoints->unit << " every "
                << options.checkpoint_every << " s into " << options.checkpoint_dir << std::endl;
  }
  spdlog::info("listening on {}", (*server)->address());
  (*server)->run_until_signal();
  context.out << "docket: stopped" << std::endl;
}

}  // namespace

void add_serve_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* command =
      app.add_subcommand("serve", "Run the HTTP/JSON API (and the deadline scheduler) until SIGINT/SIGTERM");
  command->add_option("--listen", options->listen,
                      "HOST:PORT to listen on: an IP address or a name (localhost), [IPV6]:PORT; port 0: any free "
                      "port. Taken by another program: exit code 6");
  command->add_option("--threads", options->threads, "I/O threads")->check(CLI::Range(1, 64));
  command->add_option("--readers", options->readers, "Database reader threads")->check(CLI::Range(1, 64));
  command
      ->add_option("--long-readers", options->long_readers,
                   "Database threads for reports, audit exports and lists of every due case")
      ->check(CLI::Range(1, 64));
  command->add_option("--max-body", options->max_body, "Largest request body in bytes (413 above)");
  command->add_option("--read-timeout", options->read_timeout, "Seconds to read one request")
      ->check(CLI::Range(1, 3600));
  command->add_option("--idle-timeout", options->idle_timeout, "Seconds a kept-alive connection may stay idle")
      ->check(CLI::Range(1, 3600));
  command
      ->add_option("--first-request-timeout", options->first_request_timeout,
                   "Seconds a new connection may wait before its first request starts")
      ->check(CLI::Range(1, 3600));
  command
      ->add_option("--max-connections", options->max_connections,
                   "Open connections at most (503 above; fewer when ulimit -n is too low for them)")
      ->check(CLI::Range(1, 100000));
  command
      ->add_option("--max-connections-per-address", options->max_connections_per_address,
                   "Open connections from one client address at most (503 above; 0: no cap, e.g. behind a proxy)")
      ->check(CLI::Range(0, 100000));
  command->add_flag("--behind-tls", options->behind_tls,
                    "The server is reached over HTTPS (through a TLS proxy): sign-in cookies get Secure");
  command
      ->add_option("--session-idle", options->session_idle_minutes,
                   "Minutes a web session may stay unused before it ends (default 30)")
      ->check(CLI::Range(1, 24 * 60));
  command
      ->add_option("--session-hours", options->session_hours,
                   "Hours a web session lasts at most from sign-in (default 12)")
      ->check(CLI::Range(1, 24 * 30));
  CLI::Option* checkpoint_dir = command->add_option("--checkpoint-dir", options->checkpoint_dir,
                                                    "Write a signed checkpoint of the audit chains into this folder");
  CLI::Option* checkpoint_key =
      command->add_option("--checkpoint-key", options->checkpoint_key, "The unit's private key (audit keygen)");
  command
      ->add_option("--checkpoint-every", options->checkpoint_every,
                   "How often: a number with s, m, h or d (default 1h); the first when the server starts")
      ->transform(
          CLI::AsNumberWithUnit(std::map<std::string, std::int64_t>{{"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}},
                                static_cast<CLI::AsNumberWithUnit::Options>(CLI::AsNumberWithUnit::CASE_SENSITIVE |
                                                                            CLI::AsNumberWithUnit::UNIT_REQUIRED)))
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{366} * 86400))
      ->needs(checkpoint_dir);
  command
      ->add_option("--checkpoint-unit", options->checkpoint_unit,
                   "The unit that signs (default: the root of the organisation tree)")
      ->needs(checkpoint_dir);
  command
      ->add_option("--documents-config", options->documents_config,
                   "The committee's letterhead (config/documents.example.json): cases' pages then offer their "
                   "documents (letter, supervision report, critique, periodic report) as drafts and to issue; "
                   "the reports page the review report as a Word file")
      ->envname("DOCKET_DOCUMENTS_CONFIG");
  command->add_option("--cors-origin", options->cors_origins,
                      "An origin whose web pages may call the API from a browser (CORS), e.g. "
                      "https://portal.example.org; repeat for more. None by default: CORS off");
  command->add_option("--log-level", options->log_level, "Least severe log lines shown (default info)")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  command->add_option("--log-format", options->log_format, "Log lines as text or as JSON objects (default text)")
      ->check(CLI::IsMember({"text", "json"}));
  command->add_option("--access-log", options->access_log, "A log line per request: on or off (default on)")
      ->check(CLI::IsMember({"on", "off"}));
  checkpoint_dir->needs(checkpoint_key);
  checkpoint_key->needs(checkpoint_dir);
  command->callback([&context, options] { serve(context, *options); });
}

}  // namespace docket::cli
