// Who may act on a case (core/acting.h): role scopes, the escalated-to holders, who may be
// assigned; and when recommendations may be added and answered (core/recommendation_rules.h).
#include "core/acting.h"

#include <gtest/gtest.h>

#include "core/recommendation_rules.h"
#include "core/state_machine.h"
#include "test_workflow.h"

namespace docket {
namespace {

using testing::test_workflow;

const Timestamp kStart = std::chrono::sys_days{std::chrono::year{2026} / 3 / 2};

// The test workflow where the board of the unit above approves, and the board a case is
// escalated to may cancel it.
WorkflowDefinition scoped_workflow() {
  WorkflowDefinition definition = test_workflow();
  for (auto& transition : definition.transitions) {
    if (transition.id == "approve") transition.roles = {"board@above"};
    if (transition.id == "cancel") transition.roles = {"board", "board@escalated"};
  }
  definition.permissions.outside_parties = {"body"};
  return definition;
}

class ActingTest : public ::testing::Test {
 protected:
  ActingTest() {
    const Actor officer{"lan", {"officer"}, false, {}, {}};
    state_ = execute(definition_, Case{}, officer, kStart,
                     OpenCase{"TF-2026-0001", "Giám sát", "gia-vien", {{"due_date", "2026-05-10"}}})
                 ->state;
  }
  void escalate_to(const std::string& role, const std::string& unit) {
    state_ = execute(definition_, state_, Actor::system(), kStart, EscalateCase{state_.stage, "2026-05-10", role, unit})
                 ->state;
  }
  Result<Outcome> act(const Actor& actor, const Command& command) {
    return execute(definition_, state_, actor, kStart, command);
  }
  ErrorCode refused(const Actor& actor, const Command& command) {
    auto outcome = act(actor, command);
    EXPECT_FALSE(outcome.ok()) << "accepted";
    return outcome.ok() ? ErrorCode::internal : outcome.error().code;
  }

  WorkflowDefinition definition_ = scoped_workflow();
  Case state_;
};

TEST(RoleEntryTest, ARoleIsHeldAtTheCasesUnitAboveItOrWhereItWasEscalated) {
  EXPECT_EQ(parse_role_entry("officer")->scope, RoleScope::unit);
  EXPECT_EQ(parse_role_entry("reviewer@above")->role, "reviewer");
  EXPECT_EQ(parse_role_entry("reviewer@above")->scope, RoleScope::above);
  EXPECT_EQ(parse_role_entry("board@escalated")->scope, RoleScope::escalated);
  EXPECT_FALSE(parse_role_entry("board@below"));
  EXPECT_FALSE(parse_role_entry("@above"));
}

TEST_F(ActingTest, AnAboveRoleIsHeldAtTheUnitAboveNotAtTheCasesUnit) {
  state_ = act(Actor{"lan", {"officer"}, false, {}, {}}, MoveCase{"submit", {{"kind", "full"}}, ""})->state;
  const Actor officer{"lan", {"officer"}, false, {}, {}};
  state_ = act(officer, SetFields{{{"reviewer", "hung"}}})->state;
  state_ = act(officer, AttachDocument{"report", "r.pdf", std::string(64, 'c'), 1, "application/pdf"})->state;
  EXPECT_EQ(refused(Actor{"hung", {"board"}, false, {}, {}}, MoveCase{"approve", {}, ""}), ErrorCode::role_not_allowed);
  EXPECT_TRUE(act(Actor{"hung", {}, false, {"board"}, {}}, MoveCase{"approve", {}, ""}).ok());
}

TEST_F(ActingTest, AnEscalatedRoleActsOnlyWhileTheCaseStandsEscalatedToIt) {
  const Actor province_board{"tinh", {}, false, {}, {"board"}};
  EXPECT_EQ(refused(province_board, MoveCase{"cancel", {}, ""}), ErrorCode::role_not_allowed);  // not escalated
  escalate_to("officer", "ninh-binh");
  EXPECT_EQ(refused(province_board, MoveCase{"cancel", {}, ""}), ErrorCode::role_not_allowed);  // not to the board
  escalate_to("board", "ninh-binh");
  EXPECT_TRUE(act(province_board, MoveCase{"cancel", {}, ""}).ok());
}

TEST_F(ActingTest, TheEscalatedToHoldersMayAlwaysCommentAndAssign) {
  const Actor province_board{"tinh", {}, false, {}, {"board"}};
  EXPECT_EQ(refused(province_board, AddComment{"Đề nghị khẩn trương"}), ErrorCode::role_not_allowed);
  escalate_to("board", "ninh-binh");
  EXPECT_TRUE(act(province_board, AddComment{"Đề nghị khẩn trương"}).ok());
  EXPECT_TRUE(act(province_board, AssignCase{"lan", {"officer"}, {}}).ok());
  // Only those: other commands still follow the workflow.
  EXPECT_EQ(refused(province_board, SetFields{{{"notes", "x"}}}), ErrorCode::role_not_allowed);
}

TEST_F(ActingTest, TheAssigneeMustHoldAMemberRoleAtTheUnitOrWhereTheCaseWasEscalated) {
  const Actor board{"hung", {"board"}, false, {}, {}};
  EXPECT_EQ(refused(board, AssignCase{"so-ld", {"body"}, {}}), ErrorCode::invalid_argument);     // an outside party
  EXPECT_EQ(refused(board, AssignCase{"khach", {}, {"officer"}}), ErrorCode::invalid_argument);  // not escalated
  EXPECT_TRUE(act(board, AssignCase{"lan", {"officer"}, {}}).ok());
  escalate_to("board", "ninh-binh");
  EXPECT_TRUE(act(board, AssignCase{"tinh", {}, {"officer"}}).ok());
}

TEST_F(ActingTest, UnassigningIsACommandOfItsOwn) {
  const Actor board{"hung", {"board"}, false, {}, {}};
  EXPECT_EQ(refused(board, UnassignCase{}), ErrorCode::invalid_argument);  // nobody to unassign
  state_ = act(board, AssignCase{"lan", {"officer"}, {}})->state;
  EXPECT_EQ(refused(board, AssignCase{"", {}, {}}), ErrorCode::invalid_argument);
  EXPECT_EQ(refused(Actor{"lan", {"officer"}, false, {}, {}}, UnassignCase{}), ErrorCode::role_not_allowed);
  auto unassigned = act(board, UnassignCase{});
  ASSERT_TRUE(unassigned.ok()) << unassigned.error().message;
  EXPECT_EQ(unassigned->state.assignee, "");
  EXPECT_EQ(std::get<CaseUnassigned>(unassigned->events.back().payload).previous, "lan");
}

// The test workflow whose "approve" sends the recommendations, made while in review.
class RecommendationRulesTest : public ::testing::Test {
 protected:
  RecommendationRulesTest() {
    for (auto& transition : definition_.transitions) {
      if (transition.id == "approve") transition.issues_recommendations = true;
    }
    definition_.permissions.outside_parties = {"body"};
    run(kOfficer, OpenCase{"TF-2026-0001", "Giám sát", "gia-vien", {{"due_date", "2026-05-10"}}});
    run(kOfficer, MoveCase{"submit", {{"kind", "full"}}, ""});
    run(kOfficer, SetFields{{{"reviewer", "hung"}}});
    run(kOfficer, AttachDocument{"report", "r.pdf", std::string(64, 'c'), 10, "application/pdf"});
    run(kBoard, AddRecommendation{"so-ld", "Rà soát danh sách hộ nghèo"});
  }
  void run(const Actor& actor, const Command& command) {
    auto outcome = execute(definition_, state_, actor, kStart, command);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    state_ = outcome->state;
    last_events_ = outcome->events;
  }
  Result<Outcome> act(const Actor& actor, const Command& command) {
    return execute(definition_, state_, actor, kStart, command);
  }

