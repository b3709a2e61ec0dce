// The workflows shipped in workflows/: valid, sound graphs, and faithful to the law's deadlines.
#include <gtest/gtest.h>

#include <set>

#include "core/field_warnings.h"
#include "core/state_machine.h"
#include "loader/workflow_loader.h"

namespace docket {
namespace {

const std::filesystem::path kDir = DOCKET_WORKFLOWS_DIR;

WorkflowDefinition load(const std::string& name) {
  LoadedWorkflow loaded = load_workflow_file(kDir / (name + ".json"));
  for (const auto& d : loaded.diagnostics) ADD_FAILURE() << format_diagnostic(name, d);
  if (!loaded.definition) throw std::runtime_error(name + " does not load");
  return *loaded.definition;
}

std::set<std::string> reachable_from(const WorkflowDefinition& def, const std::string& start) {
  std::set<std::string> seen{start};
  std::vector<std::string> work{start};
  while (!work.empty()) {
    const std::string stage = work.back();
    work.pop_back();
    for (const auto* transition : def.transitions_from(stage)) {
      if (seen.insert(transition->to).second) work.push_back(transition->to);
    }
  }
  return seen;
}

class BuiltinWorkflowTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BuiltinWorkflowTest, LoadsWithoutErrorsOrWarningsAndHasBothLanguages) {
  const WorkflowDefinition def = load(GetParam());
  EXPECT_EQ(def.id, GetParam());
  for (const auto& stage : def.stages) EXPECT_FALSE(stage.label.vi.empty() || stage.label.en.empty()) << stage.id;
}

TEST_P(BuiltinWorkflowTest, EveryStageIsReachableAndCanReachATerminalStage) {
  const WorkflowDefinition def = load(GetParam());
  const auto from_start = reachable_from(def, def.initial_stage()->id);
  for (const auto& stage : def.stages) {
    EXPECT_TRUE(from_start.count(stage.id)) << stage.id << " is unreachable";
    const auto onward = reachable_from(def, stage.id);
    const bool ends =
        std::any_of(onward.begin(), onward.end(), [&](const std::string& s) { return def.stage(s)->terminal; });
    EXPECT_TRUE(ends) << "no terminal stage after " << stage.id;
  }
}

INSTANTIATE_TEST_SUITE_P(Shipped, BuiltinWorkflowTest,
                         ::testing::Values("social-critique", "supervision", "periodic-report"));

const DeadlineSpec& deadline_of(const WorkflowDefinition& def, const std::string& stage) {
  const StageDefinition* found = def.stage(stage);
  if (found == nullptr || !found->deadline) throw std::runtime_error(stage + " has no deadline");
  return *found->deadline;
}

TEST(BuiltinWorkflowLawTest, CritiqueIsDueBeforeSubmissionAndAnswerTwentyDaysAfterIssue) {
  const WorkflowDefinition def = load("social-critique");
  const DeadlineSpec& approved = deadline_of(def, "approved");
  EXPECT_EQ(approved.anchor, "submission_date");
  EXPECT_EQ(approved.direction, DeadlineDirection::before);
  const DeadlineSpec& answer = deadline_of(def, "awaiting_answer");
  EXPECT_EQ(answer.anchor, "entered");
  EXPECT_EQ(answer.offset, 20);
  EXPECT_EQ(answer.unit, DeadlineUnit::days);
  EXPECT_TRUE(answer.escalate_after.has_value());
  EXPECT_EQ(def.field("critique_form")->values.size(), 3u);
}

TEST(BuiltinWorkflowLawTest, DelegationDeadlinesFollowJointResolution403) {
  const WorkflowDefinition def = load("supervision");
  const DeadlineSpec& materials = deadline_of(def, "delegation_established");
  EXPECT_EQ(materials.anchor, "session_date");
  EXPECT_EQ(materials.direction, DeadlineDirection::before);
  EXPECT_EQ(materials.offset, 15);
  const DeadlineSpec& body_report = deadline_of(def, "awaiting_body_report");
  EXPECT_EQ(body_report.direction, DeadlineDirection::before);
  EXPECT_EQ(body_report.offset, 7);
  const DeadlineSpec& results = deadline_of(def, "results_reporting");
  EXPECT_EQ(results.direction, DeadlineDirection::after);
  EXPECT_EQ(results.offset, 15);
  EXPECT_EQ(def.field("supervision_form")->values.size(), 4u);
}

TEST(BuiltinWorkflowLawTest, DelegationRouteNeedsTheDelegationForm) {
  const WorkflowDefinition def = load("supervision");
  Actor board{"chu-tich", {}, false};
  for (const auto& role : def.roles) board.roles.push_back(role.id);
  const Timestamp at = std::chrono::sys_days{std::chrono::year{2026} / 3 / 2};
  OpenCase open{"GS-2026-0001", "Giám sát bình xét hộ nghèo", "ninh-binh", {}};
  for (const auto& field : def.fields) {
    if (!field.required_at_open) continue;
    open.fields[field.id] = field.type == FieldType::enumeration ? "document_review"
                            : field.type == FieldType::date      ? "2026-06-01"
                                                                 : "Sở Lao động";
  }
  auto opened = execute(def, Case{}, board, at, open);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto refused =
      execute(def, opened->state, board, at, MoveCase{"start_delegation", {{"session_date", "2026-06-20"}}, ""});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("supervision_form"), std::string::npos);
}

