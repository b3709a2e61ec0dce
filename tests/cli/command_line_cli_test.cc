// The conventions of the command line itself, through the real docket binary: --version, a
// mistyped or missing command named with the nearest one, `docket help CMD`, and the bash
// completion script run in a real bash.
#include <regex>

#include "case_fixture.h"

namespace docket::cli_test {
namespace {

class CommandLine : public CaseCliFixture {
 protected:
  // Runs docket with exactly `args` (no --db, no --workflows added).
  Outcome bare(std::vector<std::string> args) { return finish(start(std::move(args), "bare", false, false)); }

  // What `script` prints on stdout, run by bash with $1 the docket binary.
  std::string bash(const std::string& script) {
    write_file(dir_ / "script.sh", script);
    const std::string command = "/bin/bash '" + (dir_ / "script.sh").string() + "' '" DOCKET_BINARY "' >'" +
                                (dir_ / "bash.out").string() + "' 2>'" + (dir_ / "bash.err").string() + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << script << "\n" << read_file(dir_ / "bash.err");
    return read_file(dir_ / "bash.out");
  }

  // The words the generated completion offers for the command line `words` (the last one is
  // the word being completed), one a line, sorted.
  std::string completions(const std::string& words) {
    return bash("source <(\"$1\" completion bash) && COMP_WORDS=(" + words +
                ") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && _docket && "
                "{ ((${#COMPREPLY[@]})) && printf '%s\\n' \"${COMPREPLY[@]}\" | sort; true; }");
  }
};

TEST_F(CommandLine, VersionNamesTheProjectVersionAndTheCommitItWasBuiltFrom) {
  const Outcome run = bare({"--version"});
  ASSERT_EQ(run.exit_code, 0) << run;
  std::smatch parts;
  ASSERT_TRUE(std::regex_match(run.out, parts, std::regex(R"(docket ([0-9.]+)(?: \(commit ([0-9a-f]{7,40})\))?\n)")))
      << run;
  EXPECT_EQ(parts[1], DOCKET_VERSION) << "not the version of CMakeLists.txt's project()";
  if (fs::exists(fs::path(DOCKET_SOURCE_DIR) / ".git")) {
    ASSERT_TRUE(parts[2].matched) << "built from a git checkout, but no commit named: " << run;
    const std::string type = bash("git -C '" DOCKET_SOURCE_DIR "' cat-file -t '" + parts[2].str() + "'");
    EXPECT_EQ(type, "commit\n") << parts[2] << " is not a commit of " << DOCKET_SOURCE_DIR;
  }
}

TEST_F(CommandLine, AMistypedCommandNamesTheWordAndTheNearestCommand) {
  const Outcome top = bare({"caes"});
  EXPECT_EQ(top.exit_code, 2) << top;
  EXPECT_EQ(top.err, "docket: usage: unknown command \"caes\"; did you mean \"case\"?\n") << top;
  EXPECT_TRUE(top.out.empty()) << top;

  const Outcome second = docket({"--as", "lan", "case", "opne", "PB-2026-0001"});
  EXPECT_EQ(second.exit_code, 2) << second;
  EXPECT_EQ(second.err, "docket: usage: unknown command \"case opne\"; did you mean \"case open\"?\n") << second;

  const Outcome far = bare({"org", "xyzzy"});
  EXPECT_EQ(far.exit_code, 2) << far;
  EXPECT_EQ(far.err.rfind("docket: usage: unknown command \"org xyzzy\"; the commands of \"docket org\" are ", 0), 0u)
      << far;
  for (const char* command : {" add", " list", " merge"}) EXPECT_TRUE(contains(far.err, command)) << command << far;
}

TEST_F(CommandLine, AGroupWithoutItsCommandListsTheCommands) {
  const Outcome run = bare({"case"});
  EXPECT_EQ(run.exit_code, 2) << run;
  EXPECT_TRUE(std::regex_match(run.err, std::regex("docket: usage: \"docket case\" needs a command: open, .*move.*\n")))
      << run;
}

TEST_F(CommandLine, OtherUsageErrorsKeepTheirOwnMessage) {
  const Outcome option = bare({"workflow", "list", "--bogus"});
  EXPECT_EQ(option.exit_code, 2) << option;
  EXPECT_TRUE(contains(option.err, "--bogus")) << option;
  EXPECT_FALSE(contains(option.err, "unknown command")) << option;
  const Outcome extra = bare({"workflow", "list", "junk"});
  EXPECT_EQ(extra.exit_code, 2) << extra;
  EXPECT_TRUE(contains(extra.err, "junk")) << extra;
  EXPECT_FALSE(contains(extra.err, "unknown command")) << extra;
}

TEST_F(CommandLine, HelpPrintsTheHelpOfTheCommandNamed) {
  const Outcome top = bare({"help"});
  EXPECT_EQ(top.exit_code, 0) << top;
  EXPECT_EQ(top.out, bare({"--help"}).out);
  EXPECT_TRUE(contains(top.out, "Usage: docket [OPTIONS] SUBCOMMAND")) << top;

  const Outcome move = bare({"help", "case", "move"});
  EXPECT_EQ(move.exit_code, 0) << move;
  EXPECT_EQ(move.out, bare({"case", "move", "--help"}).out);
  EXPECT_TRUE(contains(move.out, "Usage: docket case move")) << move;
  EXPECT_TRUE(contains(move.out, "--expect-version")) << move;

  const Outcome wrong = bare({"help", "case", "mvoe"});
  EXPECT_EQ(wrong.exit_code, 2) << wrong;
  EXPECT_EQ(wrong.err, "docket: usage: unknown command \"case mvoe\"; did you mean \"case move\"?\n") << wrong;
}

TEST_F(CommandLine, BashCompletionCompletesCommandsAndOptionsAtEachLevel) {
  EXPECT_EQ(completions("docket cas"), "case\n");
  EXPECT_EQ(completions("docket ca"), "calendar\ncase\n");
  EXPECT_EQ(completions("docket case mo"), "move\n");
  EXPECT_EQ(completions("docket --db x.db --as lan case mo"), "move\n") << "the values of options are skipped";
  EXPECT_EQ(completions("docket help case mo"), "move\n");
  EXPECT_EQ(completions("docket case move --expect-"), "--expect-version\n");
  EXPECT_TRUE(contains(completions("docket case move --"), "--db\n")) << "a global option may follow the command";
  EXPECT_EQ(completions("docket serve --listen ''"), "") << "a value: bash offers file names";
  EXPECT_EQ(completions("docket zz"), "");
}

TEST_F(CommandLine, CompletionOfAnotherShellIsAUsageError) {
  const Outcome run = bare({"completion", "fish"});
  EXPECT_EQ(run.exit_code, 2) << run;
  EXPECT_TRUE(contains(run.err, "fish")) << run;
}

}  // namespace
}  // namespace docket::cli_test