  const Actor kOfficer{"lan", {"officer"}, false, {}, {}};
  const Actor kBoard{"hung", {"board"}, false, {}, {}};
  const Actor kAddressee{"so-ld", {"body"}, false, {}, {}};
  const Actor kOtherBody{"so-tc", {"body"}, false, {}, {}};
  WorkflowDefinition definition_ = test_workflow();
  Case state_;
  std::vector<Event> last_events_;
};

TEST_F(RecommendationRulesTest, ARecommendationIsADraftUntilTheIssuingTransition) {
  EXPECT_EQ(state_.recommendations.at(0).status, RecommendationStatus::draft);
  auto early = act(kAddressee, AnswerRecommendation{1, "accepted", "", ""});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::transition_not_allowed);
  run(kBoard, MoveCase{"approve", {}, ""});
  ASSERT_EQ(last_events_.size(), 2u);
  EXPECT_EQ(std::get<RecommendationsIssued>(last_events_.back().payload).numbers, std::vector<int>{1});
  EXPECT_EQ(state_.recommendations.at(0).status, RecommendationStatus::sent);
  run(kAddressee, AnswerRecommendation{1, "accepted", "", ""});
  EXPECT_EQ(std::get<RecommendationAnswered>(last_events_.back().payload).recorded_for, "");
}

TEST_F(RecommendationRulesTest, OnlyTheAddresseeAnswersAsItselfAndAnOfficerRecordsForIt) {
  run(kBoard, MoveCase{"approve", {}, ""});
  auto other = act(kOtherBody, AnswerRecommendation{1, "accepted", "", ""});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::role_not_allowed);
  EXPECT_NE(other.error().message.find("so-ld"), std::string::npos) << other.error().message;
  run(kOfficer, AnswerRecommendation{1, "partly_accepted", "", ""});
  EXPECT_EQ(std::get<RecommendationAnswered>(last_events_.back().payload).recorded_for, "so-ld");
}

TEST_F(RecommendationRulesTest, OneAddedAfterTheIssueIsIssuedAtOnceAndNoneOnceOneIsAnswered) {
  run(kBoard, MoveCase{"approve", {}, ""});
  run(kBoard, AddRecommendation{"so-ld", "Kiến nghị bổ sung"});
  EXPECT_EQ(state_.recommendations.at(1).status, RecommendationStatus::sent);
  run(kAddressee, AnswerRecommendation{2, "accepted", "", ""});
  auto late = act(kBoard, AddRecommendation{"so-ld", "Thêm một kiến nghị"});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::transition_not_allowed);
}

TEST(RecommendationsWithoutIssuingTransitionTest, AreIssuedAsAddedAndClosedOnceOneIsAnswered) {
  const WorkflowDefinition definition = test_workflow();
  const Actor officer{"lan", {"officer"}, false, {}, {}};
  const Actor board{"hung", {"board"}, false, {}, {}};
  Case state = execute(definition, Case{}, officer, kStart,
                       OpenCase{"TF-2026-0001", "Giám sát", "gia-vien", {{"due_date", "2026-05-10"}}})
                   ->state;
  state = execute(definition, state, board, kStart, AddRecommendation{"UBND xã", "Rà soát"})->state;
  EXPECT_EQ(state.recommendations.at(0).status, RecommendationStatus::sent);
  state = execute(definition, state, officer, kStart, AnswerRecommendation{1, "accepted", "", ""})->state;
  auto late = execute(definition, state, board, kStart, AddRecommendation{"UBND xã", "Thêm"});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::transition_not_allowed);
}

}  // namespace
}  // namespace docket
