// Group commit (Database::write_batch, CaseStore::execute_batch): requests applied in one
// transaction keep their own validation and results, and nothing is reported before COMMIT.
#include <gtest/gtest.h>

#include "store/audit.h"
#include "store/case_store.h"
#include "store_fixture.h"

namespace docket {
namespace {

using testing::StoreTest;

class GroupCommitTest : public StoreTest {
 protected:
  std::int64_t events_seen_by_another_connection() {
    auto reader = open_db();
    return reader->sql().execAndGet("SELECT COUNT(*) FROM events").getInt64();
  }
};

TEST_F(GroupCommitTest, ARefusedRequestGetsItsOwnErrorAndTheOthersInTheBatchCommit) {
  const Case first = open_critique("Một");
  const Case second = open_critique("Hai");
  const Case third = open_critique("Ba");
  const auto before = store_->event_count().value();
  const std::vector<CaseCommand> batch = {
      {first.number, "lan", {AddComment{"được ghi"}}, first.version, {}},
      {second.number, "lan", {AddComment{"phiên bản cũ"}}, second.version - 1, {}},        // stale version
      {third.number, "lan", {MoveCase{"close", {}, ""}}, std::nullopt, {}},                // not from "received"
      {"PB-2026-9999", "lan", {AddComment{"không có hồ sơ"}}, std::nullopt, {}},           // unknown case
      {first.number, "lan", {AddComment{"lần hai, sau lần một"}}, first.version + 1, {}},  // sees the first
  };
  const auto results = store_->execute_batch(batch);
  ASSERT_EQ(results.size(), batch.size());
  ASSERT_TRUE(results[0].ok()) << results[0].error().message;
  EXPECT_EQ(results[0]->version, first.version + 1);
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().code, ErrorCode::conflict);
  ASSERT_FALSE(results[2].ok());
  EXPECT_EQ(results[2].error().code, ErrorCode::transition_not_allowed) << results[2].error().message;
  ASSERT_FALSE(results[3].ok());
  EXPECT_EQ(results[3].error().code, ErrorCode::not_found);
  ASSERT_TRUE(results[4].ok()) << results[4].error().message;
  EXPECT_EQ(results[4]->version, first.version + 2);

