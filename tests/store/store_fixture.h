// A real SQLite file in a fresh temporary folder, with the built-in workflows installed, an
// org tree (province ninh-binh, commune gia-vien) and users holding the workflows' roles.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>

#include "core/clock.h"
#include "store/case_store.h"
#include "store/database.h"
#include "store/directory.h"
#include "store/workflow_registry.h"

namespace docket::testing {

inline std::filesystem::path fresh_folder(const std::string& name) {
  std::random_device random;
  const auto folder = std::filesystem::temp_directory_path() / ("docket-" + name + "-" + std::to_string(random()));
  std::filesystem::create_directories(folder);
  return folder;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fresh_folder(::testing::UnitTest::GetInstance()->current_test_info()->name());
    db_ = open_db();
    ASSERT_TRUE(WorkflowRegistry(*db_, clock_).install_directory(DOCKET_WORKFLOWS_DIR).ok());
    auto catalog = WorkflowRegistry(*db_, clock_).catalog();
    ASSERT_TRUE(catalog.ok());
    catalog_ = std::move(catalog.value());
    Directory directory(*db_, clock_);
    ASSERT_TRUE(directory.add_unit({"ninh-binh", "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình", "province", ""}).ok());
    ASSERT_TRUE(directory.add_unit({"gia-vien", "Ủy ban MTTQ xã Gia Viễn", "commune", "ninh-binh"}).ok());
    ASSERT_TRUE(directory.add_user("chu-tich", "Phạm Văn Hùng", "ninh-binh", {"standing_board"}).ok());
    ASSERT_TRUE(directory.add_user("lan", "Nguyễn Thị Lan", "ninh-binh", {"officer", "department_head"}).ok());
    ASSERT_TRUE(
        directory.add_user("so-ld", "Sở Lao động – Thương binh và Xã hội", "ninh-binh", {"drafting_body"}).ok());
    store_ = std::make_unique<CaseStore>(*db_, catalog_, clock_);
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(folder_);
  }

  // Opens the test's database, migrating it: tests take the file back to an older schema
  // version and reopen it to see the migration run (the CLI and server refuse that by default).
  std::unique_ptr<Database> open_db(int busy_timeout_ms = 5000) {
    auto db = Database::open({folder_ / "docket.db", true, busy_timeout_ms, true, OlderSchema::migrate});
    if (!db) ADD_FAILURE() << db.error().message;
    return db ? std::move(db.value()) : nullptr;
  }

  // Opens a social-critique case as the officer; fails the test when refused.
  Case open_critique(const std::string& title = "Dự thảo Kế hoạch giảm nghèo bền vững 2026-2030") {
    auto opened = store_->open(
        "social-critique", "lan",
        OpenCase{"", title, "ninh-binh", {{"submission_date", "2026-06-30"}, {"drafting_body", "Sở LĐ-TB&XH"}}});
    if (!opened) ADD_FAILURE() << opened.error().message;
    return opened ? opened.value() : Case{};
  }

  // Moves a critique opened by open_critique() on to "awaiting_answer": its draft recommendations
  // are issued (the drafting body may answer them only then). Fails the test when refused.
  void issue_critique(const std::string& number) {
    const auto run = [&](const std::string& user, std::vector<Command> commands, std::vector<Upload> uploads = {}) {
      auto changed = store_->execute(number, user, commands, std::nullopt, uploads);
      if (!changed) ADD_FAILURE() << changed.error().message;
    };
    const auto attach = [&](const std::string& kind) {
      Upload file{kind + ".pdf", "application/pdf", "%PDF-1.4 " + kind};
      run("lan",
          {AttachDocument{kind, file.file_name, file.sha256(), static_cast<std::int64_t>(file.content.size()),
                          file.media_type}},
          {file});
    };
    attach("draft");
    run("lan", {SetFields{{{"document_title", "Kế hoạch giảm nghèo"},
                           {"received_date", "2026-03-02"},
                           {"issuing_authority", "UBND tỉnh Ninh Bình"}}}});
    run("chu-tich",
        {MoveCase{"assign", {}, ""}, MoveCase{"choose_form", {{"critique_form", "written_consultation"}}, ""}});
    run("lan", {MoveCase{"send_for_opinions", {}, ""}});
    attach("critique");
    run("lan", {MoveCase{"submit_critique_draft", {}, ""}});
    run("chu-tich", {MoveCase{"approve", {}, ""}, MoveCase{"issue", {}, ""}});
  }

  std::filesystem::path folder_;
  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} + std::chrono::hours{2}};
  std::unique_ptr<Database> db_;
  WorkflowCatalog catalog_;
  std::unique_ptr<CaseStore> store_;
};

}  // namespace docket::testing
