// `docket search`: ranked full-text search through the real binary, scoped to what the acting
// user may read, in the table, JSON and CSV forms.
#include <rapidjson/document.h>

#include "case_fixture.h"

namespace docket::cli_test {
namespace {

class SearchCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
  }
  // The case numbers `user` finds, best first (from --format json).
  std::vector<std::string> found(const std::string& user, std::vector<std::string> args) {
    args.insert(args.begin(), {"--format", "json", "search"});
    const std::string out = ok(user, args);
    rapidjson::Document hits;
    hits.Parse(out.data(), out.size());
    std::vector<std::string> numbers;
    if (hits.HasParseError() || !hits.IsArray()) {
      ADD_FAILURE() << "not a JSON array: " << out;
      return numbers;
    }
    for (const auto& hit : hits.GetArray()) numbers.emplace_back(hit["case"]["number"].GetString());
    return numbers;
  }
  std::string open_at_gia_hung(const std::string& title) {
    const std::string out = ok("lan", {"case", "open", "social-critique", "--unit", "gia-hung", "--title", title,
                                       "--field", "drafting_body=UBND xã", "--field", "submission_date=2026-12-31"});
    return out.substr(0, out.find('\n'));
  }
  using Numbers = std::vector<std::string>;
};

TEST_F(SearchCli, FindsWithOrWithoutDiacriticsAndShowsTheMatch) {
  // (open_critique sets document_title "Kế hoạch giảm nghèo" on every case.)
  const std::string water = open_critique("Dự thảo Kế hoạch cấp nước sạch nông thôn");
  const std::string dykes = open_critique("Đề án đê điều");
  EXPECT_EQ(found("lan", {"nuoc", "sach"}), Numbers{water});
  EXPECT_EQ(found("lan", {"nước sạch"}), Numbers{water});
  EXPECT_EQ(found("lan", {"de", "dieu"}), Numbers{dykes});
  EXPECT_EQ(found("lan", {"giam", "ngheo"}).size(), 2u);
  const std::string table = ok("lan", {"search", "nuoc", "sach"});
  EXPECT_TRUE(contains(table, "RANK")) << table;
  EXPECT_TRUE(contains(table, "Dự thảo Kế hoạch cấp «nước» «sạch» nông thôn")) << table;
  const std::string csv = ok("lan", {"--format", "csv", "search", "de", "an"});
  EXPECT_TRUE(contains(
      csv, "rank,number,workflow,unit,stage,title,snippet\n1," + dykes + ",social-critique,ninh-binh,received"))
      << csv;
}

TEST_F(SearchCli, ACommandLeavesWhatItChangedIndexed) {
  const std::string water = open_critique("Dự thảo Kế hoạch cấp nước sạch");
  ok("lan", {"case", "comment", water, "Ý kiến của Hội Phụ nữ xã"});
  SQLite::Database db(db_, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM search_pending").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM case_search_content").getInt(), 1);  // FTS5 keeps rows there
  EXPECT_EQ(found("lan", {"hoi", "phu", "nu"}), Numbers{water});
}

TEST_F(SearchCli, TheActingUserSeesOnlyWhatTheyMayRead) {
  const std::string province = open_critique("Kế hoạch nước sạch tỉnh");
  const std::string commune = open_at_gia_hung("Kế hoạch nước sạch xã");
  EXPECT_EQ(found("lan", {"nuoc", "sach"}).size(), 2u);
  EXPECT_EQ(found("minh", {"nuoc", "sach"}), Numbers{province});  // an expert at the province only
  EXPECT_EQ(found("hoa", {"nuoc", "sach"}), Numbers{});           // no social-critique role
  EXPECT_EQ(found("lan", {"nuoc", "sach", "--unit", "gia-hung"}), Numbers{commune});
  {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec("UPDATE users SET is_admin = 1 WHERE id = 'hoa'");
  }
  EXPECT_EQ(found("hoa", {"nuoc", "sach"}).size(), 2u);  // an administrator sees every case
}

TEST_F(SearchCli, ChangesAreFoundAtOnceAndBadQueriesSayWhy) {
  const std::string number = open_critique("Dự thảo Kế hoạch");
  ok("lan", {"case", "comment", number, "Cần lấy ý kiến Hội Cựu chiến binh"});
  EXPECT_EQ(found("lan", {"cuu", "chien", "binh"}), Numbers{number});
  write("y-kien.md", "# Ý kiến\n\nĐề nghị bổ sung **trạm bơm** tiêu úng.");
  ok("lan", {"case", "attach", number, (dir_ / "y-kien.md").string(), "--kind", "other"});
  EXPECT_EQ(found("lan", {"tram", "bom"}), Numbers{number});
  EXPECT_EQ(found("lan", {"tram", "bom", "--open", "--workflow", "supervision"}), Numbers{});

  const Outcome empty = as("lan", {"search", " "});
  EXPECT_EQ(empty.exit_code, 1) << empty;
  EXPECT_TRUE(contains(empty.err, "docket: invalid_argument: the search query is empty")) << empty;
  const Outcome quote = as("lan", {"search", "\""});
  EXPECT_EQ(quote.exit_code, 1) << quote;
  EXPECT_TRUE(contains(quote.err, "no letters or digits")) << quote;
  EXPECT_EQ(found("lan", {"\"tram", "bom"}), Numbers{number});  // an unbalanced quote is only text
  EXPECT_EQ(docket({"search", "x"}).exit_code, 2);              // no --as
  EXPECT_EQ(as("ghost", {"search", "x"}).exit_code, 1);
}

}  // namespace
}  // namespace docket::cli_test
