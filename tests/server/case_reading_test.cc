// What a client reads to act without guessing: the moves a case allows the caller now and what
// the others wait for, a workflow's requirements and permissions, the user directory, the
// history in sentences, the spec itself, and If-Match that only a person's change makes stale.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "server/api_spec.h"
#include "server_fixture.h"

namespace docket::server_test {
namespace {

class CaseReadingTest : public ServerTest {
 protected:
  // The entry of /actions/transitions with `id`, or null.
  static const rapidjson::Value* choice(const rapidjson::Document& read, const std::string& id) {
    for (const auto& item : read["actions"]["transitions"].GetArray()) {
      if (item["id"].GetString() == id) return &item;
    }
    return nullptr;
  }
  // {code: message} of a list of problems.
  static std::set<std::string> problems(const rapidjson::Value& list) {
    std::set<std::string> found;
    for (const auto& problem : list.GetArray())
      found.insert(std::string(problem["code"].GetString()) + ": " + problem["message"].GetString());
    return found;
  }
};

TEST_F(CaseReadingTest, ACaseListsEveryUnmetRequirementAsARefusedMoveWould) {
  const std::string number = open_critique();
  const Reply read = get("lan", "/api/v1/cases/" + number);
  ASSERT_EQ(read.status, 200) << read;
  const rapidjson::Document body = read.json();
  const rapidjson::Value* assign = choice(body, "assign");
  ASSERT_NE(assign, nullptr) << read;
  EXPECT_FALSE((*assign)["possible"].GetBool());
  EXPECT_EQ(std::string((*assign)["to"].GetString()), "assigned");
  EXPECT_EQ((*assign)["unmet"].Size(), 3u) << read;  // document_title, received_date, the draft
  const Reply refused = move("lan", number, "assign");
  ASSERT_EQ(refused.status, 422) << refused;
  EXPECT_EQ(problems((*assign)["unmet"]), problems(refused.json()["error"]["details"]["problems"]));
  EXPECT_TRUE(body["actions"]["comment"].GetBool());
  EXPECT_TRUE(body["actions"]["assign"].GetBool());

  // Once met, the move is offered as possible; the drafting body is offered no move at all.
  ASSERT_EQ(
      act("lan", number, "fields", R"({"fields":{"document_title":"Kế hoạch","received_date":"2026-03-02"}})").status,
      200);
  ASSERT_EQ(upload("so-ld", number, "draft", "du-thao.pdf", "%PDF-1.7").status, 200);
  const rapidjson::Document now = get("lan", "/api/v1/cases/" + number).json();
  ASSERT_NE(choice(now, "assign"), nullptr);
  EXPECT_TRUE((*choice(now, "assign"))["possible"].GetBool());
  EXPECT_EQ((*choice(now, "assign"))["unmet"].Size(), 0u);
  const rapidjson::Document outside = get("so-ld", "/api/v1/cases/" + number).json();
  EXPECT_EQ(outside["actions"]["transitions"].Size(), 0u);
  EXPECT_FALSE(outside["actions"]["assign"].GetBool());
  EXPECT_TRUE(outside["actions"]["attach"].GetBool());
}

TEST_F(CaseReadingTest, AWorkflowStatesWhatEachTransitionRequiresAndWhoMayDoWhat) {
  const Reply read = get("gv-can-bo", "/api/v1/workflows/social-critique");
  ASSERT_EQ(read.status, 200) << read;
  const rapidjson::Document workflow = read.json();
  const rapidjson::Value* assign = nullptr;
  for (const auto& transition : workflow["transitions"].GetArray()) {
    if (std::string(transition["id"].GetString()) == "assign") assign = &transition;
  }
  ASSERT_NE(assign, nullptr);
  const auto& requires_ = (*assign)["requires"];
  ASSERT_EQ(requires_["fields"].Size(), 2u);
  EXPECT_EQ(std::string(requires_["fields"][0].GetString()), "document_title");
  EXPECT_EQ(std::string(requires_["documents"][0].GetString()), "draft");
  EXPECT_FALSE(requires_["all_recommendations_answered"].GetBool());
  EXPECT_EQ(std::string(workflow["permissions"]["outside_parties"][0].GetString()), "drafting_body");
  EXPECT_EQ(workflow["permissions"]["assign"].Size(), 2u);
  EXPECT_EQ(std::string(workflow["stages"][0]["deadline"]["unit"].GetString()), "days");
  EXPECT_GT(workflow["roles"].Size(), 0u);
}

TEST_F(CaseReadingTest, EveryOfficerReadsTheDirectoryByUnitAndRoleWithoutSecrets) {
  const Reply everyone = get("hl-can-bo", "/api/v1/users");
  ASSERT_EQ(everyone.status, 200) << everyone;
  EXPECT_EQ(everyone.body.find("token"), std::string::npos);
  EXPECT_EQ(everyone.body.find("password"), std::string::npos);
  EXPECT_EQ(everyone.body.find("email"), std::string::npos);
  const Reply heads = get("hl-can-bo", "/api/v1/users?unit=gia-vien&role=officer");
  ASSERT_EQ(heads.status, 200) << heads;
  ASSERT_EQ(heads.number("/items"), 1);
  EXPECT_EQ(heads.at("/items/0/id"), "gv-can-bo");
  EXPECT_EQ(get("lan", "/api/v1/users?role=drafting_body").number("/items"), 2);  // so-ld, so-tc
  EXPECT_TRUE(is_error(get("lan", "/api/v1/users?units=gia-vien"), 400, "invalid_argument"));
}

TEST_F(CaseReadingTest, HistoryEntriesReadAsSentencesInVietnameseAndEnglish) {
  const std::string number = open_critique();
  ASSERT_EQ(act("lan", number, "assign", R"({"assignee":"lan"})").status, 200);
  const Reply history = get("lan", "/api/v1/cases/" + number + "/history");
  ASSERT_EQ(history.status, 200) << history;
  const rapidjson::Document body = history.json();
  const auto& events = body["events"];
  const rapidjson::Value* assigned = nullptr;
  for (const auto& event : events.GetArray()) {
    if (std::string(event["type"].GetString()) == "case.assigned") assigned = &event;
  }
  ASSERT_NE(assigned, nullptr) << history;
  // The assignee by name, as the case page writes it.
  EXPECT_EQ(std::string((*assigned)["label"]["vi"].GetString()), "Phân công cho Nguyễn Thị Lan") << history;
  EXPECT_EQ(std::string((*assigned)["label"]["en"].GetString()), "Assigned to Nguyễn Thị Lan");
  EXPECT_NE(std::string(events[0]["label"]["en"].GetString()).find("Opened"), std::string::npos)
      << events[0]["label"]["en"].GetString();
}

TEST_F(CaseReadingTest, TheServerServesTheSpecItWasBuiltWith) {
  const Reply spec = get("so-ld", "/api/v1/openapi.json");
  ASSERT_EQ(spec.status, 200) << spec;
  EXPECT_EQ(spec.header("content-type"), "application/json");
  std::ifstream in(std::string(DOCKET_SOURCE_DIR) + "/docs/openapi.json", std::ios::binary);
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(spec.body, file.str());
  EXPECT_EQ(spec.at("/openapi"), "3.0.3");
}

// A case opened with a date already past is breached by the scheduler within moments of its
// opening answer; the ETag of that answer still changes the case, and a person's change does not.
TEST_F(CaseReadingTest, OnlyAPersonsChangeMakesAnETagStale) {
  const Reply opened = post("lan", "/api/v1/cases", R"({"workflow":"social-critique","unit":"ninh-binh",
      "title":"Dự thảo đã quá hạn","fields":{"submission_date":"2026-02-20","drafting_body":"so-ld"}})");
  ASSERT_EQ(opened.status, 201) << opened;
  const std::string number = opened.at("/number");
  const std::string opening_tag = opened.header("etag");
  std::string breached;
  for (int i = 0; i < 200 && breached.empty(); ++i) {
    const auto types = event_types(number);
    if (std::find(types.begin(), types.end(), "deadline.breached") != types.end()) breached = etag("lan", number);
    if (breached.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(breached.empty()) << "the scheduler did not breach the deadline";
  ASSERT_NE(breached, opening_tag) << "the breach is a new version";

  const Reply commented = post("lan", "/api/v1/cases/" + number + "/comments", R"({"text":"Đã nhận."})", opening_tag);
  ASSERT_EQ(commented.status, 200) << commented;
  // Now a person (lan) changed it: the tag from before that change is stale.
  const Reply stale = post("lan", "/api/v1/cases/" + number + "/comments", R"({"text":"Lần nữa."})", opening_tag);
  EXPECT_TRUE(is_error(stale, 412, "stale_version")) << stale;
  EXPECT_TRUE(is_error(post("lan", "/api/v1/cases/" + number + "/comments", R"({"text":"Lần nữa."})", breached), 412,
                       "stale_version"));
}

}  // namespace
}  // namespace docket::server_test
