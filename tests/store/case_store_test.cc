#include "store/case_store.h"

#include <gtest/gtest.h>

#include <sqlite3.h>
#include <fstream>

#include <thread>

#include "core/state_machine.h"
#include "store/audit.h"
#include "store/directory.h"
#include "store_fixture.h"

namespace docket {
namespace {

using testing::StoreTest;

class CaseStoreTest : public StoreTest {};

TEST_F(CaseStoreTest, DatabaseIsWalWithFullSyncAndCurrentSchema) {
  EXPECT_EQ(db_->sql().execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db_->sql().execAndGet("PRAGMA synchronous").getInt(), 2);  // FULL
  EXPECT_EQ(db_->sql().execAndGet("PRAGMA user_version").getInt(), schema_version());
}

TEST_F(CaseStoreTest, ANewerDatabaseIsRefusedAndAMissingOneIsNotCreated) {
  db_->sql().exec("PRAGMA user_version = 99");
  auto newer = Database::open({folder_ / "docket.db", false, 1000, true});
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.error().message.find("schema version 99"), std::string::npos) << newer.error().message;
  auto missing = Database::open({folder_ / "nope.db", false, 1000, true});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_FALSE(std::filesystem::exists(folder_ / "nope.db"));
}

TEST_F(CaseStoreTest, AnEmptyFileIsRefusedLikeAMissingOneAndNotMadeADatabase) {
  std::ofstream(folder_ / "empty.db").flush();
  auto empty = Database::open({folder_ / "empty.db", false, 1000, true});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::not_found);
  EXPECT_NE(empty.error().message.find("is empty"), std::string::npos) << empty.error().message;
  EXPECT_EQ(std::filesystem::file_size(folder_ / "empty.db"), 0u);
}

// Migrations since 8 run again on a file that has them: lowering the version by one makes a
// file the last migration upgrades.
TEST_F(CaseStoreTest, AnOlderDatabaseIsMigratedOnlyWhenTheOpenerAsksForIt) {
  const Case opened = open_critique();
  const int older = schema_version() - 1;
  db_->sql().exec("PRAGMA user_version = " + std::to_string(older));
  store_.reset();
  db_.reset();
  const auto path = folder_ / "docket.db";
  const auto version_on_disk = [&] { return Database::schema_version_on_disk(path).value().value_or(-1); };

  auto refused = Database::open({path, false, 1000, true});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::needs_migration);
  EXPECT_EQ(refused.error().message, path.string() + " has schema version " + std::to_string(older) +
                                         ", this docket needs " + std::to_string(schema_version()) +
                                         ": run \"docket migrate\" (it takes a backup first)");
  EXPECT_EQ(version_on_disk(), older) << "a refused file is left as it was";

  auto as_is = Database::open({path, false, 1000, true, OlderSchema::as_is});
  ASSERT_TRUE(as_is.ok()) << as_is.error().message;
  EXPECT_EQ((*as_is)->sql().execAndGet("SELECT COUNT(*) FROM cases").getInt(), 1);
  as_is.value().reset();
  EXPECT_EQ(version_on_disk(), older) << "opened as it is, the file is not migrated";

  auto migrated = Database::open({path, false, 1000, true, OlderSchema::migrate});
  ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  EXPECT_EQ(version_on_disk(), schema_version());
  db_ = std::move(migrated.value());
  store_ = std::make_unique<CaseStore>(*db_, catalog_, clock_);
  EXPECT_TRUE(store_->get(opened.number).ok());
}

TEST_F(CaseStoreTest, ANewFileIsGivenTheSchemaWithoutAskingToMigrate) {
  auto created = Database::open({folder_ / "new.db", true, 1000, true});
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ((*created)->sql().execAndGet("PRAGMA user_version").getInt(), schema_version());
}

TEST_F(CaseStoreTest, ALoweredSchemaVersionIsNamedAsTheProblem) {
  open_critique();
  db_->sql().exec("PRAGMA user_version = 0");
  store_.reset();
  db_.reset();
  auto lowered = Database::open({folder_ / "docket.db", false, 1000, true, OlderSchema::migrate});
  ASSERT_FALSE(lowered.ok());
  EXPECT_EQ(lowered.error().code, ErrorCode::storage);
  EXPECT_NE(lowered.error().message.find("says it has schema version 0"), std::string::npos) << lowered.error().message;
  EXPECT_NE(lowered.error().message.find("already exists"), std::string::npos) << lowered.error().message;
}

