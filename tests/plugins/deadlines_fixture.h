// The deadlines plugin's test fixture: a real SQLite file, the shipped calendar, a fake clock,
// a commune (gia-vien) with a Front officer (can-bo) and its outside body (ubnd-xa).
#pragma once

#include <gtest/gtest.h>

#include <fstream>

#include "deadlines/deadlines_plugin.h"
#include "loader/calendar_loader.h"
#include "store/audit.h"
#include "store/calendar_registry.h"
#include "store_fixture.h"

namespace docket {

inline Timestamp at(const char* text) { return *parse_datetime(text); }

class DeadlinesTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(CalendarRegistry(*db_, clock_)
                    .install_directory(std::filesystem::path(DOCKET_WORKFLOWS_DIR) / "calendars")
                    .ok());
    calendar_ = CalendarRegistry(*db_, clock_).calendar().value();
    Directory directory(*db_, clock_);
    const std::vector<std::string> front{"standing_board", "department_head", "officer", "delegation_head"};
    ASSERT_TRUE(directory.add_user("can-bo", "Trần Văn Bình", "gia-vien", front).ok());
    ASSERT_TRUE(
        directory.add_user("ubnd-xa", "UBND xã Gia Viễn", "gia-vien", {"drafting_body", "supervised_body"}).ok());
    clock_.set(at("2026-03-02T02:00:00Z"));
    restart();
  }
  // A new store, as a restarted process would build it.
  void restart() {
    store_ = std::make_unique<CaseStore>(*db_, catalog_, clock_, std::vector<Plugin*>{&plugin_}, &calendar_);
  }
  Case run(const std::string& number, const std::vector<Command>& commands, const std::vector<Upload>& uploads = {}) {
    auto result = store_->execute(number, "can-bo", commands, std::nullopt, uploads);
    if (!result) ADD_FAILURE() << result.error().message;
    return result ? result.value() : Case{};
  }
  Case attach(const std::string& number, const std::string& kind) {
    Upload upload{kind + ".pdf", "application/pdf", "%PDF " + kind};
    return run(number, {AttachDocument{kind, upload.file_name, upload.sha256(), 9, upload.media_type}}, {upload});
  }
  std::vector<std::string> history_types(const std::string& number) {
    std::vector<std::string> types;
    for (const auto& stored : store_->history(number).value())
      types.push_back(stored.type + "@" + format_timestamp(stored.event.at));
    return types;
  }
  Case open_critique(const char* submission_date) {
    auto opened = store_->open("social-critique", "can-bo",
                               OpenCase{"",
                                        "Dự thảo Nghị quyết hỗ trợ hộ nghèo",
                                        "gia-vien",
                                        {{"submission_date", submission_date}, {"drafting_body", "UBND xã"}}});
    if (!opened) ADD_FAILURE() << opened.error().message;
    return opened ? opened.value() : Case{};
  }
  // A critique case moved to "awaiting_answer", with two recommendations sent.
  Case critique_awaiting_answer() {
    const std::string number = open_critique("2026-06-30").number;
    attach(number, "draft");
    run(number,
        {SetFields{
             {{"document_title", "Nghị quyết"}, {"received_date", "2026-03-02"}, {"issuing_authority", "HĐND xã"}}},
         MoveCase{"assign", {}, ""}, MoveCase{"choose_form", {{"critique_form", "written_consultation"}}, ""},
         MoveCase{"send_for_opinions", {}, ""}});
    attach(number, "critique");
    run(number, {MoveCase{"submit_critique_draft", {}, ""}, MoveCase{"approve", {}, ""},
                 AddRecommendation{"UBND xã", "Công khai danh sách hộ nghèo"},
                 AddRecommendation{"UBND xã", "Bổ sung kinh phí"}});
    return run(number, {MoveCase{"issue", {}, ""}});
  }

  DeadlinesPlugin plugin_;
  Calendar calendar_;
};

}  // namespace docket
