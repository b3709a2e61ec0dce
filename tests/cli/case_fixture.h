// A fixture for tests that run the real docket binary against a real SQLite file in a fresh
// temporary folder: runs commands (arguments passed as bytes, no shell), reads what they
// printed, and counts what the database holds so a test can assert that a refused command
// changed nothing.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace docket::cli_test {

namespace fs = std::filesystem;

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_file(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::vector<std::string> args;
};

inline std::ostream& operator<<(std::ostream& os, const Outcome& run) {
  os << "docket";
  for (const auto& arg : run.args) os << " [" << arg << "]";
  return os << "\nexit " << run.exit_code << "\n--- stdout:\n" << run.out << "--- stderr:\n" << run.err;
}

// What the database holds: the row count of each table a command may write.
using Counts = std::map<std::string, std::int64_t>;

class CaseCliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "docket-case-cli-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    db_ = dir_ / "var" / "docket.db";
    for (const char* name : {"DOCKET_DB", "DOCKET_USER", "DOCKET_WORKFLOWS", "DOCKET_BUSY_TIMEOUT_MS"})
      ::unsetenv(name);
  }
  void TearDown() override {
    std::error_code ignored;
    if (!HasFailure()) fs::remove_all(dir_, ignored);
  }

  // Runs `docket --db DB --workflows BUILT-IN ARGS...`; each argument is passed as is.
  Outcome docket(std::vector<std::string> args) { return finish(start(std::move(args), "docket")); }
  // The same, acting as `user`.
  Outcome as(const std::string& user, std::vector<std::string> args) {
    args.insert(args.begin(), {"--as", user});
    return docket(std::move(args));
  }
  // Runs the command and fails the test unless it succeeds; returns its stdout.
  std::string ok(const std::string& user, std::vector<std::string> args) {
    const Outcome run = user.empty() ? docket(std::move(args)) : as(user, std::move(args));
    EXPECT_EQ(run.exit_code, 0) << run;
    return run.out;
  }

  Counts counts() {
    SQLite::Database db(db_, SQLite::OPEN_READONLY);
    Counts found;
    for (const char* table :
         {"events", "cases", "documents", "recommendations", "blobs", "org_units", "users", "user_roles"}) {
      found[table] = db.execAndGet(std::string("SELECT COUNT(*) FROM ") + table).getInt64();
    }
    found["sum of case versions"] = db.execAndGet("SELECT COALESCE(SUM(version), 0) FROM cases").getInt64();
    return found;
  }
  std::int64_t event_count() { return counts().at("events"); }

  fs::path write(const std::string& name, std::string_view text) {
    const fs::path path = dir_ / name;
    write_file(path, text);
    return path;
  }

  // A database with the built-in workflows, a province and a commune, and users:
  //   lan  standing_board, department_head, officer at ninh-binh and gia-hung
  //   hoa  delegation_head at gia-hung;  minh  expert at ninh-binh (no role that moves cases)
  //   tu-phap  drafting_body at ninh-binh;  ubnd-xa  supervised_body at gia-hung
  void set_up_directory() {
    ok("", {"init"});
    ok("", {"org", "add", "vn", "--name", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "--level", "central"});
    ok("", {"org", "add", "ninh-binh", "--name", "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình", "--level", "province",
            "--parent", "vn"});
    ok("", {"org", "add", "gia-hung", "--name", "Ủy ban MTTQ Việt Nam xã Gia Hưng", "--level", "commune", "--parent",
            "ninh-binh"});
    for (const char* unit : {"ninh-binh", "gia-hung"}) {
      ok("", {"user", "add", "lan", "--name", "Nguyễn Thị Lan", "--unit", unit, "--role", "standing_board", "--role",
              "department_head", "--role", "officer"});
    }
    ok("", {"user", "add", "hoa", "--name", "Trần Văn Hòa", "--unit", "gia-hung", "--role", "delegation_head"});
    ok("", {"user", "add", "minh", "--name", "Lê Minh", "--unit", "ninh-binh", "--role", "expert"});
    ok("", {"user", "add", "tu-phap", "--name", "Sở Tư pháp", "--unit", "ninh-binh", "--role", "drafting_body"});
    ok("", {"user", "add", "ubnd-xa", "--name", "UBND xã Gia Hưng", "--unit", "gia-hung", "--role", "supervised_body"});
  }

  // Opens a social-critique case at ninh-binh as lan, with every field its first moves need;
  // returns its number.
  std::string open_critique(const std::string& title = "Dự thảo Kế hoạch giảm nghèo bền vững 2026-2030") {
    const std::string out =
        ok("lan", {"case", "open", "social-critique", "--unit", "ninh-binh", "--title", title, "--field",
                   "drafting_body=Sở Lao động - Thương binh và Xã hội", "--field", "submission_date=2026-12-31",
                   "--field", "document_title=Kế hoạch giảm nghèo", "--field", "received_date=2026-03-02", "--field",
                   "issuing_authority=UBND tỉnh Ninh Bình"});
    return out.substr(0, out.find('\n'));
  }

  fs::path dir_;
  fs::path db_;

  // A docket process started by start(), not yet waited for.
  struct Running {
    pid_t pid = -1;
    std::vector<std::string> args;
    fs::path out, err;
  };

  // Starts `docket --db DB --workflows BUILT-IN ARGS...` (without --db when `pass_db` is
  // false, without --workflows when `pass_workflows` is) and does not wait; its output goes to
  // files named after `tag`, its standard input comes from the file `input` when one is named.
  Running start(std::vector<std::string> args, const std::string& tag, bool pass_db = true, bool pass_workflows = true,
                const fs::path& input = {}) {
    if (pass_workflows) args.insert(args.begin(), {"--workflows", DOCKET_WORKFLOWS_DIR});
    if (pass_db) args.insert(args.begin(), {"--db", db_.string()});
    Running running{-1, args, dir_ / (tag + ".out"), dir_ / (tag + ".err")};
    std::vector<std::string> words{DOCKET_BINARY};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (!input.empty()) posix_spawn_file_actions_addopen(&actions, 0, input.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, running.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, running.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (posix_spawn(&running.pid, DOCKET_BINARY, &actions, nullptr, argv.data(), environ) != 0) running.pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    return running;
  }

  Outcome finish(const Running& running) {
    Outcome run;
    run.args = running.args;
    int status = 0;
    if (running.pid > 0 && ::waitpid(running.pid, &status, 0) == running.pid) {
      run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    run.out = read_file(running.out);
    run.err = read_file(running.err);
    return run;
  }
};

}  // namespace docket::cli_test
