// Administration through the real docket binary: a refused init leaves nothing behind, the
// administrative log names who acted and `audit verify` checks it, the org tree changes from a
// day on, roles are taken away, and the demo data's outside bodies are accounts that see their
// cases.
#include <pwd.h>
#include <unistd.h>

#include "case_fixture.h"

namespace docket::cli_test {
namespace {

class AdminCli : public CaseCliFixture {
 protected:
  // Runs docket with exactly `args` (no --db, no --workflows added).
  Outcome bare(std::vector<std::string> args) { return finish(start(std::move(args), "bare", false, false)); }
  std::vector<std::string> admin_log() {
    std::istringstream lines(ok("", {"audit", "export", "--admin"}));
    std::vector<std::string> all;
    for (std::string line; std::getline(lines, line);) all.push_back(line);
    return all;
  }
};

TEST_F(AdminCli, InitWithAMissingWorkflowsFolderLeavesNoDatabaseBehind) {
  const Outcome run = bare({"--db", db_.string(), "--workflows", (dir_ / "no-such-folder").string(), "init"});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, "no-such-folder")) << run;
  EXPECT_TRUE(run.out.empty()) << run;
  EXPECT_FALSE(fs::exists(db_));
  EXPECT_FALSE(fs::exists(db_.parent_path())) << "init created the folder and left it";
}

TEST_F(AdminCli, InitWithABrokenWorkflowFileLeavesNoDatabaseBehind) {
  fs::create_directories(dir_ / "workflows");
  write("workflows/broken.json", "{");
  const Outcome run = bare({"--db", db_.string(), "--workflows", (dir_ / "workflows").string(), "init"});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_FALSE(fs::exists(db_));
  for (const char* suffix : {"-wal", "-shm"}) EXPECT_FALSE(fs::exists(db_.string() + suffix)) << suffix;
}

TEST_F(AdminCli, TheAdministrativeLogNamesTheAsUserOrTheOsAccount) {
  ok("", {"init"});
  ok("", {"org", "add", "ninh-binh", "--name", "Ủy ban MTTQ tỉnh Ninh Bình", "--level", "province"});
  ok("", {"user", "add", "lan", "--name", "Nguyễn Thị Lan", "--unit", "ninh-binh", "--role", "officer"});
  ok("lan", {"user", "token", "lan"});
  const std::vector<std::string> log = admin_log();
  ASSERT_GE(log.size(), 4u);
  const passwd* account = ::getpwuid(::geteuid());
  ASSERT_NE(account, nullptr);
  const std::string os_actor = std::string("\"actor\":\"os:") + account->pw_name + "\"";
  EXPECT_TRUE(contains(log.front(), "\"type\":\"workflow.installed\"") && contains(log.front(), os_actor))
      << log.front();
  EXPECT_TRUE(contains(log.back(), "\"type\":\"token.issued\"") && contains(log.back(), "\"actor\":\"lan\""))
      << log.back();
  EXPECT_EQ(ok("", {"--format", "csv", "audit", "verify"}), "key,value\nevents_verified,0\nadmin_events_verified," +
                                                                std::to_string(log.size()) +
                                                                "\ncases_verified,0\ndocuments_verified,0\n");
}

TEST_F(AdminCli, VerifyNamesAnAdministrativeEventChangedBehindDocketsBack) {
  set_up_directory();
  ok("", {"user", "admin", "minh"});
  {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER admin_events_no_update");
    db.exec("UPDATE admin_events SET actor = 'someone-else' WHERE type = 'admin.granted'");
  }
  const Outcome run = docket({"audit", "verify"});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, "docket: audit_broken: administrative event ")) << run;
  EXPECT_TRUE(contains(run.err, "was changed")) << run;
}

TEST_F(AdminCli, UnitsAreRenamedAndMergedFromADayOnAndKeepTheirHistory) {
  set_up_directory();
  ok("", {"org", "add", "gia-tan", "--name", "Ủy ban MTTQ xã Gia Tân", "--level", "commune", "--parent", "ninh-binh"});
  ok("", {"org", "rename", "gia-hung", "--name", "Ủy ban MTTQ xã Gia Hưng (mới)", "--effective", "2025-07-01"});
  EXPECT_EQ(ok("", {"org", "merge", "gia-hung", "--into", "gia-tan", "--effective", "2025-08-01"}),
            "unit gia-hung merged from 01/08/2025\n");
  EXPECT_EQ(ok("", {"--format", "csv", "org", "history", "gia-hung"}),
            "valid_from,name,parent,status,merged_into\n"
            ",Ủy ban MTTQ Việt Nam xã Gia Hưng,ninh-binh,open,\n"
            "2025-07-01,Ủy ban MTTQ xã Gia Hưng (mới),ninh-binh,open,\n"
            "2025-08-01,Ủy ban MTTQ xã Gia Hưng (mới),ninh-binh,merged,gia-tan\n");
  const Outcome opened = as("lan", {"case", "open", "supervision", "--unit", "gia-hung", "--title", "Giám sát",
                                    "--field", "subject=Hộ nghèo", "--field", "supervised_body=ubnd-xa"});
  EXPECT_EQ(opened.exit_code, 1) << opened;
  EXPECT_TRUE(contains(opened.err, "no case can be opened there")) << opened;
  const Outcome future = docket({"org", "rename", "gia-tan", "--name", "X", "--effective", "2999-01-01"});
  EXPECT_EQ(future.exit_code, 1) << future;
}

TEST_F(AdminCli, UnroleTakesOneRoleAwayAndKeepsTheOthers) {
  set_up_directory();
  const std::string left = ok("", {"--format", "csv", "user", "unrole", "lan", "--unit", "gia-hung", "--role",
                                   "officer", "--role", "department_head"});
  EXPECT_TRUE(
      contains(left, "roles,\"standing_board @ gia-hung; department_head, officer, standing_board @ ninh-binh\""))
      << left;
  const Outcome again = docket({"user", "unrole", "lan", "--unit", "gia-hung", "--role", "officer"});
  EXPECT_EQ(again.exit_code, 1) << again;
  EXPECT_TRUE(contains(again.err, "does not hold role \"officer\" at unit \"gia-hung\"")) << again;
}

TEST_F(AdminCli, DemoDataOutsideBodiesAreAccountsThatSeeTheirCases) {
  std::vector<std::string> words{"/bin/bash", std::string(DOCKET_SOURCE_DIR) + "/scripts/demo-data.sh", DOCKET_BINARY,
                                 db_.string()};
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  pid_t seeding = -1;
  ASSERT_EQ(posix_spawn(&seeding, "/bin/bash", nullptr, nullptr, argv.data(), environ), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(seeding, &status, 0), seeding);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "scripts/demo-data.sh failed";

  const std::string supervision = ok("ubnd-gia-vien", {"--format", "csv", "case", "list"});
  EXPECT_TRUE(contains(supervision, "GS-")) << supervision;
  EXPECT_FALSE(contains(supervision, "PB-")) << supervision;
  const std::string critique = ok("so-ld", {"--format", "csv", "case", "list"});
  EXPECT_TRUE(contains(critique, "PB-")) << critique;
  const std::string users = ok("", {"--format", "csv", "user", "list"});
  EXPECT_TRUE(contains(users, "ubnd-gia-vien,UBND xã Gia Viễn,,supervised_body @ gia-vien")) << users;
}

}  // namespace
}  // namespace docket::cli_test
