#include "core/state_machine.h"

#include <gtest/gtest.h>

#include <random>

#include "test_workflow.h"

namespace docket {
namespace {

using testing::test_workflow;

const Actor kOfficer{"lan", {"officer"}, false};
const Actor kBoard{"hung", {"board"}, false};
const Actor kBody{"so-lao-dong", {"body"}, false};
const Actor kNobody{"khach", {}, false};
const Timestamp kStart = std::chrono::sys_days{std::chrono::year{2026} / 3 / 2};

class StateMachineTest : public ::testing::Test {
 protected:
  // Executes `command` and keeps the new state; fails the test when it is refused.
  void run(const Actor& actor, const Command& command) {
    auto outcome = execute(def_, state_, actor, now_, command);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    for (const auto& event : outcome->events) history_.push_back(event);
    state_ = outcome->state;
    now_ += std::chrono::hours{1};
  }
  // The error code of a refused command; the state must not change.
  ErrorCode refused(const Actor& actor, const Command& command) {
    const Case before = state_;
    auto outcome = execute(def_, state_, actor, now_, command);
    EXPECT_FALSE(outcome.ok()) << "command was accepted";
    EXPECT_EQ(state_, before);
    last_message_ = outcome.ok() ? "" : outcome.error().message;
    return outcome.ok() ? ErrorCode::internal : outcome.error().code;
  }
  void open() {
    run(kOfficer, OpenCase{"TF-2026-0001", "Giám sát hộ nghèo xã Gia Viễn", "gia-vien", {{"due_date", "2026-05-10"}}});
  }
  void to_review(const std::string& kind = "full") { run(kOfficer, MoveCase{"submit", {{"kind", kind}}, ""}); }
  void to_answering() {
    to_review();
    run(kOfficer, SetFields{{{"reviewer", "hung"}}});
    run(kOfficer, AttachDocument{"report", "bao-cao.pdf", std::string(64, 'c'), 10, "application/pdf"});
    run(kBoard, MoveCase{"approve", {}, ""});
  }

