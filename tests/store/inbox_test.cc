// CaseStore::inbox and the kept counts it reads (open_case_counts, migration 12): cases of all
// three built-in workflows at a province and two communes are driven at random by every user
// (transitions whose requirements are met, documents, fields, assignments, recommendations,
// deadlines, breaches and escalations), and every user's inbox, read page by page, must be
// exactly the open cases that core/case_actions.h's has_turn gives them, asked case by case.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "store_fixture.h"

namespace docket::testing {
namespace {

CaseFilter every_case(bool open_only) {
  CaseFilter filter;
  filter.open_only = open_only;
  filter.limit = 100000;
  return filter;
}

class InboxTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    Directory directory(*db_, clock_);
    ASSERT_TRUE(directory.add_unit({"hoa-lu", "Ủy ban MTTQ xã Hoa Lư", "commune", "ninh-binh"}).ok());
    ASSERT_TRUE(directory.add_user("xa-bt", "Trần Văn Bình", "gia-vien", {"standing_board"}).ok());
    ASSERT_TRUE(directory.add_user("xa-cb", "Lê Thị Mai", "gia-vien", {"officer", "department_head"}).ok());
    ASSERT_TRUE(directory.add_user("hl-cb", "Đỗ Văn Nam", "hoa-lu", {"officer", "standing_board"}).ok());
    ASSERT_TRUE(directory.add_user("tinh-rv", "Vũ Thị Hoa", "ninh-binh", {"reviewer"}).ok());
    ASSERT_TRUE(directory.add_user("tinh-head", "Hoàng Văn Sơn", "ninh-binh", {"reviewing_head"}).ok());
    ASSERT_TRUE(directory.add_user("ubnd-gv", "UBND xã Gia Viễn", "gia-vien", {"supervised_body"}).ok());
  }

  const std::vector<std::string> users_ = {"chu-tich", "lan",     "so-ld",     "xa-bt",  "xa-cb",
                                           "hl-cb",    "tinh-rv", "tinh-head", "ubnd-gv"};

  // A value `field` accepts.
  static std::string value_for(const FieldDefinition& field) {
    switch (field.type) {
      case FieldType::date:
        return "2026-03-20";
      case FieldType::datetime:
        return "2026-03-20T02:00:00Z";
      case FieldType::integer:
        return "3";
      case FieldType::enumeration:
        return field.values.empty() ? "" : field.values.front().id;
      case FieldType::org_unit:
        return "gia-vien";
      case FieldType::party:
        return "so-ld";
      case FieldType::user:
        return "lan";
      default:
        return "Nội dung " + field.id;
    }
  }

  // Opens `count` cases of each workflow at each of its units, by a user who may.
  void open_cases(int count) {
    const std::vector<std::tuple<std::string, std::string, std::string>> openings = {
        {"social-critique", "lan", "ninh-binh"},  {"social-critique", "xa-cb", "gia-vien"},
        {"supervision", "xa-cb", "gia-vien"},     {"supervision", "hl-cb", "hoa-lu"},
        {"periodic-report", "xa-cb", "gia-vien"}, {"periodic-report", "hl-cb", "hoa-lu"}};
    for (int i = 0; i < count; ++i) {
      for (const auto& [workflow, user, unit] : openings) {
        const WorkflowDefinition* definition = catalog_.latest(workflow);
        ASSERT_NE(definition, nullptr);
        FieldValues fields;
        for (const FieldDefinition& field : definition->fields)
          if (field.required_at_open) fields[field.id] = value_for(field);
        auto opened =
            store_->open(workflow, user, OpenCase{"", "Hồ sơ " + workflow + " " + std::to_string(i), unit, fields});
        ASSERT_TRUE(opened.ok()) << workflow << " at " << unit << ": " << opened.error().message;
      }
    }
  }

