// The reports' seeded dataset: real cases written through the real store with the deadlines
// plugin and the shipped calendars, a fake clock moved by hand from October 2025 to December
// 2026, so every figure of the 2026-H1 report can be counted by hand (the counts are in
// reports_test.cc). Used by reports_test, the CLI test and the API test on their own databases.
//
// REQUIRES: the database holds the built-in workflows and calendars and the units `province`
// and `commune` (commune below province). The dataset adds two users:
//   bc-can-bo   standing_board, department_head, officer, delegation_head at both units
//   bc-co-quan  drafting_body, supervised_body at both units
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "deadlines/deadlines_plugin.h"
#include "store/calendar_registry.h"
#include "store/case_store.h"
#include "store/directory.h"
#include "store/workflow_registry.h"

namespace docket::report_testing {

inline Timestamp at(const char* text) { return *parse_datetime(text); }

// The timeline, in Vietnam dates (every step runs at 09:00 Vietnam time, 02:00Z):
//   2025-10-01  E: supervision at the province opened            (cancelled 2025-12-15: before H1)
//   2025-11-03  A: critique at the province, written consultation, moved to in_progress
//   2026-01-12  B: critique at the province, conference, moved to in_progress
//   2026-02-02  C: supervision at the commune, document review due 2026-05-29
//   2026-03-02  A: critique issued with 2 recommendations (answer due 2026-03-23)
//   2026-03-10  A: rec 1 accepted, rec 2 partly accepted (8 days each); answer recorded
//   2026-03-16  D: critique at the commune, dialogue chosen
//   2026-04-01  B: critique issued with 3 recommendations (answer due 2026-04-21)
//   2026-04-10  B: rec 1 not accepted (9 days)
//   2026-04-15  A: closed, late (the "answered" stage was due 2026-03-24)
//   2026-04-25  tick: B breached; recs 2 and 3 marked unanswered, then escalated
//   2026-05-04  D: withdrawn
//   2026-06-08  C: review finished late (due 2026-05-29)
//   2026-06-15  C: 2 recommendations issued (follow-up due 2026-07-15)
//   2026-06-25  C: rec 1 accepted (10 days)
//   2026-07-20  tick: C breached; rec 2 marked unanswered, then escalated
//   2026-08-03  F: critique at the province, no form chosen
//   2026-08-05  B: rec 2 accepted (126 days)
//   2026-12-01  tick
class ReportDataset {
 public:
  ReportDataset(Database& database, std::string province, std::string commune)
      : db_(database), province_(std::move(province)), commune_(std::move(commune)) {
    catalog_ = WorkflowRegistry(db_, clock_).catalog().value();
    calendar_ = CalendarRegistry(db_, clock_).calendar().value();
    store_ = std::make_unique<CaseStore>(db_, catalog_, clock_, std::vector<Plugin*>{&plugin_}, &calendar_);
    Directory directory(db_, clock_);
    for (const std::string& unit : {province_, commune_}) {
      expect_ok(directory.add_user("bc-can-bo", "Trần Văn Bình", unit,
                                   {"standing_board", "department_head", "officer", "delegation_head"}));
      expect_ok(directory.add_user("bc-co-quan", "UBND", unit, {"drafting_body", "supervised_body"}));
    }
  }

  // Runs every step dated up to `until` (in order; each at most once).
  void seed_until(Timestamp until) {
    for (; next_ < steps().size() && steps()[next_].when <= until; ++next_) {
      clock_.set(steps()[next_].when);
      expect_ok(store_->fire_due_timers());
      steps()[next_].run(*this);
    }
    clock_.set(until);
    expect_ok(store_->fire_due_timers());
  }
  void seed_all() { seed_until(at("2026-12-01T02:00:00Z")); }

  FixedClock& clock() { return clock_; }
  CaseStore& store() { return *store_; }
  const WorkflowCatalog& catalog() const { return catalog_; }
  // Case numbers by letter (A..F) once opened.
  std::map<char, std::string> numbers;

 private:
  struct Step {
    Timestamp when;
    std::function<void(ReportDataset&)> run;
  };

  template <typename R>
  static void expect_ok(const R& result) {
    if (!result.ok()) ADD_FAILURE() << result.error().message;
  }

 public:
  // The dataset's steps, for a test that adds cases of its own (as `letter`s after F).
  void run(char letter, const std::vector<Command>& commands, const std::vector<Upload>& uploads = {}) {
    expect_ok(store_->execute(numbers.at(letter), "bc-can-bo", commands, std::nullopt, uploads));
  }
  void attach(char letter, const std::string& kind) {
    Upload upload{kind + ".pdf", "application/pdf", "%PDF " + kind + " " + numbers.at(letter)};
    run(letter,
        {AttachDocument{kind, upload.file_name, upload.sha256(), static_cast<std::int64_t>(upload.content.size()),
                        upload.media_type}},
        {upload});
  }
  void open(char letter, const std::string& workflow, const std::string& unit, const FieldValues& fields) {
    auto opened = store_->open(workflow, "bc-can-bo", OpenCase{"", std::string("Vụ việc ") + letter, unit, fields});
    expect_ok(opened);
    if (opened) numbers[letter] = opened->number;
  }
  void open_critique(char letter, const std::string& unit, const std::string& submission_date) {
    open(letter, "social-critique", unit, {{"submission_date", submission_date}, {"drafting_body", "bc-co-quan"}});
  }
  // received -> assigned -> form_chosen (and on to in_progress unless the form is a dialogue).
  void start_critique(char letter, const std::string& form) {
    attach(letter, "draft");
    run(letter,
        {SetFields{{{"document_title", "Dự thảo"}, {"received_date", "2026-01-01"}, {"issuing_authority", "HĐND"}}},
         MoveCase{"assign", {}, ""}, MoveCase{"choose_form", {{"critique_form", form}}, ""}});
    if (form == "written_consultation") run(letter, {MoveCase{"send_for_opinions", {}, ""}});
    if (form == "conference") run(letter, {MoveCase{"hold_meeting", {{"event_time", "2026-01-12T09:00"}}, ""}});
  }
  // in_progress -> drafted -> approved -> awaiting_answer, with `count` recommendations.
  void issue_critique(char letter, int count) {
    attach(letter, "critique");
    run(letter, {MoveCase{"submit_critique_draft", {}, ""}, MoveCase{"approve", {}, ""}});
    for (int i = 1; i <= count; ++i) run(letter, {AddRecommendation{"UBND", "Kiến nghị " + std::to_string(i)}});
    run(letter, {MoveCase{"issue", {}, ""}});
  }
  void answer(char letter, int number, const std::string& status) {
    run(letter, {AnswerRecommendation{number, status, status == "not_accepted" ? "Chưa đủ nguồn lực" : "", ""}});
  }

