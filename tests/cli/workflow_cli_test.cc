// Runs the real docket binary: workflow check/list/show and demo, as a user would, checking
// exit codes and what is printed on stdout and stderr.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>

namespace {

namespace fs = std::filesystem;

const fs::path kBuiltIn = DOCKET_WORKFLOWS_DIR;

// A tiny valid workflow. stages: [0] open, [1] working, [2] done; transitions: [0] start, [1] finish.
constexpr std::string_view kMini = R"({
  "id": "mini",
  "version": 1,
  "title": {"vi": "Thử nghiệm", "en": "Trial"},
  "case_prefix": "TN",
  "roles": [{"id": "officer", "label": {"vi": "Cán bộ", "en": "Officer"}}],
  "permissions": {"open": ["officer"], "assign": [], "comment": [], "set_fields": [], "attach": [], "recommend": [], "answer": []},
  "stages": [
    {"id": "open", "label": {"vi": "Mở", "en": "Open"}, "initial": true, "deadline": {"anchor": "entered", "offset": 5, "unit": "days", "direction": "after"}},
    {"id": "working", "label": {"vi": "Đang làm", "en": "Working"}, "deadline": {"anchor": "entered", "offset": 9, "unit": "days", "direction": "after"}},
    {"id": "done", "label": {"vi": "Xong", "en": "Done"}, "terminal": true}
  ],
  "transitions": [
    {"id": "start", "label": {"vi": "Bắt đầu", "en": "Start"}, "from": "open", "to": "working", "roles": ["officer"]},
    {"id": "finish", "label": {"vi": "Kết thúc", "en": "Finish"}, "from": "working", "to": "done", "roles": ["officer"]}
  ]
})";

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "'" << from << "' not found";
    return text;
  }
  return text.replace(at, from.size(), to);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

std::string shell_quote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::ostream& operator<<(std::ostream& os, const Outcome& run) {
  return os << "exit " << run.exit_code << "\n--- stdout:\n" << run.out << "--- stderr:\n" << run.err;
}

class DocketCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("docket-cli-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    ASSERT_TRUE(fs::create_directories(dir_));
    ::unsetenv("DOCKET_WORKFLOWS");  // only --workflows or the built-in folder
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Runs `docket` with `args` (each one word), capturing stdout and stderr.
  Outcome docket(std::initializer_list<std::string> args) {
    std::string command = shell_quote(DOCKET_BINARY);
    for (const auto& arg : args) command += " " + shell_quote(arg);
    const fs::path out = dir_ / "stdout.txt";
    const fs::path err = dir_ / "stderr.txt";
    command += " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());
    const int status = std::system(command.c_str());
    Outcome run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = read_file(out);
    run.err = read_file(err);
    return run;
  }

  fs::path write(const std::string& name, std::string_view text) {
    const fs::path path = dir_ / name;
    write_file(path, text);
    return path;
  }

  fs::path dir_;
};

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST_F(DocketCli, CheckPassesTheBuiltInWorkflows) {
  const Outcome run = docket({"workflow", "check", (kBuiltIn / "social-critique.json").string(),
                              (kBuiltIn / "supervision.json").string(), (kBuiltIn / "periodic-report.json").string()});
  EXPECT_EQ(run.exit_code, 0) << run;
  for (const char* name : {"social-critique.json: ok", "supervision.json: ok", "periodic-report.json: ok",
                           "3 file(s) checked: 0 error(s)"}) {
    EXPECT_TRUE(contains(run.out, name)) << name << "\n" << run;
  }
}

TEST_F(DocketCli, CheckReportsATransitionToAnUnknownStage) {
  const fs::path file = write("broken.json", replaced(std::string(kMini), R"("to": "done")", R"("to": "finished")"));
  const Outcome run = docket({"workflow", "check", file.string()});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, file.string() + ": error: $.transitions[1].to: unknown stage \"finished\"")) << run;
  EXPECT_FALSE(contains(run.out, ": ok")) << run;
}

