// The README's tour, run as written: its code block is taken from README.md, each command line
// run in order by bash in a fresh folder (so `n=$(...)` carries the case number on), and each
// must succeed, but for the one the tour shows refused. Only `d=` is changed (to this build's
// binary); the lines that serve, ask for a password, load completion or run the demo are
// skipped, each named below so that the list cannot go stale unseen.
#include <algorithm>
#include <cstdlib>
#include <regex>

#include "case_fixture.h"

namespace docket::cli_test {
namespace {

constexpr std::string_view kBinaryLine = "d=build/cli/docket";

// Lines left out (a prefix of each): they wait for a terminal, a signal or a browser.
const std::vector<std::string> kSkipped = {
    "source <($d completion bash)",                                       // changes the shell only
    "$d --db x.db user password lan",                                     // asks twice on a terminal
    "$d --db x.db serve",                                                 // serves until stopped
    "$d --db x.db --notifications config/notifications.demo.json serve",  // serves until stopped
    "$d demo",                                                            // prints a walk, slow
};

// The comment that marks a line the tour shows refused.
constexpr std::string_view kRefusedMark = "# refused (exit 1)";

// The command lines of the first ```sh block after "## A short tour", continuations joined.
std::vector<std::string> tour_lines() {
  const std::string readme = read_file(fs::path(DOCKET_SOURCE_DIR) / "README.md");
  const std::size_t tour = readme.find("## A short tour");
  const std::size_t start = readme.find("```sh\n", tour);
  const std::size_t end = readme.find("```\n", start + 6);
  if (tour == std::string::npos || start == std::string::npos || end == std::string::npos) return {};
  std::istringstream block(readme.substr(start + 6, end - start - 6));
  std::vector<std::string> lines;
  std::string pending;
  for (std::string line; std::getline(block, line);) {
    if (line.find_first_not_of(' ') == std::string::npos || line[line.find_first_not_of(' ')] == '#') continue;
    pending += line;
    if (!line.empty() && line.back() == '\\') {
      pending += '\n';
      continue;
    }
    lines.push_back(pending);
    pending.clear();
  }
  return lines;
}

bool skipped(const std::string& line) {
  for (const auto& prefix : kSkipped) {
    if (line.starts_with(prefix)) return true;
  }
  return false;
}

class ReadmeTourCli : public CaseCliFixture {
 protected:
  // Writes the tour as one bash script that records each line's exit code, runs it in dir_ and
  // returns the lines run, in order.
  std::vector<std::string> run_tour() {
    std::vector<std::string> run;
    std::string script = "cd '" + dir_.string() + "' || exit 99\n";
    for (const char* linked : {"workflows", "scripts", "config"})
      fs::create_directory_symlink(fs::path(DOCKET_SOURCE_DIR) / linked, dir_ / linked);
    for (std::string line : tour_lines()) {
      if (skipped(line)) continue;
      if (line.starts_with(kBinaryLine)) line = "d=" + std::string(DOCKET_BINARY) + line.substr(kBinaryLine.size());
      const std::string i = std::to_string(run.size());
      script += "{\n" + line + "\n} >out." + i + " 2>err." + i + "; echo $? >rc." + i + "\n";
      run.push_back(line);
    }
    write("tour.sh", script);
    EXPECT_EQ(std::system(("bash '" + (dir_ / "tour.sh").string() + "'").c_str()), 0);
    return run;
  }
  std::string output(std::size_t i, const char* stream) {
    return read_file(dir_ / (std::string(stream) + "." + std::to_string(i)));
  }
};

TEST_F(ReadmeTourCli, EveryLineOfTheTourWorksOnAFreshDatabase) {
  const std::vector<std::string> lines = tour_lines();
  ASSERT_GT(lines.size(), 20u);
  ASSERT_TRUE(lines.front().starts_with(kBinaryLine)) << lines.front();
  for (const auto& prefix : kSkipped) {
    EXPECT_TRUE(
        std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return line.starts_with(prefix); }))
        << "the tour no longer has a line starting " << prefix << ": update kSkipped";
  }

  const std::vector<std::string> run = run_tour();
  int refusals = 0;
  for (std::size_t i = 0; i < run.size(); ++i) {
    const bool refused = contains(run[i], kRefusedMark);
    refusals += refused ? 1 : 0;
    EXPECT_EQ(read_file(dir_ / ("rc." + std::to_string(i))), refused ? "1\n" : "0\n")
        << run[i] << "\n--- stdout:\n"
        << output(i, "out") << "--- stderr:\n"
        << output(i, "err");
  }
  EXPECT_EQ(refusals, 1);
}

// What the tour says each step shows, it shows.
TEST_F(ReadmeTourCli, TheTourShowsWhatItsCommentsSay) {
  const std::vector<std::string> run = run_tour();
  const auto at = [&](std::string_view part) {
    for (std::size_t i = 0; i < run.size(); ++i) {
      if (contains(run[i], part)) return i;
    }
    ADD_FAILURE() << "no tour line holds " << part;
    return std::size_t{0};
  };
  // The case is due the working day before its submission date, and not yet late.
  const std::string shown = output(at("case show $n"), "out");
  EXPECT_TRUE(std::regex_search(shown, std::regex("\ndue +14/01/2027 \\(on time; late from 15/01/2027 00:00\\)\n")))
      << shown;
  EXPECT_FALSE(contains(shown, "breached")) << shown;
  // The refusal names every missing requirement at once, and the next lines supply them.
  const std::string refused = output(at(kRefusedMark), "err");
  for (const char* missing : {"document_title", "received_date", "draft"})
    EXPECT_TRUE(contains(refused, missing)) << refused;
  EXPECT_TRUE(contains(output(at("case move $n assign --comment"), "out"), "assigned"));
  // The case opened today is in this year's report, and search finds it without diacritics.
  EXPECT_TRUE(contains(read_file(dir_ / "bc.html"), "<svg"));
  const std::string csv = read_file(dir_ / "bc.csv");
  EXPECT_TRUE(csv.starts_with("\xEF\xBB\xBF")) << csv;
  EXPECT_TRUE(contains(csv, "Mở trong kỳ")) << csv;
  EXPECT_TRUE(contains(output(at("search giam ngheo"), "out"), "PB-")) << output(at("search giam ngheo"), "out");
}

}  // namespace
}  // namespace docket::cli_test
