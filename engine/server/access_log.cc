#include "server/access_log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cmath>
#include <cstdio>

#include "server/api_types.h"

namespace docket::server {
namespace {

constexpr const char* kAccessLogger = "access";
constexpr const char* kTime = "%Y-%m-%dT%H:%M:%S.%eZ";
std::atomic<LogFormat> configured_format{LogFormat::text};

// %* in a pattern: the message as the inside of a JSON string, so that a JSON line stays one
// whatever the message holds (quotes, new lines, invalid UTF-8).
class JsonMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&, spdlog::memory_buf_t& out) override {
    const std::string quoted = json_text([&](Json& json) {
      json.String(valid_utf8(std::string_view(message.payload.data(), message.payload.size())).c_str());
    });
    out.append(quoted.data() + 1, quoted.data() + quoted.size() - 1);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonMessage>(); }
};

std::unique_ptr<spdlog::formatter> utc_formatter(const std::string& pattern) {
  auto made = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  made->add_flag<JsonMessage>('*').set_pattern(pattern);
  return made;
}

std::string milliseconds(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

}  // namespace

std::optional<LogFormat> log_format_from_string(std::string_view name) {
  if (name == "text") return LogFormat::text;
  if (name == "json") return LogFormat::json;
  return std::nullopt;
}

void configure_logging(std::string_view level, LogFormat format) {
  configured_format = format;
  const std::string utc = kTime;
  const bool json = format == LogFormat::json;
  spdlog::default_logger()->set_formatter(
      utc_formatter(json ? "{\"time\":\"" + utc + "\",\"level\":\"%l\",\"message\":\"%*\"}" : utc + " [%l] %v"));
  if (!spdlog::get(kAccessLogger)) {
    auto access = std::make_shared<spdlog::logger>(kAccessLogger, std::make_shared<spdlog::sinks::stdout_sink_mt>());
    access->flush_on(spdlog::level::info);  // a line per request, seen as it happens
    spdlog::register_logger(access);
  }
  spdlog::get(kAccessLogger)
      ->set_formatter(utc_formatter(json ? "{\"time\":\"" + utc + "\",\"level\":\"%l\",\"logger\":\"access\",%v}"
                                         : utc + " [access] %v"));
  spdlog::set_level(spdlog::level::from_str(std::string(level)));
}

std::string access_line(const AccessRecord& record, LogFormat format) {
  const std::string user = record.user.empty() ? "-" : record.user;
  if (format == LogFormat::text) {
    return record.method + " " + record.route + " " + std::to_string(record.status) + " " +
           milliseconds(record.duration_ms) + "ms user=" + user + " id=" + record.request_id +
           " peer=" + (record.peer.empty() ? "-" : record.peer) + " path=" + record.path;
  }
  std::string members = json_text([&](Json& json) {
    json.StartObject();
    put(json, "method", record.method);
    put(json, "route", record.route);
    put(json, "path", record.path);
    json.Key("status"), json.Int(record.status);
    json.Key("duration_ms"), json.Double(std::round(record.duration_ms * 10) / 10);  // 0.1 ms, as in text
    if (record.user.empty()) {
      json.Key("user"), json.Null();
    } else {
      put(json, "user", record.user);
    }
    put(json, "request_id", record.request_id);
    put(json, "peer", record.peer);
    json.EndObject();
  });
  return members.substr(1, members.size() - 2);
}

void log_access(const AccessRecord& record) {
  const auto access = spdlog::get(kAccessLogger);
  if (!access || !access->should_log(spdlog::level::info)) return;
  access->info(access_line(record, configured_format));
}

}  // namespace docket::server