// A connection changing a case again starts from the state it saved (CaseCache) instead of
// reading it back: that state must be exactly what reading it back gives, and a change made
// through another connection in between must be seen.
TEST_F(CaseStoreTest, ACaseChangedAgainStartsFromWhatIsStoredEvenAfterAnotherConnectionChangedIt) {
  const Case opened = open_critique();
  const auto change = [&](const std::string& user, std::vector<Command> commands, std::vector<Upload> uploads = {}) {
    auto changed = store_->execute(opened.number, user, commands, std::nullopt, uploads);
    EXPECT_TRUE(changed.ok()) << changed.error().message;
    auto stored = store_->get(opened.number);  // read back from the database
    EXPECT_TRUE(stored.ok());
    if (changed && stored) {
      EXPECT_EQ(*changed, *stored);
    }
    return changed ? changed->version : -1;
  };
  const auto upload = [](const std::string& name, const std::string& content) {
    Upload file{name, guess_media_type(name), content};
    return std::make_pair(AttachDocument{name.substr(0, name.find('.')), name, file.sha256(),
                                         static_cast<std::int64_t>(content.size()), file.media_type},
                          file);
  };
  // Two kinds attached in the same second, "report" first: stored order is by kind.
  const auto [report, report_file] = upload("report.txt", "Báo cáo tổng hợp ý kiến");
  change("lan", {report}, {report_file});
  const auto [draft, draft_file] = upload("draft.pdf", "%PDF-1.4 dự thảo");
  change("lan", {draft}, {draft_file});
  change("lan", {AddComment{"Đề nghị bổ sung số liệu"}, SetFields{{{"document_title", "Kế hoạch giảm nghèo"}}}});
  change("chu-tich", {AddRecommendation{"so-ld", "Bổ sung tiêu chí"}});
  issue_critique(opened.number);  // the drafting body answers an issued recommendation addressed to it
  change("so-ld", {AnswerRecommendation{1, "accepted", "Đã bổ sung", ""}});

  // Another connection (another process, say) comments on the case.
  auto other_db = open_db();
  ASSERT_NE(other_db, nullptr);
  CaseStore other(*other_db, catalog_, clock_);
  auto elsewhere = other.execute(opened.number, "lan", {AddComment{"Ý kiến từ nơi khác"}});
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.error().message;
  // This connection sees that version, and keeps the other comment.
  auto next = store_->execute(opened.number, "lan", {AddComment{"Ý kiến tiếp"}}, elsewhere->version);
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->version, elsewhere->version + 1);
  EXPECT_EQ(*next, store_->get(opened.number).value());
  // The log's chain went on from the other connection's event (this one keeps the newest).
  const AuditReport audit = verify_audit(*db_).value();
  EXPECT_TRUE(audit.ok) << audit.problem;
}