  // One random step on a random open case by a random user; refusals are part of the game.
  void random_step(std::mt19937& random) {
    auto open = store_->list(every_case(true));
    ASSERT_TRUE(open.ok());
    if (open->empty()) return;
    const Case& listed = (*open)[random() % open->size()];
    auto whole = store_->get(listed.number);
    ASSERT_TRUE(whole.ok());
    const Case& current = whole.value();
    const WorkflowDefinition* definition = catalog_.find(current.workflow_id, current.workflow_version);
    const std::string user = users_[random() % users_.size()];
    const auto pick = [&](const auto& items) { return items[random() % items.size()]; };
    switch (random() % 12) {
      case 0:
      case 1:
      case 2:
      case 3: {  // a transition that the user may make and whose requirements are met
        auto actions = store_->actions_for(user, current);
        ASSERT_TRUE(actions.ok());
        std::vector<const TransitionChoice*> ready;
        for (const TransitionChoice& choice : actions->transitions)
          if (choice.unmet.empty() && (!definition->stage(choice.transition->to)->terminal || random() % 8 == 0))
            ready.push_back(&choice);
        if (ready.empty()) return;
        const TransitionDefinition& transition = *pick(ready)->transition;
        FieldValues fields;
        for (const std::string& set : transition.sets) fields[set] = value_for(*definition->field(set));
        (void)store_->execute(current.number, user, {MoveCase{transition.id, fields, ""}});
        return;
      }
      case 4: {  // a document of every kind, and every field, so that more transitions open up
        std::vector<Command> commands;
        std::vector<Upload> uploads;
        for (const Choice& kind : definition->document_kinds) {
          Upload file{kind.id + ".pdf", "application/pdf", "%PDF-1.4 " + kind.id};
          commands.push_back(AttachDocument{kind.id, file.file_name, file.sha256(),
                                            static_cast<std::int64_t>(file.content.size()), file.media_type});
          uploads.push_back(file);
        }
        (void)store_->execute(current.number, "lan", commands, std::nullopt, uploads);
        (void)store_->execute(current.number, "xa-cb", commands, std::nullopt, uploads);
        (void)store_->execute(current.number, "hl-cb", commands, std::nullopt, uploads);
        FieldValues fields;
        for (const FieldDefinition& field : definition->fields)
          if (!current.fields.contains(field.id)) fields[field.id] = value_for(field);
        for (const char* by : {"lan", "xa-cb", "hl-cb"}) (void)store_->execute(current.number, by, {SetFields{fields}});
        return;
      }
      case 5: {  // by the head of the case's unit, to a member there
        const std::map<std::string, std::vector<std::string>> members = {
            {"ninh-binh", {"lan", "chu-tich"}}, {"gia-vien", {"xa-cb", "xa-bt"}}, {"hoa-lu", {"hl-cb"}}};
        for (const char* head : {"lan", "xa-cb", "hl-cb"})
          (void)store_->execute(current.number, head, {AssignCase{pick(members.at(current.unit))}});
        return;
      }
      case 6: {
        const std::string addressee = current.workflow_id == "supervision" ? "ubnd-gv" : "so-ld";
        (void)store_->execute(current.number, user, {AddRecommendation{addressee, "Kiến nghị"}});
        return;
      }
      case 7: {
        for (const Recommendation& recommendation : current.recommendations)
          (void)store_->execute(current.number, user,
                                {AnswerRecommendation{recommendation.number, "accepted", "Tiếp thu", ""}});
        return;
      }
      case 8: {  // a due date, some past and some to come
        const Timestamp due_at = clock_.now() + std::chrono::days{static_cast<int>(random() % 20) - 10};
        (void)store_->execute_as_system(
            current.number,
            {RecordDeadline{current.stage, format_date(vietnam_date(due_at)), format_timestamp(due_at), "test"}});
        return;
      }
      case 9:
        if (current.deadline)
          (void)store_->execute_as_system(current.number,
                                          {RecordBreach{current.deadline->stage, current.deadline->due}});
        return;
      case 10:
        if (current.deadline)
          (void)store_->execute_as_system(current.number, {EscalateCase{current.deadline->stage, current.deadline->due,
                                                                        "standing_board", "ninh-binh"}});
        return;
      default:
        if (random() % 3 == 0) (void)store_->execute(current.number, user, {UnassignCase{}});
        return;
    }
  }

  // What the inbox must hold for `user`: every open case has_turn gives them, asked one by one.
  std::vector<Case> expected_inbox(const std::string& user) {
    auto open = store_->list(every_case(true));
    EXPECT_TRUE(open.ok());
    std::vector<Case> turn;
    for (const Case& listed : *open) {
      auto whole = store_->get(listed.number);
      EXPECT_TRUE(whole.ok());
      auto has = store_->has_turn(user, whole.value());
      EXPECT_TRUE(has.ok()) << has.error().message;
      if (has.ok() && *has) turn.push_back(whole.value());
    }
    return turn;
  }

  // `user`'s whole inbox, read `per_page` cases at a time.
  std::vector<InboxPage> read_inbox(const std::string& user, int per_page) {
    std::vector<InboxPage> pages;
    std::string after;
    do {
      auto page = store_->inbox(user, after, per_page);
      EXPECT_TRUE(page.ok()) << page.error().message;
      if (!page.ok()) break;
      EXPECT_LE(static_cast<int>(page->cases.size()), per_page);
      after = page->next;
      pages.push_back(std::move(page.value()));
    } while (!after.empty() && pages.size() < 1000);
    return pages;
  }