  WorkflowDefinition def_ = test_workflow();
  Case state_;
  std::vector<Event> history_;
  Timestamp now_ = kStart;
  std::string last_message_;
};

TEST_F(StateMachineTest, OpenPutsTheCaseInTheInitialStagePinnedToItsVersion) {
  open();
  EXPECT_EQ(state_.number, "TF-2026-0001");
  EXPECT_EQ(state_.stage, "draft");
  EXPECT_EQ(state_.workflow_id, "test-flow");
  EXPECT_EQ(state_.workflow_version, 1);
  EXPECT_EQ(state_.fields.at("due_date"), "2026-05-10");
  EXPECT_EQ(state_.opened_by, "lan");
  EXPECT_EQ(state_.version, 1);
}

TEST_F(StateMachineTest, OpenRefusesMissingRequiredFieldWrongRoleAndBadValues) {
  EXPECT_EQ(refused(kOfficer, OpenCase{"TF-2026-0001", "Tiêu đề", "u", {}}), ErrorCode::field_missing);
  EXPECT_NE(last_message_.find("due_date"), std::string::npos);
  EXPECT_EQ(refused(kBoard, OpenCase{"TF-2026-0001", "Tiêu đề", "u", {{"due_date", "2026-05-10"}}}),
            ErrorCode::role_not_allowed);
  EXPECT_EQ(refused(kOfficer, OpenCase{"TF-2026-0001", "Tiêu đề", "u", {{"due_date", "2026-02-30"}}}),
            ErrorCode::invalid_field);
  EXPECT_NE(last_message_.find("2026-02-30"), std::string::npos);
  EXPECT_EQ(refused(kOfficer, OpenCase{"TF-2026-0001", "Tiêu đề", "u", {{"due_date", "2026-05-10"}, {"kind", "huge"}}}),
            ErrorCode::invalid_field);
  EXPECT_NE(last_message_.find("full, short"), std::string::npos) << last_message_;
  EXPECT_EQ(refused(kOfficer, OpenCase{"TF-2026-0001", "Tiêu đề", "u", {{"due_date", "2026-05-10"}, {"colour", "x"}}}),
            ErrorCode::invalid_field);
  EXPECT_EQ(refused(kOfficer, OpenCase{"TF-2026-0001", "bad \xC3", "u", {{"due_date", "2026-05-10"}}}),
            ErrorCode::invalid_argument);
  EXPECT_NE(last_message_.find("UTF-8"), std::string::npos);
}

TEST_F(StateMachineTest, CommandsOnACaseThatDoesNotExistAreRefused) {
  EXPECT_EQ(refused(kOfficer, AddComment{"xin chào"}), ErrorCode::not_found);
}

TEST_F(StateMachineTest, AssignChecksRoleAndRecordsPreviousAssignee) {
  open();
  EXPECT_EQ(refused(kOfficer, AssignCase{"lan", {"officer"}, {}}), ErrorCode::role_not_allowed);
  run(kBoard, AssignCase{"lan", {"officer"}, {}});
  EXPECT_EQ(state_.assignee, "lan");
  run(kBoard, AssignCase{"mai", {"officer"}, {}});
  EXPECT_EQ(std::get<CaseAssigned>(history_.back().payload).previous, "lan");
  EXPECT_EQ(refused(kBoard, AssignCase{"mai", {"officer"}, {}}), ErrorCode::invalid_argument);
}

TEST_F(StateMachineTest, TransitionMustExistAndLeaveFromTheCurrentStage) {
  open();
  EXPECT_EQ(refused(kBoard, MoveCase{"teleport", {}, ""}), ErrorCode::not_found);
  EXPECT_EQ(refused(kBoard, MoveCase{"approve", {}, ""}), ErrorCode::transition_not_allowed);
  EXPECT_NE(last_message_.find("submit"), std::string::npos)
      << "should list the possible transitions: " << last_message_;
}

TEST_F(StateMachineTest, TransitionRefusesARoleItDoesNotAllow) {
  open();
  EXPECT_EQ(refused(kBoard, MoveCase{"submit", {{"kind", "full"}}, ""}), ErrorCode::role_not_allowed);
  EXPECT_EQ(refused(kNobody, MoveCase{"submit", {{"kind", "full"}}, ""}), ErrorCode::role_not_allowed);
}

TEST_F(StateMachineTest, TransitionNeedsTheFieldsItSetsAndOnlyThose) {
  open();
  EXPECT_EQ(refused(kOfficer, MoveCase{"submit", {}, ""}), ErrorCode::field_missing);
  EXPECT_EQ(refused(kOfficer, MoveCase{"submit", {{"kind", "medium"}}, ""}), ErrorCode::invalid_field);
  EXPECT_EQ(refused(kOfficer, MoveCase{"submit", {{"kind", "full"}, {"reviewer", "x"}}, ""}), ErrorCode::invalid_field);
  to_review();
  EXPECT_EQ(state_.stage, "review");
  EXPECT_EQ(state_.fields.at("kind"), "full");
}

TEST_F(StateMachineTest, TransitionChecksRequiredFieldsDocumentsAndValues) {
  open();
  to_review("short");
  EXPECT_EQ(refused(kBoard, MoveCase{"approve", {}, ""}), ErrorCode::field_missing);  // reviewer
  run(kOfficer, SetFields{{{"reviewer", "hung"}}});
  EXPECT_EQ(refused(kBoard, MoveCase{"approve", {}, ""}), ErrorCode::field_missing);  // kind must be full
  EXPECT_NE(last_message_.find("short"), std::string::npos);
  run(kOfficer, SetFields{{{"kind", "full"}}});
  EXPECT_EQ(refused(kBoard, MoveCase{"approve", {}, ""}), ErrorCode::document_missing);
  EXPECT_NE(last_message_.find("report"), std::string::npos);
  run(kOfficer, AttachDocument{"report", "bao-cao.pdf", std::string(64, 'c'), 10, "application/pdf"});
  run(kBoard, MoveCase{"approve", {}, ""});
  EXPECT_EQ(state_.stage, "answering");
}

// A refusal names every requirement still unmet, so that one answer says all that is left to do.
TEST_F(StateMachineTest, ARefusedTransitionNamesEveryUnmetRequirementAtOnce) {
  open();
  to_review("short");
  const Case before = state_;
  auto outcome = execute(def_, state_, kBoard, now_, MoveCase{"approve", {}, ""});
  ASSERT_FALSE(outcome.ok());
  const Error& error = outcome.error();
  EXPECT_EQ(error.code, ErrorCode::field_missing) << "the first problem's code";
  ASSERT_EQ(error.problems.size(), 3u) << error.message;
  EXPECT_EQ(error.problems[0].code, ErrorCode::field_missing);
  EXPECT_EQ(error.problems[0].message, "transition \"approve\" requires field \"reviewer\"");
  EXPECT_EQ(error.problems[1].code, ErrorCode::field_missing);
  EXPECT_NE(error.problems[1].message.find("\"kind\" to be one of: full (it is \"short\")"), std::string::npos)
      << error.problems[1].message;
  EXPECT_EQ(error.problems[2].code, ErrorCode::document_missing);
  EXPECT_EQ(error.message, "transition \"approve\" is missing 3 requirements: requires field \"reviewer\"; " +
                               error.problems[1].message.substr(std::string("transition \"approve\" ").size()) +
                               "; requires a document of kind \"report\" attached");
  EXPECT_EQ(state_, before);

  run(kOfficer, SetFields{{{"reviewer", "hung"}, {"kind", "full"}}});
  auto one_left = execute(def_, state_, kBoard, now_, MoveCase{"approve", {}, ""});
  ASSERT_FALSE(one_left.ok());
  EXPECT_EQ(one_left.error().code, ErrorCode::document_missing);
  EXPECT_TRUE(one_left.error().problems.empty()) << "a single problem is the error itself";
  EXPECT_EQ(one_left.error().message, "transition \"approve\" requires a document of kind \"report\" attached");
}

TEST_F(StateMachineTest, MoveWithACommentRecordsBothAndBackwardTransitionsWork) {
  open();
  to_review();
  run(kBoard, MoveCase{"reject", {}, "Cần bổ sung số liệu hộ cận nghèo"});
  EXPECT_EQ(state_.stage, "draft");
  ASSERT_EQ(history_.size(), 4u);
  EXPECT_EQ(std::get<CommentAdded>(history_.back().payload).text, "Cần bổ sung số liệu hộ cận nghèo");
}

TEST_F(StateMachineTest, FinishNeedsEveryRecommendationAnswered) {
  open();
  to_answering();
  run(kBoard, AddRecommendation{"UBND xã", "Rà soát lại danh sách hộ nghèo"});
  run(kBoard, AddRecommendation{"Phòng LĐ-TB&XH", "Công khai kết quả bình xét"});
  EXPECT_EQ(refused(kBoard, MoveCase{"finish", {}, ""}), ErrorCode::recommendations_open);
  run(kBody, AnswerRecommendation{1, "accepted", "", ""});
  EXPECT_EQ(refused(kBoard, MoveCase{"finish", {}, ""}), ErrorCode::recommendations_open);
  EXPECT_NE(last_message_.find("recommendation 2"), std::string::npos);
  run(kBody, AnswerRecommendation{2, "not_accepted", "Chưa đủ kinh phí", ""});
  run(kBoard, MoveCase{"finish", {}, ""});
  EXPECT_EQ(state_.stage, "done");
}

TEST_F(StateMachineTest, AClosedCaseRefusesEveryCommand) {
  open();
  run(kBoard, MoveCase{"cancel", {}, ""});  // "*" leaves from any non-terminal stage
  EXPECT_EQ(state_.stage, "cancelled");
  EXPECT_EQ(refused(kBoard, MoveCase{"cancel", {}, ""}), ErrorCode::case_closed);
  EXPECT_EQ(refused(kOfficer, AddComment{"muộn"}), ErrorCode::case_closed);
  EXPECT_EQ(refused(kBoard, AssignCase{"lan", {"officer"}, {}}), ErrorCode::case_closed);
  EXPECT_EQ(refused(kBoard, AddRecommendation{"x", "y"}), ErrorCode::case_closed);
}

TEST_F(StateMachineTest, StarTransitionLeavesFromEveryNonTerminalStage) {
  open();
  to_answering();
  run(kBoard, MoveCase{"cancel", {}, ""});
  EXPECT_EQ(state_.stage, "cancelled");
}

TEST_F(StateMachineTest, SetFieldsChecksTypesAndClearing) {
  open();
  EXPECT_EQ(refused(kOfficer, SetFields{{{"households", "12a"}}}), ErrorCode::invalid_field);
  run(kOfficer, SetFields{{{"households", "42"}, {"notes", "Dòng 1\nDòng 2"}}});
  EXPECT_EQ(state_.fields.at("households"), "42");
  run(kOfficer, SetFields{{{"households", ""}}});
  EXPECT_EQ(state_.fields.count("households"), 0u);
  EXPECT_EQ(refused(kOfficer, SetFields{{{"due_date", ""}}}), ErrorCode::field_missing);
  EXPECT_EQ(refused(kBoard, SetFields{{{"households", "1"}}}), ErrorCode::role_not_allowed);
  EXPECT_EQ(refused(kOfficer, SetFields{}), ErrorCode::invalid_argument);
}

TEST_F(StateMachineTest, CommentsMustBeValidText) {
  open();
  EXPECT_EQ(refused(kOfficer, AddComment{""}), ErrorCode::invalid_argument);
  EXPECT_EQ(refused(kOfficer, AddComment{"\xFF\xFE"}), ErrorCode::invalid_argument);
  EXPECT_EQ(refused(kBody, AddComment{"xin chào"}), ErrorCode::role_not_allowed);
  run(kOfficer, AddComment{"Đã liên hệ với Phòng Lao động – Thương binh và Xã hội"});
}

TEST_F(StateMachineTest, DocumentsOfTheSameKindGetNewVersions) {
  open();
  EXPECT_EQ(refused(kOfficer, AttachDocument{"photo", "a.jpg", std::string(64, 'a'), 1, "image/jpeg"}),
            ErrorCode::invalid_argument);
  run(kOfficer, AttachDocument{"report", "v1.pdf", std::string(64, 'a'), 1, "application/pdf"});
  run(kBody, AttachDocument{"report", "v2.pdf", std::string(64, 'b'), 2, "application/pdf"});
  ASSERT_EQ(state_.documents.size(), 2u);
  EXPECT_EQ(state_.documents[0].version, 1);
  EXPECT_EQ(state_.documents[1].version, 2);
  EXPECT_EQ(state_.documents[1].attached_by, "so-lao-dong");
}

TEST_F(StateMachineTest, RecommendationsAreNumberedAndAnsweredOnce) {
  open();
  EXPECT_EQ(refused(kOfficer, AddRecommendation{"UBND xã", "x"}), ErrorCode::role_not_allowed);
  run(kBoard, AddRecommendation{"UBND xã", "Rà soát lại danh sách hộ nghèo"});
  run(kBoard, AddRecommendation{"UBND huyện", "Bố trí kinh phí"});
  EXPECT_EQ(state_.recommendations[1].number, 2);
  EXPECT_EQ(state_.recommendations[1].status, RecommendationStatus::sent);
  EXPECT_EQ(refused(kBody, AnswerRecommendation{3, "accepted", "", ""}), ErrorCode::not_found);
  EXPECT_EQ(refused(kBody, AnswerRecommendation{1, "maybe", "", ""}), ErrorCode::invalid_argument);
  EXPECT_EQ(refused(kBody, AnswerRecommendation{1, "not_accepted", "", ""}), ErrorCode::invalid_argument);
  EXPECT_EQ(refused(kBoard, AnswerRecommendation{1, "accepted", "", ""}), ErrorCode::role_not_allowed);
  run(kBody, AnswerRecommendation{1, "partly_accepted", "Tiếp thu một phần", ""});
  EXPECT_EQ(state_.recommendations[0].status, RecommendationStatus::partly_accepted);
  EXPECT_EQ(state_.recommendations[0].answer_text, "Tiếp thu một phần");
  EXPECT_EQ(refused(kBody, AnswerRecommendation{1, "accepted", "", ""}), ErrorCode::invalid_argument);
}

TEST_F(StateMachineTest, OnlyTheSchedulerMarksUnansweredThenEscalates) {
  open();
  run(kBoard, AddRecommendation{"UBND xã", "Rà soát"});
  EXPECT_EQ(refused(kBoard, MarkRecommendationUnanswered{1}), ErrorCode::role_not_allowed);
  EXPECT_EQ(refused(Actor::system(), EscalateRecommendation{1}), ErrorCode::invalid_argument);  // still "sent"
  run(Actor::system(), MarkRecommendationUnanswered{1});
  EXPECT_EQ(state_.recommendations[0].status, RecommendationStatus::unanswered);
  run(Actor::system(), EscalateRecommendation{1});
  EXPECT_EQ(state_.recommendations[0].status, RecommendationStatus::escalated);
  run(kBody, AnswerRecommendation{1, "accepted", "Trả lời muộn", ""});  // a late answer still counts
  EXPECT_EQ(state_.recommendations[0].status, RecommendationStatus::accepted);
}

TEST_F(StateMachineTest, ADefinitionOfAnotherVersionIsNotUsedForACase) {
  open();
  const WorkflowDefinition version_two = test_workflow(2);
  auto outcome = execute(version_two, state_, kOfficer, now_, AddComment{"x"});
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::internal);
}

TEST_F(StateMachineTest, FoldingTheHistoryGivesTheStateReachedStepByStep) {
  open();
  run(kBoard, AssignCase{"lan", {"officer"}, {}});
  to_answering();
  run(kBoard, AddRecommendation{"UBND xã", "Rà soát"});
  run(kBody, AnswerRecommendation{1, "accepted", "", ""});
  run(kOfficer, SetFields{{{"notes", "Ghi chú"}}});
  run(kBoard, MoveCase{"finish", {}, "Kết thúc"});
  EXPECT_EQ(fold(history_), state_);
  EXPECT_EQ(state_.version, static_cast<std::int64_t>(history_.size()));
}

// Random command sequences, most of them refused: after each accepted command, folding the
// whole history must give the state built one event at a time.
TEST_F(StateMachineTest, FoldPropertyHoldsForRandomCommandSequences) {
  std::mt19937 random(20261128);
  const std::vector<Actor> actors{kOfficer, kBoard, kBody, Actor::system()};
  const std::vector<std::string> transitions{"submit", "approve", "reject", "finish", "cancel"};
  int accepted = 0;
  for (int trial = 0; trial < 40; ++trial) {
    state_ = Case{};
    history_.clear();
    open();
    for (int step = 0; step < 60; ++step) {
      const Actor& actor = actors[random() % actors.size()];
      const int number = static_cast<int>(random() % 3) + 1;
      const std::vector<Command> choices{
          MoveCase{transitions[random() % transitions.size()], {{"kind", random() % 2 ? "full" : "short"}}, ""},
          MoveCase{transitions[random() % transitions.size()], {}, random() % 2 ? "ghi chú" : ""},
          SetFields{{{"reviewer", "hung"}}},
          AttachDocument{"report", "r.pdf", std::string(64, 'd'), 3, "application/pdf"},
          AddRecommendation{"UBND", "Kiến nghị"},
          AnswerRecommendation{number, random() % 2 ? "accepted" : "not_accepted", "Giải trình", ""},
          MarkRecommendationUnanswered{number},
          EscalateRecommendation{number},
          AssignCase{random() % 2 ? "lan" : "mai", {"officer"}, {}},
          AddComment{"Bình luận"}};
      auto outcome = execute(def_, state_, actor, now_, choices[random() % choices.size()]);
      now_ += std::chrono::minutes{7};
      if (!outcome) continue;
      ++accepted;
      history_.insert(history_.end(), outcome->events.begin(), outcome->events.end());
      state_ = outcome->state;
      ASSERT_EQ(fold(history_), state_) << "after " << history_.size() << " events";
    }
  }
  EXPECT_GT(accepted, 200) << "the random walk should get many commands through";
}

}  // namespace
}  // namespace docket