  EXPECT_EQ(store_->event_count().value(), before + 2);
  EXPECT_EQ(store_->get(first.number)->version, first.version + 2);
  EXPECT_EQ(store_->get(second.number)->version, second.version);
  EXPECT_EQ(store_->get(third.number)->version, third.version);
  EXPECT_TRUE(verify_audit(*db_).value().ok);
}

TEST_F(GroupCommitTest, NothingIsVisibleToOthersUntilTheWholeBatchCommitted) {
  open_critique();
  const auto before = events_seen_by_another_connection();
  std::vector<std::int64_t> seen_during;
  std::vector<std::function<Status()>> works;
  for (int i = 0; i < 3; ++i) {
    works.emplace_back([&, i]() -> Status {
      auto written = store_->execute("PB-2026-0001", "lan", {AddComment{"bình luận " + std::to_string(i)}});
      seen_during.push_back(events_seen_by_another_connection());
      return written ? Status(Ok{}) : Status(written.error());
    });
  }
  const auto statuses = db_->write_batch(works);
  ASSERT_EQ(statuses.size(), 3u);
  for (const Status& status : statuses) EXPECT_TRUE(status.ok());
  // While the batch ran, another connection saw none of it; once write_batch returned, all of it.
  EXPECT_EQ(seen_during, (std::vector<std::int64_t>{before, before, before}));
  EXPECT_EQ(events_seen_by_another_connection(), before + 3);
}

TEST_F(GroupCommitTest, AWorkThatThrowsIsUndoneAloneAndReportsItsError) {
  const Case opened = open_critique();
  const auto before = store_->event_count().value();
  const std::vector<std::function<Status()>> works = {
      [&]() -> Status {
        return store_->execute(opened.number, "lan", {AddComment{"giữ lại"}}) ? Status(Ok{})
                                                                              : make_error(ErrorCode::internal, "x");
      },
      [&]() -> Status {
        (void)store_->execute(opened.number, "lan", {AddComment{"bị hủy"}});
        throw std::runtime_error("the work failed half way");
      },
  };
  const auto statuses = db_->write_batch(works);
  EXPECT_TRUE(statuses[0].ok());
  ASSERT_FALSE(statuses[1].ok());
  EXPECT_NE(statuses[1].error().message.find("half way"), std::string::npos);
  EXPECT_EQ(store_->event_count().value(), before + 1);
  EXPECT_EQ(std::get<CommentAdded>(store_->history(opened.number)->back().event.payload).text, "giữ lại");
}

// A command inside a batch's work runs in the work's savepoint while the work has written
// nothing yet. A command that fails after the work wrote something must undo only itself.
TEST_F(GroupCommitTest, ACommandThatFailsInsideAWorkUndoesOnlyItselfWhereverItComes) {
  const Case first = open_critique("Một");
  const Case second = open_critique("Hai");
  db_->sql().exec("CREATE TABLE notes (text TEXT)");
  const auto comment = [&](const Case& on, const std::string& text,
                           std::optional<std::int64_t> version = std::nullopt) {
    return store_->execute(on.number, "lan", {AddComment{text}}, version).ok();
  };
  std::vector<bool> outcomes;
  const std::vector<std::function<Status()>> works = {
      [&]() -> Status {  // fails first, then goes on
        outcomes.push_back(comment(first, "phiên bản cũ", first.version - 1));
        outcomes.push_back(comment(first, "sau lần hỏng"));
        return Ok{};
      },
      [&]() -> Status {  // writes, fails, writes again
        outcomes.push_back(comment(second, "trước"));
        outcomes.push_back(comment(second, "phiên bản cũ", second.version));
        outcomes.push_back(comment(second, "sau"));
        return Ok{};
      },
      [&]() -> Status {  // writes a row of its own, then a command fails
        db_->sql().exec("INSERT INTO notes (text) VALUES ('giữ lại')");
        outcomes.push_back(comment(second, "phiên bản cũ", second.version));
        return Ok{};
      },
      [&]() -> Status {  // writes, then its second command fails and the work gives up
        outcomes.push_back(comment(first, "bị hủy cùng việc"));
        outcomes.push_back(comment(first, "phiên bản cũ", first.version));
        return make_error(ErrorCode::conflict, "gave up");
      },
  };
  const auto statuses = db_->write_batch(works);
  ASSERT_EQ(statuses.size(), 4u);
  EXPECT_TRUE(statuses[0].ok());
  EXPECT_TRUE(statuses[1].ok());
  EXPECT_TRUE(statuses[2].ok());
  EXPECT_FALSE(statuses[3].ok());
  EXPECT_EQ(outcomes, (std::vector<bool>{false, true, true, false, true, false, true, false}));
  EXPECT_EQ(db_->sql().execAndGet("SELECT COUNT(*) FROM notes").getInt(), 1);
  const auto texts = [&](const Case& of) {
    std::vector<std::string> found;
    for (const StoredEvent& stored : store_->history(of.number).value()) {
      if (const auto* added = std::get_if<CommentAdded>(&stored.event.payload)) found.push_back(added->text);
    }
    return found;
  };
  EXPECT_EQ(texts(first), (std::vector<std::string>{"sau lần hỏng"}));
  EXPECT_EQ(texts(second), (std::vector<std::string>{"trước", "sau"}));
  EXPECT_EQ(store_->get(first.number)->version, first.version + 1);
  EXPECT_EQ(store_->get(second.number)->version, second.version + 2);
  // Later commands go on from what was kept, not from what was undone.
  ASSERT_TRUE(comment(first, "lô sau"));
  EXPECT_EQ(store_->get(first.number)->version, first.version + 2);
  const AuditReport audit = verify_audit(*db_).value();
  EXPECT_TRUE(audit.ok) << audit.problem;
}

// A COMMIT that fails (here: a deferred foreign key checked only at COMMIT) stores nothing of
// the batch, and no request in it is told it succeeded.
TEST_F(GroupCommitTest, WhenCommitFailsEveryRequestGetsTheErrorAndNothingIsStored) {
  const Case opened = open_critique();
  db_->sql().exec("CREATE TABLE checked (case_id INTEGER REFERENCES cases(id) DEFERRABLE INITIALLY DEFERRED)");
  const auto before = store_->event_count().value();
  const std::vector<std::function<Status()>> works = {
      [&]() -> Status {
        return store_->execute(opened.number, "lan", {AddComment{"một"}}) ? Status(Ok{})
                                                                          : make_error(ErrorCode::internal, "x");
      },
      [&]() -> Status {
        db_->sql().exec("INSERT INTO checked (case_id) VALUES (424242)");
        return Ok{};
      },
  };
  const auto statuses = db_->write_batch(works);
  ASSERT_EQ(statuses.size(), 2u);
  for (const Status& status : statuses) {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::storage) << status.error().message;
  }
  EXPECT_EQ(store_->event_count().value(), before);
  EXPECT_EQ(store_->get(opened.number)->version, opened.version);
}

TEST_F(GroupCommitTest, ABatchThatCannotTakeTheWriteLockGetsBusyForEveryRequest) {
  const Case opened = open_critique();
  auto holder = open_db();
  holder->sql().exec("BEGIN IMMEDIATE");
  auto impatient = open_db(100);
  CaseStore store(*impatient, catalog_, clock_);
  const auto results = store.execute_batch({{opened.number, "lan", {AddComment{"một"}}, std::nullopt, {}},
                                            {opened.number, "lan", {AddComment{"hai"}}, std::nullopt, {}}});
  holder->sql().exec("ROLLBACK");
  ASSERT_EQ(results.size(), 2u);
  for (const auto& result : results) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::busy);
  }
  EXPECT_EQ(store_->event_count().value(), 1);
}

}  // namespace
}  // namespace docket