TEST_F(CaseStoreTest, CaseNumbersArePerPrefixAndYearWithoutGaps) {
  EXPECT_EQ(open_critique().number, "PB-2026-0001");
  // A refused open does not use up a number.
  auto refused = store_->open("social-critique", "lan", OpenCase{"", "Thiếu trường", "ninh-binh", {}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(open_critique().number, "PB-2026-0002");
  clock_.set(std::chrono::sys_days{std::chrono::year{2027} / 1 / 5});
  EXPECT_EQ(open_critique().number, "PB-2027-0001");
}

TEST_F(CaseStoreTest, OpenChecksWorkflowUnitUserAndRole) {
  EXPECT_EQ(store_->open("nope", "lan", OpenCase{"", "x", "ninh-binh", {}}).error().code, ErrorCode::not_found);
  const OpenCase open{"", "Tiêu đề", "gia-vien", {{"submission_date", "2026-06-30"}, {"drafting_body", "UBND xã"}}};
  auto wrong_unit = store_->open("social-critique", "lan", open);  // lan holds no role at gia-vien
  ASSERT_FALSE(wrong_unit.ok());
  EXPECT_EQ(wrong_unit.error().code, ErrorCode::role_not_allowed);
  EXPECT_EQ(store_->open("social-critique", "ghost", open).error().code, ErrorCode::not_found);
  OpenCase elsewhere = open;
  elsewhere.unit = "ha-noi";
  EXPECT_EQ(store_->open("social-critique", "lan", elsewhere).error().code, ErrorCode::not_found);
  EXPECT_EQ(store_->event_count().value(), 0);
}

TEST_F(CaseStoreTest, AStaleVersionIsAConflictAndWritesNothing) {
  const Case opened = open_critique();
  ASSERT_TRUE(store_->execute(opened.number, "lan", {AddComment{"Lần 1"}}, opened.version).ok());
  const auto before = store_->event_count().value();
  auto stale = store_->execute(opened.number, "lan", {AddComment{"Lần 2"}}, opened.version);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::conflict);
  EXPECT_EQ(store_->event_count().value(), before);
}

TEST_F(CaseStoreTest, CommandsInOneCallCommitTogetherOrNotAtAll) {
  const Case opened = open_critique();
  const auto before = store_->event_count().value();
  auto refused = store_->execute(opened.number, "lan", {AddComment{"được"}, MoveCase{"no-such-transition", {}, ""}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(store_->event_count().value(), before);
  EXPECT_EQ(store_->get(opened.number)->version, opened.version);
}

TEST_F(CaseStoreTest, StoredStateEqualsTheFoldOfTheStoredHistory) {
  const Case opened = open_critique();
  Upload draft{"du-thao.pdf", "application/pdf", "%PDF-1.4 dự thảo"};
  ASSERT_TRUE(store_
                  ->execute(opened.number, "lan",
                            {AttachDocument{"draft", draft.file_name, draft.sha256(), 20, draft.media_type},
                             SetFields{{{"document_title", "Kế hoạch giảm nghèo"}, {"received_date", "2026-03-02"}}}},
                            std::nullopt, {draft})
                  .ok());
  ASSERT_TRUE(
      store_->execute(opened.number, "chu-tich", {MoveCase{"assign", {}, "Giao Ban Dân chủ – Pháp luật"}}).ok());
  ASSERT_TRUE(
      store_
          ->execute(opened.number, "chu-tich", {AssignCase{"lan"}, AddRecommendation{"so-ld", "Rà soát hộ cận nghèo"}})
          .ok());
  // Not issued yet (the critique is not sent): the drafting body cannot answer it (issue #23 item 3).
  const auto early =
      store_->execute(opened.number, "so-ld", {AnswerRecommendation{1, "not_accepted", "Chưa có kinh phí", ""}});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::transition_not_allowed);
  auto history = store_->history(opened.number);
  ASSERT_TRUE(history.ok());
  std::vector<Event> events;
  for (const auto& stored : *history) events.push_back(stored.event);
  Case folded = fold(events);
  Case stored = store_->get(opened.number).value();
  EXPECT_EQ(folded, stored);
  EXPECT_EQ(stored.stage, "assigned");
  EXPECT_EQ(stored.recommendations.at(0).status, RecommendationStatus::draft);
  EXPECT_EQ(store_->document_content(draft.sha256()).value(), draft.content);
}

TEST_F(CaseStoreTest, DocumentsNeedTheirContentUploaded) {
  const Case opened = open_critique();
  auto refused = store_->execute(opened.number, "lan",
                                 {AttachDocument{"draft", "x.pdf", std::string(64, 'e'), 1, "application/pdf"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("x.pdf"), std::string::npos);
}

TEST_F(CaseStoreTest, ReadsInOneSnapshotSeeTheCaseAsOfTheFirstReadEvenWhileAWriterCommits) {
  const Case opened = open_critique();
  auto reader_db = open_db();
  ASSERT_NE(reader_db, nullptr);
  CaseStore reader(*reader_db, catalog_, clock_);
  {
    const Database::ReadSnapshot snapshot(*reader_db);
    auto first = reader.get(opened.number);
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(store_->execute(opened.number, "lan", {AddComment{"Ghi chú trong lúc đọc"}}).ok());
    auto again = reader.get(opened.number);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->version, first->version);
    EXPECT_EQ(*again, *first);
  }
  EXPECT_EQ(reader.get(opened.number)->version, opened.version + 1);  // the snapshot is over
  // Inside a write the transaction already open is the snapshot: nothing more to begin.
  const Status nested = reader_db->write([&]() -> Status {
    const Database::ReadSnapshot snapshot(*reader_db);
    return reader.get(opened.number) ? Status{Ok{}} : make_error(ErrorCode::internal, "not read");
  });
  EXPECT_TRUE(nested.ok()) << nested.error().message;
}

TEST_F(CaseStoreTest, ASharedReadIsReusedOnlyWhileTheCaseIsUnchanged) {
  const Case opened = open_critique();
  auto reader_db = open_db();
  ASSERT_NE(reader_db, nullptr);
  CaseStore reader(*reader_db, catalog_, clock_);
  const auto read = [&] {
    auto found = reader.read(opened.number);
    EXPECT_TRUE(found.ok()) << found.error().message;
    return found ? *found : nullptr;
  };
  const auto first = read();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(read(), first);  // unchanged: the same reading, not read again
  EXPECT_EQ(*first, *store_->get(opened.number));

  // Changed through another connection: the next read sees the change.
  ASSERT_TRUE(
      store_->execute(opened.number, "lan", {AddComment{"Đã xem"}, SetFields{{{"document_title", "Kế hoạch mới"}}}})
          .ok());
  const auto second = read();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->version, first->version + 2);
  EXPECT_EQ(second->fields.at("document_title"), "Kế hoạch mới");
  EXPECT_EQ(*second, *store_->get(opened.number));

  // A change on the reader's own connection that is rolled back leaves nothing behind in it.
  const Status undone = reader_db->write([&]() -> Status {
    EXPECT_TRUE(reader.execute(opened.number, "lan", {SetFields{{{"document_title", "Không lưu"}}}}).ok());
    EXPECT_EQ(read()->fields.at("document_title"), "Không lưu");  // inside, its own change
    return make_error(ErrorCode::conflict, "undo");
  });
  EXPECT_FALSE(undone.ok());
  // The version the rolled-back change had becomes another change's.
  ASSERT_TRUE(store_->execute(opened.number, "lan", {SetFields{{{"document_title", "Đã lưu"}}}}).ok());
  EXPECT_EQ(read()->fields.at("document_title"), "Đã lưu");
  EXPECT_EQ(read()->version, second->version + 1);
  EXPECT_EQ(reader.read("PB-2026-9999").error().code, ErrorCode::not_found);
}

// A reader's Directory keeps tokens, roles and units it read (a server's readers authenticate
// every request) only until something is committed: by another connection or by its own.
TEST_F(CaseStoreTest, ADirectoryKeepsWhatItReadOnlyUntilTheNextCommitFromAnyConnection) {
  Directory writer(*db_, clock_);
  const std::string lan_token = writer.issue_token("lan").value();
  const std::string chu_tich_token = writer.issue_token("chu-tich").value();
  auto reader_db = open_db();
  ASSERT_NE(reader_db, nullptr);
  Directory reader(*reader_db, clock_);
  const auto holder = [&](const std::string& token) { return reader.authenticate(token); };
  ASSERT_EQ(holder(lan_token).value().user, "lan");
  EXPECT_EQ(holder(lan_token).value().user, "lan");  // kept
  EXPECT_EQ(reader.roles_at("lan", "ninh-binh").value(), (std::vector<std::string>{"department_head", "officer"}));
  EXPECT_EQ(reader.unit("gia-vien").value().parent, "ninh-binh");

  // Another connection revokes the token and gives a role: the reader sees both at once.
  ASSERT_EQ(writer.revoke_tokens("lan").value(), 1);
  EXPECT_EQ(holder(lan_token).error().code, ErrorCode::not_found);
  ASSERT_TRUE(writer.add_user("lan", "Nguyễn Thị Lan", "ninh-binh", {"expert"}).ok());
  EXPECT_EQ(reader.roles_at("lan", "ninh-binh").value(),
            (std::vector<std::string>{"department_head", "expert", "officer"}));

  // The reader's own connection commits (PRAGMA data_version does not move for that).
  EXPECT_FALSE(holder(chu_tich_token).value().admin);
  ASSERT_TRUE(reader.set_admin("chu-tich", true).ok());
  EXPECT_TRUE(holder(chu_tich_token).value().admin);

  // A change of its own rolled back: seen inside, gone after.
  const Status undone = reader_db->write([&]() -> Status {
    EXPECT_TRUE(reader.set_admin("chu-tich", false).ok());
    EXPECT_FALSE(holder(chu_tich_token).value().admin);
    return make_error(ErrorCode::conflict, "undo");
  });
  EXPECT_FALSE(undone.ok());
  EXPECT_TRUE(holder(chu_tich_token).value().admin);

  // Inside one read snapshot the answers do not move once given, kept or not.
  {
    Database::ReadSnapshot snapshot(*reader_db);
    EXPECT_TRUE(holder(chu_tich_token).value().admin);
    ASSERT_TRUE(writer.set_admin("chu-tich", false).ok());
    EXPECT_TRUE(holder(chu_tich_token).value().admin);
    EXPECT_EQ(reader.roles_at("chu-tich", "ninh-binh").value(), std::vector<std::string>{"standing_board"});
  }
  EXPECT_FALSE(holder(chu_tich_token).value().admin);
}

// The writer keeps the roles it read across its transactions (it asks for them on every
// command); a role granted since, from any connection, counts at once, and one granted in a
// transaction that was rolled back never does.
TEST_F(CaseStoreTest, AWriterSeesEveryRoleGrantedSinceItLastAskedAndNoneRolledBack) {
  const std::string number = open_critique().number;
  Directory directory(*db_, clock_);
  ASSERT_TRUE(directory.add_user("hoa", "Trần Thị Hoa", "gia-vien", {"officer"}).ok());
  const auto comment_as_hoa = [&] { return store_->execute(number, "hoa", {AddComment{"Ý kiến của xã"}}); };
  const auto refused_for_want_of_a_role = [&] {
    const auto result = comment_as_hoa();
    return !result.ok() && result.error().code == ErrorCode::role_not_allowed;
  };
  // Asked inside a transaction that commits, so what was read is kept: no role at the province.
  const auto ask_inside_a_write = [&] {
    std::vector<std::string> roles;
    EXPECT_TRUE(db_->write([&]() -> Status {
                     roles = directory.roles_at("hoa", "ninh-binh").value();
                     return Ok{};
                   })
                    .ok());
    return roles;
  };
  EXPECT_TRUE(ask_inside_a_write().empty());
  ASSERT_TRUE(refused_for_want_of_a_role());

  // Granted and then rolled back on the writer's own connection, read in between.
  EXPECT_TRUE(ask_inside_a_write().empty());
  const Status undone = db_->write([&]() -> Status {
    EXPECT_TRUE(directory.add_user("hoa", "Trần Thị Hoa", "ninh-binh", {"officer"}).ok());
    EXPECT_EQ(directory.roles_at("hoa", "ninh-binh").value(), std::vector<std::string>{"officer"});
    return make_error(ErrorCode::conflict, "undo");
  });
  EXPECT_FALSE(undone.ok());
  EXPECT_TRUE(refused_for_want_of_a_role()) << "a role granted in a rolled-back transaction counted";

  // Granted by another connection.
  EXPECT_TRUE(ask_inside_a_write().empty());
  {
    auto other = open_db();
    ASSERT_NE(other, nullptr);
    ASSERT_TRUE(Directory(*other, clock_).add_user("hoa", "Trần Thị Hoa", "ninh-binh", {"officer"}).ok());
  }
  const auto commented = comment_as_hoa();
  EXPECT_TRUE(commented.ok()) << commented.error().message;

  // Granted on the writer's own connection (PRAGMA data_version does not move for that).
  ASSERT_TRUE(directory.add_user("mai", "Vũ Thị Mai", "gia-vien", {"officer"}).ok());
  std::vector<std::string> before;
  ASSERT_TRUE(db_->write([&]() -> Status {
                   before = directory.roles_at("mai", "ninh-binh").value();
                   return Ok{};
                 })
                  .ok());
  EXPECT_TRUE(before.empty());
  ASSERT_TRUE(directory.add_user("mai", "Vũ Thị Mai", "ninh-binh", {"officer"}).ok());
  const auto by_mai = store_->execute(number, "mai", {AddComment{"Ý kiến thứ hai"}});
  EXPECT_TRUE(by_mai.ok()) << by_mai.error().message;
}

// While nothing was committed since it last looked (the WAL index in shared memory shows it),
// a reader answers what it kept without a single statement, not even the read transaction's.
TEST_F(CaseStoreTest, AReaderAsksSQLiteNothingWhileNothingWasCommitted) {
  Directory writer(*db_, clock_);
  const std::string token = writer.issue_token("lan").value();
  auto reader_db = open_db();
  ASSERT_NE(reader_db, nullptr);
  Directory reader(*reader_db, clock_);
  int reads = 0;  // statements other than BEGIN and COMMIT
  sqlite3_trace_v2(
      reader_db->sql().getHandle(), SQLITE_TRACE_STMT,
      [](unsigned, void* count, void*, void* sql) {
        const std::string_view text(static_cast<const char*>(sql));
        if (text != "BEGIN" && text != "COMMIT") ++*static_cast<int*>(count);
        return 0;
      },
      &reads);
  ASSERT_EQ(reader.authenticate(token).value().user, "lan");
  EXPECT_GT(reads, 0);
  reads = 0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(reader.authenticate(token).value().user, "lan");
    Database::ReadSnapshot snapshot(*reader_db);
    EXPECT_EQ(reader.authenticate(token).value().user, "lan");
  }
  EXPECT_EQ(reads, 0);

  ASSERT_EQ(writer.revoke_tokens("lan").value(), 1);  // another connection commits
  EXPECT_EQ(reader.authenticate(token).error().code, ErrorCode::not_found);
  EXPECT_GT(reads, 0);
  reads = 0;
  EXPECT_EQ(reader.authenticate(token).error().code, ErrorCode::not_found);
  EXPECT_GT(reads, 0);  // a refusal is not kept: the token is looked up again
  sqlite3_trace_v2(reader_db->sql().getHandle(), 0, nullptr, nullptr);
}

TEST_F(CaseStoreTest, EventsCannotBeUpdatedOrDeleted) {
  open_critique();
  EXPECT_THROW(db_->sql().exec("UPDATE events SET actor = 'mallory'"), SQLite::Exception);
  EXPECT_THROW(db_->sql().exec("DELETE FROM events"), SQLite::Exception);
  EXPECT_EQ(store_->event_count().value(), 1);
}

TEST_F(CaseStoreTest, VietnameseTextRoundTripsUnchanged) {
  const std::string title = "Giám sát việc bình xét hộ nghèo ở xã Gia Hưng, huyện Gia Viễn – đợt 1";
  const Case opened = open_critique(title);
  const std::string comment =
      "Đề nghị rà soát lại danh sách; ưu tiên người dân tộc thiểu số, người cao tuổi.\nTrân trọng.";
  ASSERT_TRUE(store_->execute(opened.number, "lan", {AddComment{comment}}).ok());
  EXPECT_EQ(store_->get(opened.number)->title, title);
  EXPECT_EQ(std::get<CommentAdded>(store_->history(opened.number)->back().event.payload).text, comment);
}

// Two connections race to change the same case from the same version: one wins.
TEST_F(CaseStoreTest, TwoWritersRacingOnOneCaseOneWinsOneConflicts) {
  const Case opened = open_critique();
  for (int round = 0; round < 10; ++round) {
    const std::int64_t version = store_->get(opened.number)->version;
    std::atomic<int> wins{0}, conflicts{0};
    auto writer = [&](const std::string& text) {
      auto db = open_db();
      CaseStore store(*db, catalog_, clock_);
      auto result = store.execute(opened.number, "lan", {AddComment{text}}, version);
      if (result.ok())
        ++wins;
      else if (result.error().code == ErrorCode::conflict)
        ++conflicts;
      else
        ADD_FAILURE() << result.error().message;
    };
    std::thread first(writer, "một"), second(writer, "hai");
    first.join();
    second.join();
    EXPECT_EQ(wins.load(), 1);
    EXPECT_EQ(conflicts.load(), 1);
  }
}

TEST_F(CaseStoreTest, ConcurrentOpensGetUniqueConsecutiveNumbers) {
  std::vector<std::thread> writers;
  std::mutex lock;
  std::set<std::string> numbers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&] {
      auto db = open_db();
      CaseStore store(*db, catalog_, clock_);
      for (int i = 0; i < 10; ++i) {
        auto opened = store.open(
            "social-critique", "lan",
            OpenCase{"", "Song song", "ninh-binh", {{"submission_date", "2026-06-30"}, {"drafting_body", "Sở"}}});
        ASSERT_TRUE(opened.ok()) << opened.error().message;
        std::lock_guard guard(lock);
        numbers.insert(opened->number);
      }
    });
  }
  for (auto& writer : writers) writer.join();
  ASSERT_EQ(numbers.size(), 40u);
  EXPECT_EQ(*numbers.begin(), "PB-2026-0001");
  EXPECT_EQ(*numbers.rbegin(), "PB-2026-0040");
}

TEST_F(CaseStoreTest, AWriterLockedOutPastTheBusyTimeoutGetsBusyAndWritesNothing) {
  const Case opened = open_critique();
  auto holder = open_db();
  holder->sql().exec("BEGIN IMMEDIATE");
  auto impatient = open_db(100);
  CaseStore store(*impatient, catalog_, clock_);
  auto result = store.execute(opened.number, "lan", {AddComment{"chờ"}});
  holder->sql().exec("ROLLBACK");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::busy);
  EXPECT_EQ(store_->event_count().value(), 1);
}

}  // namespace
}  // namespace docket