TEST_F(DocketCli, CheckReportsMalformedJsonWithLineAndColumn) {
  // The comma after "version": 1 is missing, so "title" on line 4 is unexpected.
  const fs::path file = write("malformed.json", replaced(std::string(kMini), R"("version": 1,)", R"("version": 1)"));
  const Outcome run = docket({"workflow", "check", file.string()});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, file.string() + ": error: $: malformed JSON at line 4, column 3")) << run;
}

TEST_F(DocketCli, CheckStillReportsTheValidFileNextToABrokenOne) {
  const fs::path good = write("good.json", kMini);
  const fs::path bad = write("bad.json", replaced(std::string(kMini), R"("from": "open")", R"("from": "opn")"));
  const Outcome run = docket({"workflow", "check", good.string(), bad.string()});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.out, good.string() + ": ok (mini v1")) << run;
  EXPECT_FALSE(contains(run.out, bad.string() + ": ok")) << run;
  EXPECT_TRUE(contains(run.err, bad.string() + ": error: $.transitions[0].from: unknown stage \"opn\"")) << run;
  EXPECT_FALSE(contains(run.err, good.string())) << run;
}

TEST_F(DocketCli, CheckPassesAFileWithOnlyAWarning) {
  const std::string no_deadline =
      replaced(std::string(kMini),
               R"("Working"}, "deadline": {"anchor": "entered", "offset": 9, "unit": "days", "direction": "after"}})",
               R"("Working"}})");
  const fs::path file = write("warning.json", no_deadline);
  const Outcome run = docket({"workflow", "check", file.string()});
  EXPECT_EQ(run.exit_code, 0) << run;
  EXPECT_TRUE(contains(run.out + run.err, file.string() + ": warning: $.stages[1]")) << run;
  EXPECT_TRUE(contains(run.out, "0 error(s), 1 warning(s)")) << run;
  EXPECT_TRUE(contains(run.out, file.string() + ": ok")) << run;
}

TEST_F(DocketCli, CheckNamesAFileThatDoesNotExist) {
  const fs::path missing = dir_ / "no-such-file.json";
  const Outcome run = docket({"workflow", "check", missing.string()});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, missing.string() + ": error: $: cannot read the file")) << run;
  EXPECT_TRUE(contains(run.out, "1 error(s)")) << run;
}

TEST_F(DocketCli, ListShowsTheBuiltInWorkflowsWithTheirPrefixes) {
  const Outcome run = docket({"workflow", "list"});
  EXPECT_EQ(run.exit_code, 0) << run;
  const std::map<std::string, std::string> prefixes{
      {"social-critique", "PB"}, {"supervision", "GS"}, {"periodic-report", "BC"}};
  for (const auto& [id, prefix] : prefixes) {
    EXPECT_TRUE(std::regex_search(run.out, std::regex("(^|\n)" + id + " +[0-9]+ +" + prefix + " "))) << id << "\n"
                                                                                                     << run;
  }
}

TEST_F(DocketCli, ShowAsMermaidDrawsAStateDiagram) {
  const Outcome run =
      docket({"--workflows", kBuiltIn.string(), "workflow", "show", "social-critique", "--format", "mermaid"});
  EXPECT_EQ(run.exit_code, 0) << run;
  EXPECT_EQ(run.out.rfind("stateDiagram-v2\n", 0), 0u) << run;
  EXPECT_TRUE(std::regex_search(run.out, std::regex("\n  [a-z_]+ --> [a-z_]+ : [^\n]+\n"))) << run;
  EXPECT_TRUE(contains(run.out, "[*] --> ")) << run;
}

TEST_F(DocketCli, ShowAsDotDrawsADigraph) {
  const Outcome run =
      docket({"--workflows", kBuiltIn.string(), "workflow", "show", "social-critique", "--format", "dot"});
  EXPECT_EQ(run.exit_code, 0) << run;
  EXPECT_EQ(run.out.rfind("digraph", 0), 0u) << run;
  EXPECT_TRUE(std::regex_search(run.out, std::regex("\n  \"[a-z_]+\" -> \"[a-z_]+\" \\[label="))) << run;
}