 private:
  static const std::vector<Step>& steps() {
    static const std::vector<Step> all = {
        {at("2025-10-01T02:00:00Z"),
         [](ReportDataset& d) {
           d.open('E', "supervision", d.province_,
                  {{"subject", "Bình xét hộ nghèo"}, {"supervised_body", "bc-co-quan"}});
         }},
        {at("2025-11-03T02:00:00Z"),
         [](ReportDataset& d) {
           d.open_critique('A', d.province_, "2026-12-31");
           d.start_critique('A', "written_consultation");
         }},
        {at("2025-12-15T02:00:00Z"),
         [](ReportDataset& d) {
           d.run('E', {MoveCase{"cancel", {{"end_reason", "Trùng kế hoạch"}}, ""}});
         }},
        {at("2026-01-12T02:00:00Z"),
         [](ReportDataset& d) {
           d.open_critique('B', d.province_, "2026-12-31");
           d.start_critique('B', "conference");
         }},
        {at("2026-02-02T02:00:00Z"),
         [](ReportDataset& d) {
           d.open('C', "supervision", d.commune_, {{"subject", "Chi trả trợ cấp"}, {"supervised_body", "bc-co-quan"}});
           d.run('C', {SetFields{{{"supervision_form", "document_review"}}},
                       MoveCase{"start_document_review", {{"due_date", "2026-05-29"}}, ""}});
         }},
        {at("2026-03-02T02:00:00Z"), [](ReportDataset& d) { d.issue_critique('A', 2); }},
        {at("2026-03-10T02:00:00Z"),
         [](ReportDataset& d) {
           d.answer('A', 1, "accepted");
           d.answer('A', 2, "partly_accepted");
           d.attach('A', "reply");
           d.run('A', {MoveCase{"record_answer", {}, ""}});
         }},
        {at("2026-03-16T02:00:00Z"),
         [](ReportDataset& d) {
           d.open_critique('D', d.commune_, "2026-09-30");
           d.start_critique('D', "dialogue");
         }},
        {at("2026-04-01T02:00:00Z"), [](ReportDataset& d) { d.issue_critique('B', 3); }},
        {at("2026-04-10T02:00:00Z"), [](ReportDataset& d) { d.answer('B', 1, "not_accepted"); }},
        {at("2026-04-15T02:00:00Z"),
         [](ReportDataset& d) {
           d.run('A', {MoveCase{"close", {}, ""}});
         }},
        {at("2026-04-25T02:00:00Z"), [](ReportDataset&) {}},  // a tick
        {at("2026-05-04T02:00:00Z"),
         [](ReportDataset& d) {
           d.run('D', {MoveCase{"withdraw", {{"end_reason", "Rút dự thảo"}}, ""}});
         }},
        {at("2026-06-08T02:00:00Z"),
         [](ReportDataset& d) {
           d.attach('C', "results_report");
           d.run('C', {MoveCase{"finish_review", {}, ""}});
         }},
        {at("2026-06-15T02:00:00Z"),
         [](ReportDataset& d) {
           d.attach('C', "recommendation_letter");
           d.run('C', {SetFields{{{"competent_authority", "UBND tỉnh"}}}, AddRecommendation{"UBND", "Chi trả đúng hạn"},
                       AddRecommendation{"UBND", "Công khai danh sách"}, MoveCase{"issue_recommendations", {}, ""}});
         }},
        {at("2026-06-25T02:00:00Z"), [](ReportDataset& d) { d.answer('C', 1, "accepted"); }},
        {at("2026-07-20T02:00:00Z"), [](ReportDataset&) {}},  // a tick
        {at("2026-08-03T02:00:00Z"), [](ReportDataset& d) { d.open_critique('F', d.province_, "2026-12-31"); }},
        {at("2026-08-05T02:00:00Z"), [](ReportDataset& d) { d.answer('B', 2, "accepted"); }},
    };
    return all;
  }

  Database& db_;
  std::string province_;
  std::string commune_;
  FixedClock clock_{at("2025-10-01T02:00:00Z")};
  WorkflowCatalog catalog_;
  Calendar calendar_;
  DeadlinesPlugin plugin_;
  std::unique_ptr<CaseStore> store_;
  std::size_t next_ = 0;
};

}  // namespace docket::report_testing
