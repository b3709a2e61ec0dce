// What the API tells a client about dates it should look at again: a provisional due date in a
// year without a working-day calendar, and a session date already past when it is set.
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace docket::server_test {
namespace {

class DeadlineApiTest : public ServerTest {};

TEST_F(DeadlineApiTest, AProvisionalDueDateIsFlaggedInTheCase) {
  const Reply opened = post("lan", "/api/v1/cases", R"({"workflow":"social-critique","unit":"ninh-binh",
      "title":"Dự thảo","fields":{"submission_date":"2099-06-30","drafting_body":"so-ld"}})");
  ASSERT_EQ(opened.status, 201) << opened;
  EXPECT_EQ(opened.number("/deadline/provisional"), 1) << opened;
  EXPECT_NE(opened.at("/deadline/warning").find("no working-day calendar for 2099"), std::string::npos) << opened;
  const std::string number = opened.at("/number");
  const Reply final_date = post("lan", "/api/v1/cases", R"({"workflow":"social-critique","unit":"ninh-binh",
      "title":"Dự thảo","fields":{"submission_date":"2026-06-30","drafting_body":"so-ld"}})");
  EXPECT_EQ(final_date.number("/deadline/provisional"), 0) << final_date;
  EXPECT_EQ(final_date.at("/deadline/warning"), "");
  EXPECT_EQ(get("lan", "/api/v1/cases/" + number).number("/deadline/provisional"), 1);
}

TEST_F(DeadlineApiTest, ASessionDateAlreadyPastIsSetAndAnsweredWithAWarning) {
  const std::string number = open_case("lan", "supervision", "ninh-binh", "Giám sát bình xét hộ nghèo",
                                       R"({"subject":"Bình xét hộ nghèo","supervised_body":"ubnd"})");
  const Reply past = act("lan", number, "fields", R"({"fields":{"session_date":"2026-02-20"}})");
  ASSERT_EQ(past.status, 200) << past;
  EXPECT_EQ(past.at("/fields/session_date"), "2026-02-20") << "the value is kept";
  ASSERT_EQ(past.number("/warnings"), 1) << past;
  EXPECT_NE(past.at("/warnings/0").find("session_date is 2026-02-20, already past (today is 2026-03-02)"),
            std::string::npos)
      << past;
  const Reply future = act("lan", number, "fields", R"({"fields":{"session_date":"2026-04-20"}})");
  ASSERT_EQ(future.status, 200) << future;
  EXPECT_EQ(future.number("/warnings"), -1) << "no warnings member when there is nothing to say";
}

}  // namespace
}  // namespace docket::server_test