// JR 403 Art. 9.1 counts the results report from the end of the session; a session date that is
// already past when it is given is accepted, with a warning.
TEST(BuiltinWorkflowLawTest, ResultsReportCountsFromTheSessionEndAndPastSessionDatesWarn) {
  const WorkflowDefinition def = load("supervision");
  const DeadlineSpec& results = deadline_of(def, "results_reporting");
  EXPECT_EQ(results.anchor, "session_end_date");
  EXPECT_EQ(results.fallback_anchor, "session_date");
  EXPECT_EQ(deadline_of(def, "follow_up").anchor, "recommendations_issued_date");
  EXPECT_EQ(def.transition("issue_recommendations")->stamps, std::vector<std::string>{"recommendations_issued_date"});
  const Timestamp now = std::chrono::sys_days{std::chrono::year{2026} / 3 / 5};
  const auto anyone = [](const std::string&) { return true; };
  const auto past = field_warnings(def, SetFields{{{"session_date", "2026-03-01"}}}, now, anyone);
  ASSERT_EQ(past.size(), 1u);
  EXPECT_NE(past[0].find("session_date is 2026-03-01, already past (today is 2026-03-05)"), std::string::npos)
      << past[0];
  EXPECT_EQ(field_warnings(def, MoveCase{"start_delegation", {{"session_date", "2026-03-20"}}, ""}, now, anyone).size(),
            0u);
  EXPECT_EQ(field_warnings(def, SetFields{{{"session_end_date", "2026-03-04"}}}, now, anyone).size(), 1u);
  EXPECT_EQ(field_warnings(def, SetFields{{{"due_date", "2026-03-04"}}}, now, anyone).size(), 0u)
      << "not marked warn_if_past";
}

// A party field names the outside body's account; naming one that does not exist leaves the
// body unable to see or answer its case, which is worth saying when it is given.
TEST(BuiltinWorkflowLawTest, APartyWhoIsNotAUserIsWarnedAbout) {
  const WorkflowDefinition def = load("social-critique");
  const Timestamp now = std::chrono::sys_days{std::chrono::year{2026} / 12 / 7};
  const auto only_so_tc = [](const std::string& id) { return id == "so-tc"; };
  const OpenCase open{"", "Dự thảo", "ninh-binh", {{"submission_date", "2027-01-15"}, {"drafting_body", "so-ld"}}};
  const auto warnings = field_warnings(def, open, now, only_so_tc);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("field drafting_body names so-ld, who is not a user"), std::string::npos) << warnings[0];
  EXPECT_TRUE(field_warnings(def, SetFields{{{"drafting_body", "so-tc"}}}, now, only_so_tc).empty());
  EXPECT_TRUE(field_warnings(def, SetFields{{{"issuing_authority", ""}}}, now, only_so_tc).empty())
      << "a cleared field";
  EXPECT_TRUE(field_warnings(def, SetFields{{{"issuing_authority", "UBND tỉnh Ninh Bình"}}}, now, only_so_tc).empty())
      << "a body named, not an account";
}

TEST(BuiltinWorkflowLawTest, PeriodicReportIsDueAfterThePeriodEnds) {
  const WorkflowDefinition def = load("periodic-report");
  const DeadlineSpec& due = deadline_of(def, def.initial_stage()->id);
  EXPECT_EQ(due.anchor, "period_end");
  EXPECT_EQ(due.direction, DeadlineDirection::after);
  EXPECT_GT(due.offset, 0);
}

}  // namespace
}  // namespace docket
