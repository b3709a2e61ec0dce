// The notifications tests' world: the store fixture (real SQLite file, built-in workflows,
// units ninh-binh > gia-vien), the shipped calendar, users with e-mail addresses, and the
// plugin, store and dispatcher wired from a rules file as production wires them. The clock is
// a FixedClock: backoff is waited out by moving it, never by sleeping.
#pragma once

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "deadlines/deadlines_plugin.h"
#include "loopback_receivers.h"
#include "notifications/channels.h"
#include "notifications/config_loader.h"
#include "notifications/directory_addressbook.h"
#include "notifications/dispatcher.h"
#include "notifications/notifications_plugin.h"
#include "store/calendar_registry.h"
#include "store/outbox.h"
#include "store_fixture.h"

namespace docket::testing {

inline constexpr const char* kPortalSecret = "portal-secret-2026";

// The whole content of the file at `path`.
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `text` with every "${NAME}" replaced by its value.
inline std::string fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string marker = "${" + name + "}";
    for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker, at + value.size()))
      text.replace(at, marker.size(), value);
  }
  return text;
}

class NotificationsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(CalendarRegistry(*db_, clock_)
                    .install_directory(std::filesystem::path(DOCKET_WORKFLOWS_DIR) / "calendars")
                    .ok());
    calendar_ = CalendarRegistry(*db_, clock_).calendar().value();
    directory_ = std::make_unique<Directory>(*db_, clock_);
    const std::vector<std::string> front{"standing_board", "department_head", "officer"};
    ASSERT_TRUE(directory_->add_user("can-bo", "Trần Văn Bình", "gia-vien", front).ok());
    ASSERT_TRUE(directory_->set_email("can-bo", "binh.tv@mttq-giavien.vn").ok());
    ASSERT_TRUE(directory_->set_email("chu-tich", "hung.pv@mttq-ninhbinh.vn").ok());
    clock_.set(*parse_datetime("2026-03-02T02:00:00Z"));
    logger_ =
        std::make_shared<spdlog::logger>("notifications-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_));
  }

  void TearDown() override {
    dispatcher_.reset();
    store_.reset();
    plugin_.reset();
    StoreTest::TearDown();
  }

  // Loads `rules` and wires the plugin, a new store and the dispatcher, as a process would at
  // start. `extra` channels are added after the configured ones.
  void use_rules(const std::string& rules, std::vector<std::unique_ptr<Channel>> extra = {}) {
    NotificationsLoadOptions options;
    options.catalog = &catalog_;
    options.environment = [](const std::string& name) -> std::optional<std::string> {
      if (name == "PORTAL_SECRET") return kPortalSecret;
      return std::nullopt;
    };
    for (const auto& channel : extra) options.extra_channels.emplace_back(channel->name());
    auto loaded = parse_notifications(rules, options);
    ASSERT_TRUE(loaded.config.has_value()) << describe_diagnostics("rules", loaded.diagnostics);
    config_ = std::move(*loaded.config);
    addressbook_ = std::make_unique<DirectoryAddressbook>(*directory_);
    plugin_ = std::make_unique<NotificationsPlugin>(config_, *addressbook_);
    build_store_and_dispatcher();
    auto channels = make_channels(config_, logger_);
    ASSERT_TRUE(channels.ok()) << channels.error().message;
    for (auto& channel : channels.value()) dispatcher_->add_channel(std::move(channel));
    for (auto& channel : extra) dispatcher_->add_channel(std::move(channel));
  }

  void build_store_and_dispatcher() {
    store_ = std::make_unique<CaseStore>(*db_, catalog_, clock_, std::vector<Plugin*>{&deadlines_, plugin_.get()},
                                         &calendar_);
    outbox_ = std::make_unique<Outbox>(*db_);
    dispatcher_ =
        std::make_unique<Dispatcher>(*outbox_, *store_, *plugin_, config_.delivery, clock_, [] { return 0.5; });
  }

  DispatchReport dispatch() {
    auto report = dispatcher_->dispatch_due();
    EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message);
    return report.ok() ? report.value() : DispatchReport{};
  }

  // Opens a critique at gia-vien as the commune's officer (submission 2026-06-30: due 06-29).
  Case open_critique(const std::string& drafting_body = "UBND xã Gia Viễn") {
    auto opened = store_->open("social-critique", "can-bo",
                               OpenCase{"",
                                        "Dự thảo Nghị quyết hỗ trợ hộ nghèo",
                                        "gia-vien",
                                        {{"submission_date", "2026-06-30"}, {"drafting_body", drafting_body}}});
    if (!opened) ADD_FAILURE() << opened.error().message;
    return opened ? opened.value() : Case{};
  }

  Case comment(const std::string& number, const std::string& text) {
    auto changed = store_->execute(number, "can-bo", {AddComment{text}});
    if (!changed) ADD_FAILURE() << changed.error().message;
    return changed ? changed.value() : Case{};
  }

  std::vector<StoredEvent> history(const std::string& number) { return store_->history(number).value(); }

  // The stored events of `number` of type `type`.
  std::vector<StoredEvent> events_of(const std::string& number, const std::string& type) {
    std::vector<StoredEvent> found;
    for (auto& stored : history(number)) {
      if (stored.type == type) found.push_back(stored);
    }
    return found;
  }

  std::int64_t newest_seq(const std::string& number) { return history(number).back().seq; }

  std::vector<OutboxEntry> outbox(bool failed_only = false) { return outbox_->list({failed_only, 1000}).value(); }

  Calendar calendar_;
  std::unique_ptr<Directory> directory_;
  DeadlinesPlugin deadlines_;
  NotificationsConfig config_;
  std::unique_ptr<DirectoryAddressbook> addressbook_;
  std::unique_ptr<NotificationsPlugin> plugin_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> logger_;
};

