// One access policy for the API and the CLI: every user of the fixture lists, reads, and finds
// the same cases with `docket --as USER` (the real binary, on the server's own database) as
// over HTTP, and a case the API answers 404 to is refused by the CLI as an unknown case.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <set>
#include <sstream>

#include "server_fixture.h"

extern char** environ;

namespace docket::server_test {
namespace {

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

class CliParityTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    cases_ = {open_critique("gv-can-bo", "gia-vien", "so-ld"),
              open_critique("hl-can-bo", "hoa-lu", "so-ld"),
              open_critique("lan", "ninh-binh", "so-ld"),
              open_critique("lan", "ninh-binh", "so-tc"),
              open_case("lan", "supervision", "ninh-binh", "Giám sát giải ngân vốn đầu tư công",
                        R"({"subject":"Giải ngân vốn đầu tư công","supervised_body":"ubnd"})"),
              open_case("gv-can-bo", "supervision", "gia-vien", "Giám sát giải ngân vốn xây dựng nông thôn mới",
                        R"({"subject":"Giải ngân vốn nông thôn mới","supervised_body":"ubnd"})")};
  }

  // Runs `docket --db DB --as USER --format json ARGS...` and waits for it.
  CliRun cli(const std::string& user, const std::vector<std::string>& args) {
    std::vector<std::string> words{DOCKET_BINARY, "--db", db_path_.string(), "--as", user, "--format", "json"};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    const auto out = folder_ / "cli.out";
    const auto err = folder_ / "cli.err";
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&files, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CliRun run;
    pid_t pid = -1;
    if (::posix_spawn(&pid, DOCKET_BINARY, &files, nullptr, argv.data(), environ) == 0) {
      int status = 0;
      if (::waitpid(pid, &status, 0) == pid && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
    }
    posix_spawn_file_actions_destroy(&files);
    run.out = read_text(out);
    run.err = read_text(err);
    return run;
  }

  static std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // The case numbers in a JSON array of cases, or of items holding one in `case_member`.
  static std::set<std::string> numbers(const rapidjson::Value& items, const char* case_member = nullptr) {
    std::set<std::string> found;
    if (!items.IsArray()) return found;
    for (const auto& item : items.GetArray()) {
      const rapidjson::Value& state = case_member != nullptr ? item[case_member] : item;
      found.insert(state["number"].GetString());
    }
    return found;
  }

  std::set<std::string> listed_over_http(const std::string& user) {
    const Reply reply = get(user, "/api/v1/cases?limit=500");
    EXPECT_EQ(reply.status, 200) << reply;
    const rapidjson::Document body = reply.json();
    EXPECT_TRUE(body["next_cursor"].IsNull());
    return numbers(body["items"]);
  }

  std::set<std::string> from_cli(const std::string& user, const std::vector<std::string>& args,
                                 const char* case_member = nullptr) {
    const CliRun run = cli(user, args);
    EXPECT_EQ(run.exit_code, 0) << user << ": " << run.err;
    rapidjson::Document body;
    body.Parse(run.out.data(), run.out.size());
    EXPECT_FALSE(body.HasParseError()) << run.out;
    return body.HasParseError() ? std::set<std::string>{} : numbers(body, case_member);
  }

  std::set<std::string> found_over_http(const std::string& user, const std::string& query) {
    const Reply reply = get(user, "/api/v1/search?limit=100&q=" + query);
    EXPECT_EQ(reply.status, 200) << reply;
    return numbers(reply.json()["items"], "case");
  }

  const std::vector<std::string> users_ = {"chu-tich",    "lan",       "so-ld",     "so-tc", "ubnd",
                                           "gv-chu-tich", "gv-can-bo", "hl-can-bo", "admin"};
  std::vector<std::string> cases_;
};

TEST_F(CliParityTest, EveryUserListsTheSameCasesWithTheCliAsOverHttp) {
  for (const std::string& user : users_) {
    const std::set<std::string> over_http = listed_over_http(user);
    EXPECT_EQ(from_cli(user, {"case", "list"}), over_http) << user;
  }
  // A drafting body: only the province's critique that names it, no supervision case.
  EXPECT_EQ(listed_over_http("so-ld"), std::set<std::string>{cases_[2]});
}

TEST_F(CliParityTest, ACaseTheApiHidesTheCliRefusesAsUnknown) {
  for (const char* user : {"so-ld", "ubnd", "gv-can-bo", "chu-tich"}) {
    for (const std::string& number : cases_) {
      const int status = get(user, "/api/v1/cases/" + number).status;
      ASSERT_TRUE(status == 200 || status == 404) << status;
      for (const char* command : {"show", "history"}) {
        const CliRun run = cli(user, {"case", command, number});
        EXPECT_EQ(run.exit_code, status == 200 ? 0 : 1) << user << " " << command << " " << number << ": " << run.err;
        if (status == 404) {
          EXPECT_EQ(run.err, "docket: not_found: unknown case \"" + number + "\"\n");
        }
      }
    }
  }
}

TEST_F(CliParityTest, EveryUserFindsTheSameCasesWithTheCliAsOverHttp) {
  for (const std::string& user : users_) {
    // Over HTTP first: a search there brings the index up to date.
    const std::set<std::string> supervisions = found_over_http(user, "giai+ngan");
    EXPECT_EQ(from_cli(user, {"search", "giai", "ngan"}, "case"), supervisions) << user;
    const std::set<std::string> critiques = found_over_http(user, "giam+ngheo");
    EXPECT_EQ(from_cli(user, {"search", "giam", "ngheo"}, "case"), critiques) << user;
  }
}

}  // namespace
}  // namespace docket::server_test
