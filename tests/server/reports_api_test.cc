// GET /api/v1/reports over the seeded dataset (tests/reports/report_dataset.h, hand counts in
// tests/reports/reports_test.cc), scoped by the caller's read rights.
#include <gtest/gtest.h>

#include "report_dataset.h"
#include "server_fixture.h"
#include "store/database.h"

namespace docket::server_test {
namespace {

constexpr const char* kJuly = "/api/v1/reports?period=2026-H1&unit=ninh-binh&rollup=true&as_of=2026-07-15";

class ReportsApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    {
      auto db = Database::open({db_path_, false, 5000, true});
      ASSERT_TRUE(db.ok()) << db.error().message;
      report_testing::ReportDataset dataset(**db, "ninh-binh", "gia-vien");
      dataset.seed_all();
    }
    restart([this](server::ServerOptions&) { clock_.set(report_testing::at("2026-12-01T02:00:00Z")); });
  }
};

TEST_F(ReportsApiTest, RollupAsOfJulyGivesTheHandCountedTotalInEveryFormat) {
  const Reply json = get("chu-tich", kJuly);
  ASSERT_EQ(json.status, 200) << json;
  const rapidjson::Document body = json.json();
  const auto& rows = body["rows"];
  const auto& total = rows[rows.Size() - 1];
  // A + B + C + D: opened 3, closed 2, in progress 2, on time 11, late 2, overdue 1, made 7,
  // answered 4 (accepted 2, partly 1, not 1), unanswered 3, escalated 2, 35 days / 4 = 8.8.
  EXPECT_STREQ(total["scope"].GetString(), "total");
  EXPECT_EQ(total["opened"].GetInt(), 3);
  EXPECT_EQ(total["closed"].GetInt(), 2);
  EXPECT_EQ(total["in_progress"].GetInt(), 2);
  EXPECT_EQ(total["stages_on_time"].GetInt(), 11);
  EXPECT_EQ(total["stages_late"].GetInt(), 2);
  EXPECT_EQ(total["overdue_now"].GetInt(), 1);
  EXPECT_EQ(total["recommendations_made"].GetInt(), 7);
  EXPECT_EQ(total["answered"].GetInt(), 4);
  EXPECT_EQ(total["unanswered"].GetInt(), 3);
  EXPECT_EQ(total["escalated"].GetInt(), 2);
  EXPECT_DOUBLE_EQ(total["average_days_to_answer"].GetDouble(), 8.8);

  const Reply csv = get("chu-tich", std::string(kJuly) + "&format=csv");
  ASSERT_EQ(csv.status, 200) << csv;
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("2026-H1,2026-07-15,ninh-binh,total,*,*,3,2,2,11,2,1,7,4,2,1,1,3,2,0,1,0,8.8\n"),
            std::string::npos)
      << csv;

  const Reply html = get("chu-tich", std::string(kJuly) + "&format=html");
  ASSERT_EQ(html.status, 200) << html;
  EXPECT_EQ(html.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(html.body.find("<svg"), std::string::npos);
  EXPECT_NE(html.body.find("<title>Tiếp thu: 2</title>"), std::string::npos);
}

TEST_F(ReportsApiTest, WithoutAsOfTheFiguresAreTodays) {
  // On 2026-12-01 B's rec 2 is answered (126 days) and C is overdue with rec 2 escalated:
  // answered 5, unanswered 2, overdue 2, escalated 3, 161 days / 5 = 32.2.
  const Reply reply = get("lan", "/api/v1/reports?period=2026-H1&unit=ninh-binh&rollup=true");
  ASSERT_EQ(reply.status, 200) << reply;
  const rapidjson::Document body = reply.json();
  const auto& total = body["rows"][body["rows"].Size() - 1];
  EXPECT_EQ(total["answered"].GetInt(), 5);
  EXPECT_EQ(total["unanswered"].GetInt(), 2);
  EXPECT_EQ(total["overdue_now"].GetInt(), 2);
  EXPECT_EQ(total["escalated"].GetInt(), 3);
  EXPECT_DOUBLE_EQ(total["average_days_to_answer"].GetDouble(), 32.2);
  EXPECT_STREQ(body["as_of"].GetString(), "2026-12-01T02:00:00Z");
}

TEST_F(ReportsApiTest, TheCallerMustBeAbleToReadTheUnit) {
  EXPECT_TRUE(is_error(get("hl-can-bo", "/api/v1/reports?period=2026&unit=ninh-binh"), 403, "role_not_allowed"));
  EXPECT_TRUE(is_error(get("gv-can-bo", "/api/v1/reports?period=2026&unit=ninh-binh"), 403, "role_not_allowed"));
  // gia-vien's own officer sees gia-vien: C and D, opened 2 in 2026-H1.
  const Reply own = get("gv-can-bo", "/api/v1/reports?period=2026-H1&unit=gia-vien&as_of=2026-07-15");
  ASSERT_EQ(own.status, 200) << own;
  const rapidjson::Document body = own.json();
  EXPECT_EQ(body["rows"][body["rows"].Size() - 1]["opened"].GetInt(), 2);
}

TEST_F(ReportsApiTest, WrongQueriesAreRefusedNamingWhatIsWrong) {
  EXPECT_TRUE(is_error(get("chu-tich", "/api/v1/reports?period=2026-H3&unit=ninh-binh"), 400, "invalid_argument"));
  EXPECT_TRUE(is_error(get("chu-tich", "/api/v1/reports?period=2026-06-30..2026-01-01&unit=ninh-binh"), 400,
                       "invalid_argument"));
  EXPECT_TRUE(is_error(get("chu-tich", "/api/v1/reports?unit=ninh-binh"), 400, "invalid_argument"));
  EXPECT_TRUE(is_error(get("chu-tich", "/api/v1/reports?period=2026&unit=ninh-binh&as_of=2027-01-01"), 400,
                       "invalid_argument"));
  EXPECT_TRUE(
      is_error(get("chu-tich", "/api/v1/reports?period=2026&unit=ninh-binh&as_of=soon"), 400, "invalid_argument"));
  EXPECT_TRUE(
      is_error(get("chu-tich", "/api/v1/reports?period=2026&unit=ninh-binh&format=table"), 400, "invalid_argument"));
  EXPECT_TRUE(
      is_error(get("chu-tich", "/api/v1/reports?period=2026&unit=ninh-binh&rolup=true"), 400, "invalid_argument"));
  const Reply unknown = get("chu-tich", "/api/v1/reports?period=2026&unit=ha-noi");
  EXPECT_TRUE(is_error(unknown, 404, "not_found"));
  EXPECT_NE(unknown.at("/error/message").find("\"ha-noi\""), std::string::npos) << unknown;
  EXPECT_NE(get("chu-tich", "/api/v1/reports?period=2026-H3&unit=ninh-binh").at("/error/message").find("\"2026-H3\""),
            std::string::npos);
}

}  // namespace
}  // namespace docket::server_test