// A rules file with a webhook endpoint "portal" at ${URL} (comments and openings), the e-mail
// relay at 127.0.0.1:${SMTP_PORT} (deadline events to the officers of the case's unit), and
// the log channel (assignments). ${ATTEMPTS}: max attempts. ${STARTTLS}, ${CA_FILE}: relay TLS.
inline const char* const kStandardRules = R"json({
  "link_base": "https://docket.mttq-ninhbinh.vn/cases/",
  "delivery": {"max_attempts": ${ATTEMPTS}, "initial_backoff_seconds": 60, "max_backoff_seconds": 3600, "lease_seconds": 300},
  "channels": {
    "email": {"host": "127.0.0.1", "port": ${SMTP_PORT}, "from": "thongbao@mttq-ninhbinh.vn",
              "from_name": "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình", "helo": "docket.mttq-ninhbinh.vn",
              "starttls": "${STARTTLS}", "ca_file": "${CA_FILE}", "connect_timeout_ms": 2000, "command_timeout_ms": 5000},
    "webhook": {"endpoints": {"portal": {"url": "${URL}", "secret_env": "PORTAL_SECRET", "ca_file": "${CA_FILE}",
                                         "connect_timeout_ms": 2000, "response_timeout_ms": 5000}}}
  },
  "contacts": {"UBND xã Gia Viễn": "vanthu@giavien.ninhbinh.gov.vn"},
  "rules": [
    {"events": ["case.opened", "comment.added"], "channel": "webhook", "recipients": [{"endpoint": "portal"}]},
    {"events": ["deadline.reminder", "deadline.breached"], "workflow": "social-critique", "unit": "ninh-binh",
     "channel": "email", "recipients": [{"role": "officer"}]},
    {"events": ["case.assigned", "comment.added"], "channel": "log", "language": "en", "recipients": [{"assignee": true}]}
  ],
  "templates": {
    "case.opened": {"vi": {"subject": "Hồ sơ mới {case_number}", "text": "{title} ({workflow}) đã được mở tại {unit}."}},
    "comment.added": {
      "vi": {"subject": "Ý kiến mới về hồ sơ {case_number}", "text": "{actor}: {comment}"},
      "en": {"subject": "New comment on {case_number}", "text": "{actor}: {comment}"}},
    "case.assigned": {"en": {"subject": "{case_number} is assigned to you", "text": "{title}: now with {assignee} ({stage_label}). {link}"}},
    "deadline.reminder": {"vi": {"subject": "Hồ sơ {case_number} sắp đến hạn",
                                 "text": "Hồ sơ \"{title}\" ({stage_label}) phải hoàn thành trước ngày {due}, còn {days_before} ngày.\nXem: {link}"}},
    "deadline.breached": {"vi": {"subject": "Hồ sơ {case_number} đã quá hạn", "text": "Hạn {due} của bước {stage_label} đã qua."}}
  }
})json";

inline std::string standard_rules(const std::string& url, unsigned short smtp_port, int attempts = 3,
                                  const std::string& starttls = "never", const std::string& ca_file = "") {
  return fill(kStandardRules, {{"URL", url},
                               {"SMTP_PORT", std::to_string(smtp_port)},
                               {"ATTEMPTS", std::to_string(attempts)},
                               {"STARTTLS", starttls},
                               {"CA_FILE", ca_file}});
}

}  // namespace docket::testing