  void expect_inboxes_match_the_rule(int per_page) {
    for (const std::string& user : users_) {
      SCOPED_TRACE("user " + user);
      const std::vector<Case> expected = expected_inbox(user);
      const std::vector<InboxPage> pages = read_inbox(user, per_page);
      ASSERT_FALSE(pages.empty());
      std::vector<std::string> listed;
      std::string last_due;
      bool undated_seen = false;
      for (const InboxPage& page : pages) {
        EXPECT_EQ(page.total, static_cast<std::int64_t>(expected.size()));
        for (const Case& current : page.cases) {
          listed.push_back(current.number);
          // Earliest due date first, those without one last.
          const std::string due = current.deadline ? format_timestamp(current.deadline->due_at) : "";
          if (due.empty()) {
            undated_seen = true;
          } else {
            EXPECT_FALSE(undated_seen) << current.number << " has a due date but comes after one without";
            EXPECT_LE(last_due, due) << current.number;
            last_due = due;
          }
        }
      }
      std::vector<std::string> wanted;
      std::map<std::string, std::int64_t> per_workflow;
      std::int64_t breached = 0;
      for (const Case& current : expected) {
        wanted.push_back(current.number);
        ++per_workflow[current.workflow_id];
        breached += current.deadline && current.deadline->breached;
      }
      std::vector<std::string> sorted_listed = listed;
      std::sort(sorted_listed.begin(), sorted_listed.end());
      std::sort(wanted.begin(), wanted.end());
      EXPECT_EQ(sorted_listed, wanted) << "each case once, and only the user's turn";
      EXPECT_EQ(pages.front().per_workflow, per_workflow);
      EXPECT_EQ(pages.front().breached, breached);
    }
  }

  // The kept counts against a count of the cases themselves.
  void expect_counts_kept() {
    auto open = store_->list(every_case(true));
    ASSERT_TRUE(open.ok());
    std::map<std::string, OpenCaseCounts> counted;
    for (const Case& listed : *open) {
      ++counted[listed.unit].open;
      counted[listed.unit].breached += listed.deadline && listed.deadline->breached;
    }
    auto kept = store_->open_case_counts({"ninh-binh", "gia-vien", "hoa-lu", "no-such-unit"});
    ASSERT_TRUE(kept.ok());
    ASSERT_EQ(kept->size(), counted.size());
    for (const auto& [unit, count] : counted) {
      EXPECT_EQ(kept->at(unit).open, count.open) << unit;
      EXPECT_EQ(kept->at(unit).breached, count.breached) << unit;
    }
  }
};

TEST_F(InboxTest, EveryUsersInboxIsExactlyTheCasesThatAreTheirTurn) {
  open_cases(6);
  std::mt19937 random(20261206);
  for (int step = 0; step < 3000; ++step) ASSERT_NO_FATAL_FAILURE(random_step(random));
  // The walk reached the states the inbox treats apart.
  auto open = store_->list(every_case(true));
  ASSERT_TRUE(open.ok());
  int escalated = 0, breached = 0, assigned = 0, closed_count = 0;
  for (const Case& listed : *open) {
    escalated += listed.deadline && !listed.deadline->escalated_to_unit.empty();
    breached += listed.deadline && listed.deadline->breached;
    assigned += !listed.assignee.empty();
  }
  auto all = store_->list(every_case(false));
  ASSERT_TRUE(all.ok());
  closed_count = static_cast<int>(all->size() - open->size());
  EXPECT_GT(escalated, 0);
  EXPECT_GT(breached, 0);
  EXPECT_GT(assigned, 0);
  EXPECT_GT(closed_count, 0);
  expect_counts_kept();
  expect_inboxes_match_the_rule(3);
  expect_inboxes_match_the_rule(50);
}

TEST_F(InboxTest, TheAddresseeOfAnIssuedRecommendationHasTheTurnUntilAnswering) {
  const Case opened = open_critique();
  auto before = store_->inbox("so-ld", "", 50);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->total, 0);
  ASSERT_TRUE(store_->execute(opened.number, "lan", {AddRecommendation{"so-ld", "Bổ sung chỉ tiêu"}}).ok());
  issue_critique(opened.number);
  auto waiting = store_->inbox("so-ld", "", 50);
  ASSERT_TRUE(waiting.ok());
  ASSERT_EQ(waiting->cases.size(), 1u);
  EXPECT_EQ(waiting->cases.front().number, opened.number);
  ASSERT_TRUE(store_->execute(opened.number, "so-ld", {AnswerRecommendation{1, "accepted", "Tiếp thu", ""}}).ok());
  auto answered = store_->inbox("so-ld", "", 50);
  ASSERT_TRUE(answered.ok());
  EXPECT_EQ(answered->total, 0);
}