TEST_F(DocketCli, ShowWithAnUnknownFormatIsAUsageError) {
  const Outcome run =
      docket({"--workflows", kBuiltIn.string(), "workflow", "show", "social-critique", "--format", "bogus"});
  EXPECT_NE(run.exit_code, 0) << run;
  EXPECT_TRUE(contains(run.err, "bogus")) << run;
  EXPECT_TRUE(run.out.empty()) << run;  // no diagram in some fallback format
  // ENGINE BUG (fails today): cli/app.h promises exit code 2 for a usage error, but run()
  // returns CLI11's own code (105 for a failed validator, 106 for a missing argument).
  EXPECT_EQ(run.exit_code, 2) << run;
}

TEST_F(DocketCli, ShowNamesAnUnknownWorkflow) {
  const Outcome run = docket({"--workflows", kBuiltIn.string(), "workflow", "show", "no-such-workflow"});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, "\"no-such-workflow\"")) << run;
  EXPECT_TRUE(run.out.empty()) << run;
}

TEST_F(DocketCli, ShowUsesTheWorkflowsFolderAndPicksVersions) {
  // The built-in file is version 2 (scoped roles and issued recommendations came with it).
  const std::string v2 = read_file(kBuiltIn / "social-critique.json");
  ASSERT_TRUE(contains(v2, "\"version\": 2,"));
  write("social-critique-v3.json", replaced(v2, "\"version\": 2,", "\"version\": 3,"));

  Outcome run = docket({"--workflows", dir_.string(), "workflow", "show", "social-critique"});
  EXPECT_EQ(run.exit_code, 0) << run;
  EXPECT_EQ(run.out.rfind("social-critique v3 ", 0), 0u) << run;
  run = docket({"--workflows", dir_.string(), "workflow", "show", "social-critique", "--version", "2"});
  EXPECT_EQ(run.exit_code, 1) << run;  // only version 3 is in this folder
  EXPECT_TRUE(contains(run.err, "version 2")) << run;

  write("social-critique.json", v2);
  run = docket({"--workflows", dir_.string(), "workflow", "show", "social-critique"});
  EXPECT_EQ(run.exit_code, 0) << run;
  EXPECT_EQ(run.out.rfind("social-critique v3 ", 0), 0u) << run;
  run = docket({"--workflows", dir_.string(), "workflow", "show", "social-critique", "--version", "2"});
  EXPECT_EQ(run.exit_code, 0) << run;
  EXPECT_EQ(run.out.rfind("social-critique v2 ", 0), 0u) << run;
  run = docket({"--workflows", dir_.string(), "workflow", "list"});
  EXPECT_EQ(run.exit_code, 0) << run;
  EXPECT_TRUE(std::regex_search(run.out, std::regex("\nsocial-critique +3 +PB "))) << run;
  EXPECT_FALSE(contains(run.out, "supervision")) << run;
}

TEST_F(DocketCli, DemoEndsEveryCaseInATerminalStage) {
  const Outcome run = docket({"--workflows", kBuiltIn.string(), "demo"});
  EXPECT_EQ(run.exit_code, 0) << run;
  EXPECT_TRUE(run.err.empty()) << run;
  const std::map<std::string, std::string> workflow_of{
      {"PB", "social-critique"}, {"GS", "supervision"}, {"BC", "periodic-report"}};
  const std::regex ended("-> case ([A-Z]+)-[0-9]{4}-[0-9]{4} ended in stage \"([a-z_]+)\"");
  int cases = 0;
  for (auto it = std::sregex_iterator(run.out.begin(), run.out.end(), ended); it != std::sregex_iterator();
       ++it, ++cases) {
    const std::string prefix = (*it)[1];
    const std::string stage = (*it)[2];
    ASSERT_EQ(workflow_of.count(prefix), 1u) << prefix;
    const Outcome shown = docket({"--workflows", kBuiltIn.string(), "workflow", "show", workflow_of.at(prefix)});
    EXPECT_TRUE(contains(shown.out, "\n  " + stage + " [terminal]"))
        << prefix << " ended in non-terminal " << stage << "\n"
        << run;
  }
  EXPECT_EQ(cases, 3) << run;
}

}  // namespace
