// Organisation units through the real docket binary: import of the post-2025 and the
// pre-2025 trees, all or nothing, and located errors in the import file.
#include "case_fixture.h"

namespace docket::cli_test {
namespace {

// Since 1 July 2025: central, province, commune (no district).
constexpr std::string_view kPost2025 = R"([
  {"id": "vn", "name": "Ủy ban Trung ương MTTQ Việt Nam", "level": "central", "parent": null},
  {"id": "gia-hung", "name": "Ủy ban MTTQ Việt Nam xã Gia Hưng", "level": "commune", "parent": "ninh-binh"},
  {"id": "ninh-binh", "name": "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình", "level": "province", "parent": "vn"}
])";

// Before: central, province, district, commune.
constexpr std::string_view kPre2025 = R"([
  {"id": "vn", "name": "Ủy ban Trung ương MTTQ Việt Nam", "level": "central"},
  {"id": "ninh-binh", "name": "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình", "level": "province", "parent": "vn"},
  {"id": "gia-vien", "name": "Ủy ban MTTQ Việt Nam huyện Gia Viễn", "level": "district", "parent": "ninh-binh"},
  {"id": "gia-hung", "name": "Ủy ban MTTQ Việt Nam xã Gia Hưng", "level": "commune", "parent": "gia-vien"}
])";

class OrgCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    ok("", {"init"});
  }
  Outcome import(std::string_view json) { return docket({"org", "import", write("units.json", json).string()}); }
};

TEST_F(OrgCli, ImportsThePost2025Tree) {
  const Outcome run = import(kPost2025);
  EXPECT_EQ(run.exit_code, 0) << run;
  EXPECT_TRUE(contains(run.out, "imported 3 unit(s)")) << run;
  const std::string listed = ok("", {"--format", "csv", "org", "list"});
  EXPECT_TRUE(contains(listed, "gia-hung,Ủy ban MTTQ Việt Nam xã Gia Hưng,commune,ninh-binh\n")) << listed;
  EXPECT_TRUE(contains(listed, "vn,Ủy ban Trung ương MTTQ Việt Nam,central,\n")) << listed;
  ok("", {"user", "add", "lan", "--name", "Nguyễn Thị Lan", "--unit", "gia-hung", "--role", "officer"});
}

TEST_F(OrgCli, ImportsThePre2025TreeWithDistricts) {
  const Outcome run = import(kPre2025);
  EXPECT_EQ(run.exit_code, 0) << run;
  EXPECT_EQ(counts().at("org_units"), 4);
  const std::string listed = ok("", {"org", "list"});
  EXPECT_TRUE(contains(listed, "gia-vien   Ủy ban MTTQ Việt Nam huyện Gia Viễn  district  ninh-binh\n")) << listed;
}

TEST_F(OrgCli, OneBadRowImportsNothing) {
  const Counts before = counts();
  std::string bad_parent(kPre2025);
  bad_parent.replace(bad_parent.find("\"parent\": \"gia-vien\""), 20, "\"parent\": \"gia-vin\"");
  Outcome run = import(bad_parent);
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, "gia-vin")) << run;
  EXPECT_EQ(counts(), before);

  std::string unknown_key(kPost2025);
  unknown_key.replace(unknown_key.find("\"level\": \"commune\""), 18, "\"level\": \"commune\", \"cap\": 4");
  run = import(unknown_key);
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, "$[1].cap: unknown key \"cap\"")) << run;
  EXPECT_TRUE(contains(run.err, "nothing was imported")) << run;
  EXPECT_EQ(counts(), before);
}

TEST_F(OrgCli, MalformedJsonNamesLineAndColumn) {
  std::string missing_comma(kPost2025);
  missing_comma.replace(missing_comma.find("\"central\","), 10, "\"central\"");
  const Outcome run = import(missing_comma);
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, "malformed JSON at line 2, column ")) << run;
  EXPECT_EQ(counts().at("org_units"), 0);
}

TEST_F(OrgCli, AddingAUnitTwiceIsRefused) {
  ok("", {"org", "add", "vn", "--name", "Ủy ban Trung ương", "--level", "central"});
  const Outcome run = docket({"org", "add", "vn", "--name", "Khác", "--level", "central"});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, "already_exists") && contains(run.err, "vn")) << run;
}

}  // namespace
}  // namespace docket::cli_test