TEST_F(InboxTest, WithdrawingFromAnyStageDoesNotMakeACaseTheHoldersTurn) {
  // "withdraw" (from every stage) is open to the department head in every stage, but only
  // "assign" and "return_incomplete" out of "received" make it their turn.
  const Case opened = open_critique();
  ASSERT_TRUE(store_->execute(opened.number, "chu-tich", {AssignCase{"lan"}}).ok());
  ASSERT_TRUE(store_->execute(opened.number, "lan", {UnassignCase{}}).ok());
  auto received = store_->inbox("lan", "", 50);
  ASSERT_TRUE(received.ok());
  EXPECT_EQ(received->total, 1);
  issue_critique(opened.number);  // on to awaiting_answer: record_answer is the officer's turn
  auto awaiting = store_->inbox("lan", "", 50);
  ASSERT_TRUE(awaiting.ok());
  EXPECT_EQ(awaiting->total, 1);
  auto so_ld = store_->inbox("so-ld", "", 50);
  ASSERT_TRUE(so_ld.ok());
  EXPECT_EQ(so_ld->total, 0) << "no recommendation addressed to so-ld";
}

TEST_F(InboxTest, ACaseEscalatedToARoleHeldAtOneOfManyUnitsIsTheirTurn) {
  // Roles at more than 16 units: the inbox asks for every escalated case at once.
  Directory directory(*db_, clock_);
  for (int i = 1; i <= 20; ++i) {
    const std::string unit = "xa-" + std::to_string(i);
    ASSERT_TRUE(directory.add_unit({unit, "Ủy ban MTTQ xã " + std::to_string(i), "commune", "ninh-binh"}).ok());
    ASSERT_TRUE(directory.add_user("nhieu", "Người nhiều đơn vị", unit, {"standing_board"}).ok());
  }
  const auto escalate = [&](const std::string& role) {
    const Case opened = open_critique();
    const Timestamp due_at = clock_.now() - std::chrono::days{1};
    const std::string due = format_date(vietnam_date(due_at));
    EXPECT_TRUE(store_
                    ->execute_as_system(
                        opened.number, {RecordDeadline{opened.stage, due, format_timestamp(due_at), "test"},
                                        RecordBreach{opened.stage, due}, EscalateCase{opened.stage, due, role, "xa-7"}})
                    .ok());
    return opened.number;
  };
  const std::string to_board = escalate("standing_board");
  escalate("department_head");  // a role nhieu does not hold there
  auto inbox = store_->inbox("nhieu", "", 50);
  ASSERT_TRUE(inbox.ok()) << inbox.error().message;
  ASSERT_EQ(inbox->cases.size(), 1u);
  EXPECT_EQ(inbox->cases.front().number, to_board);
  EXPECT_EQ(inbox->total, 1);
  EXPECT_EQ(inbox->breached, 1);
  auto turn = store_->has_turn("nhieu", store_->get(to_board).value());
  ASSERT_TRUE(turn.ok());
  EXPECT_TRUE(*turn);
}

TEST_F(InboxTest, AMalformedCursorIsRefusedByName) {
  for (const std::string cursor : {"x", "2026/abc", "/5", "2026-01-01T00:00:00Z/0"}) {
    auto page = store_->inbox("lan", cursor, 10);
    ASSERT_FALSE(page.ok()) << cursor;
    EXPECT_EQ(page.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(page.error().message.find(cursor), std::string::npos) << page.error().message;
  }
  auto unknown = store_->inbox("no-such-user", "", 10);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

TEST_F(InboxTest, MigrationTwelveCountsTheCasesOfAnOlderFile) {
  open_cases(2);
  std::mt19937 random(7);
  for (int step = 0; step < 200; ++step) ASSERT_NO_FATAL_FAILURE(random_step(random));
  std::map<std::string, std::vector<std::string>> before;
  for (const std::string& user : users_) {
    for (const InboxPage& page : read_inbox(user, 50))
      for (const Case& current : page.cases) before[user].push_back(current.number);
  }
  // The file as version 11 left it: no counts, no escalations table, no inbox indexes.
  db_->sql().exec(R"sql(
    DROP TABLE open_case_counts; DROP TABLE escalated_cases;
    DROP INDEX cases_open_place; DROP INDEX cases_open_undated; DROP INDEX recommendations_awaiting;
    PRAGMA user_version = 11;)sql");
  store_.reset();
  db_.reset();
  db_ = open_db();
  ASSERT_NE(db_, nullptr);
  store_ = std::make_unique<CaseStore>(*db_, catalog_, clock_);
  expect_counts_kept();
  std::map<std::string, std::vector<std::string>> after;
  for (const std::string& user : users_) {
    for (const InboxPage& page : read_inbox(user, 50))
      for (const Case& current : page.cases) after[user].push_back(current.number);
  }
  EXPECT_EQ(after, before);
}

}  // namespace
}  // namespace docket::testing
