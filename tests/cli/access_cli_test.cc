// `case list`, `case show` and `case history` with --as: the acting user sees the cases the
// access policy lets them read, as the API shows them; a case they may not read is refused as
// an unknown one (the API's 404), with the exit code of any refusal.
#include <rapidjson/document.h>

#include <set>

#include "case_fixture.h"

namespace docket::cli_test {
namespace {

class AccessCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
    for_other_body_ = open_critique("Dự thảo của Sở Lao động");
    for_tu_phap_ = first_line(
        ok("lan", {"case", "open", "social-critique", "--unit", "ninh-binh", "--title", "Dự thảo của Sở Tư pháp",
                   "--field", "drafting_body=tu-phap", "--field", "submission_date=2026-12-31"}));
    commune_supervision_ =
        first_line(ok("lan", {"case", "open", "supervision", "--unit", "gia-hung", "--title",
                              "Giám sát bình xét hộ nghèo", "--field", "subject=Bình xét hộ nghèo", "--field",
                              "supervised_body=ubnd-xa", "--field", "supervision_form=delegation"}));
  }

  static std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

  // The numbers `user` lists with `case list ARGS...`.
  std::set<std::string> listed(const std::string& user, std::vector<std::string> args = {}) {
    args.insert(args.begin(), {"--format", "json", "case", "list"});
    const std::string out = ok(user, args);
    rapidjson::Document cases;
    cases.Parse(out.data(), out.size());
    std::set<std::string> numbers;
    if (cases.HasParseError() || !cases.IsArray()) {
      ADD_FAILURE() << "not a JSON array: " << out;
      return numbers;
    }
    for (const auto& item : cases.GetArray()) numbers.insert(item["number"].GetString());
    return numbers;
  }

  std::string for_other_body_, for_tu_phap_, commune_supervision_;
};

TEST_F(AccessCli, ADraftingBodyListsOnlyTheCasesThatNameIt) {
  EXPECT_EQ(listed("tu-phap"), std::set<std::string>{for_tu_phap_});
  EXPECT_EQ(listed("tu-phap", {"--workflow", "supervision"}), std::set<std::string>{});
  // The case it may not read before its own does not take its place in a short list.
  EXPECT_EQ(listed("tu-phap", {"--limit", "1"}), std::set<std::string>{for_tu_phap_});
  EXPECT_EQ(listed("ubnd-xa"), std::set<std::string>{commune_supervision_});
  EXPECT_EQ(listed("lan"), (std::set<std::string>{for_other_body_, for_tu_phap_, commune_supervision_}));
  EXPECT_EQ(listed("lan", {"--limit", "2"}).size(), 2u);
}

TEST_F(AccessCli, ACaseTheUserMayNotReadIsRefusedAsAnUnknownOne) {
  const Outcome missing = as("tu-phap", {"case", "show", "GS-2026-0099"});
  EXPECT_EQ(missing.exit_code, 1) << missing;
  EXPECT_EQ(missing.err, "docket: not_found: unknown case \"GS-2026-0099\"\n") << missing;
  for (const char* command : {"show", "history"}) {
    for (const std::string& number : {commune_supervision_, for_other_body_}) {
      const Outcome refused = as("tu-phap", {"case", command, number});
      EXPECT_EQ(refused.exit_code, 1) << refused;
      EXPECT_EQ(refused.err, "docket: not_found: unknown case \"" + number + "\"\n") << refused;
      EXPECT_EQ(refused.out, "") << refused;
    }
  }
  EXPECT_TRUE(contains(ok("tu-phap", {"case", "show", for_tu_phap_}), "Dự thảo của Sở Tư pháp"));
  EXPECT_TRUE(contains(ok("tu-phap", {"case", "history", for_tu_phap_}), "case.opened"));
}

TEST_F(AccessCli, AnAdministratorReadsEveryCase) {
  ok("", {"user", "admin", "tu-phap"});
  EXPECT_EQ(listed("tu-phap"), (std::set<std::string>{for_other_body_, for_tu_phap_, commune_supervision_}));
  EXPECT_TRUE(contains(ok("tu-phap", {"case", "show", commune_supervision_}), "Giám sát bình xét hộ nghèo"));
}

TEST_F(AccessCli, AnUnknownActingUserIsRefused) {
  const Outcome run = as("nobody", {"case", "list"});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, "not_found") && contains(run.err, "nobody")) << run;
}

}  // namespace
}  // namespace docket::cli_test
