// Whole cases through the real docket binary: a social critique and a supervision from open
// to closed, then what `case show` and `case history` say about them, in text and JSON.
#include <rapidjson/document.h>

#include <algorithm>
#include <regex>

#include "case_fixture.h"

namespace docket::cli_test {
namespace {

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  EXPECT_FALSE(document.HasParseError()) << "not JSON: " << text;
  return document;
}

std::string string_at(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject() || !object.HasMember(key) || !object[key].IsString()) {
    ADD_FAILURE() << "no string member " << key;
    return {};
  }
  return std::string(object[key].GetString(), object[key].GetStringLength());
}

// One step expected in the history: who did it and what ("stage.changed" lines also name the
// transition).
struct Step {
  std::string actor;
  std::string type;
  std::string detail_start;
};

// Each step appears in `case history` as its own line, in order, with time and actor.
void expect_history(const std::string& history, const std::vector<Step>& steps) {
  std::istringstream lines(history);
  std::string line;
  std::getline(lines, line);  // the header
  EXPECT_TRUE(contains(line, "SEQ") && contains(line, "ACTOR")) << history;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    // The deadlines plugin records each stage's due date; the steps here are the people's.
    do {
      ASSERT_TRUE(std::getline(lines, line)) << "history ends before step " << i + 1 << "\n" << history;
    } while (contains(line, "  system ") && contains(line, " deadline."));
    const std::regex shape(" *[0-9]+  [0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}  " + steps[i].actor + " +" +
                           steps[i].type + " +[0-9a-f]{64}  " + steps[i].detail_start);
    EXPECT_TRUE(std::regex_search(line, shape))
        << "step " << i + 1 << " (" << steps[i].type << " by " << steps[i].actor << ")\n got: " << line;
  }
  while (std::getline(lines, line)) {
    EXPECT_TRUE(contains(line, "  system ") && contains(line, " deadline.")) << "more history than expected: " << line;
  }
}

class CaseCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
    write("draft.pdf", "%PDF-1.4 dự thảo");
    write("critique.docx", "văn bản phản biện");
    write("reply.pdf", "%PDF-1.4 văn bản trả lời");
  }
  std::string file(const char* name) { return (dir_ / name).string(); }
};

TEST_F(CaseCli, SocialCritiqueRunsFromOpenToClosed) {
  const std::string number = open_critique();
  EXPECT_TRUE(std::regex_match(number, std::regex("PB-[0-9]{4}-0001"))) << number;
  ok("lan", {"case", "assign", number, "lan"});
  ok("lan", {"case", "attach", number, file("draft.pdf"), "--kind", "draft"});
  ok("lan", {"case", "move", number, "assign", "--comment", "Giao Ban Dân chủ - Pháp luật chủ trì"});
  ok("lan", {"case", "move", number, "choose_form", "--field", "critique_form=conference"});
  ok("lan", {"case", "move", number, "hold_meeting", "--field", "event_time=2026-04-10T08:00"});
  ok("lan", {"case", "attach", number, file("critique.docx"), "--kind", "critique"});
  ok("lan", {"case", "move", number, "submit_critique_draft"});
  ok("lan", {"case", "move", number, "approve"});
  // Addressed to the drafting body's account (a party: it answers itself) and to a body without
  // one (an officer records its answer).
  ok("lan", {"case", "recommend", number, "--to", "tu-phap", "Đề nghị rà soát hộ nghèo ở xã Gia Hưng"});
  ok("lan",
     {"case", "recommend", number, "--to", "UBND tỉnh Ninh Bình", "Công khai danh sách hộ nghèo tại nhà văn hóa thôn"});
  ok("lan", {"case", "move", number, "issue"});
  ok("tu-phap", {"case", "answer", number, "1", "--status", "accepted", "--file", file("reply.pdf")});
  ok("lan", {"case", "answer", number, "2", "--status", "not_accepted", "--text", "Danh sách đã niêm yết tại UBND xã"});
  ok("lan", {"case", "move", number, "record_answer"});
  const std::string closed = ok("lan", {"case", "move", number, "close"});
  EXPECT_TRUE(std::regex_search(closed, std::regex("stage +closed\n"))) << closed;

  expect_history(ok("lan", {"case", "history", number}),
                 {{"lan", "case.opened", "opened " + number},
                  {"lan", "case.assigned", "assigned to lan"},
                  {"lan", "document.attached", "draft v1: draft.pdf"},
                  {"lan", "stage.changed", "assign: received -> assigned"},
                  {"lan", "comment.added", "Giao Ban Dân chủ - Pháp luật chủ trì"},
                  {"lan", "stage.changed", "choose_form: assigned -> form_chosen"},
                  {"lan", "stage.changed", "hold_meeting: form_chosen -> in_progress"},
                  {"lan", "document.attached", "critique v1: critique.docx"},
                  {"lan", "stage.changed", "submit_critique_draft: in_progress -> drafted"},
                  {"lan", "stage.changed", "approve: drafted -> approved"},
                  {"lan", "recommendation.added", "#1 \\(draft\\) to tu-phap"},
                  {"lan", "recommendation.added", "#2 \\(draft\\) to UBND tỉnh Ninh Bình"},
                  {"lan", "stage.changed", "issue: approved -> awaiting_answer"},
                  {"lan", "recommendations.issued", "#1, #2 issued"},
                  {"tu-phap", "document.attached", "reply v1: reply.pdf"},
                  {"tu-phap", "recommendation.answered", "#1 accepted"},
                  {"lan", "recommendation.answered",
                   "#2 not_accepted \\(recorded for UBND tỉnh Ninh Bình\\): Danh sách đã niêm yết tại UBND xã"},
                  {"lan", "stage.changed", "record_answer: awaiting_answer -> answered"},
                  {"lan", "stage.changed", "close: answered -> closed"}});

  const std::string shown = ok("lan", {"case", "show", number});
  for (const char* part : {"stage             closed", "Đã kết thúc / Closed", "TIMELINE", "reply.pdf", "not_accepted",
                           "Danh sách đã niêm yết tại UBND xã", "tu-phap  recommendation.answered"}) {
    EXPECT_TRUE(contains(shown, part)) << part << "\n" << shown;
  }
  const std::string listed = ok("lan", {"case", "list", "--stage", "closed"});
  EXPECT_TRUE(contains(listed, number)) << listed;
  EXPECT_FALSE(contains(ok("lan", {"case", "list", "--open"}), number));
  EXPECT_TRUE(contains(ok("", {"audit", "verify"}), std::to_string(event_count()) + " events verified"));
}

// The deadlines plugin keeps one pending timer per case that carries the stage's later moments;
// `deadline explain` lists every one of them, in due order.
TEST_F(CaseCli, DeadlineExplainListsEveryMomentStillToCome) {
  const std::string opened =
      ok("lan", {"case", "open", "social-critique", "--unit", "ninh-binh", "--title", "Dự thảo", "--field",
                 "drafting_body=Sở Tư pháp", "--field", "submission_date=2099-06-30"});
  const std::string number = opened.substr(0, opened.find('\n'));
  const std::string explained = ok("", {"--utc", "deadline", "explain", number});
  std::vector<std::string> kinds, times;
  const std::regex pending("  pending ([a-z]+) at ([0-9T:Z-]+)\n");
  for (auto line = std::sregex_iterator(explained.begin(), explained.end(), pending); line != std::sregex_iterator();
       ++line) {
    kinds.push_back((*line)[1]);
    times.push_back((*line)[2]);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"reminder", "reminder", "reminder", "breach", "escalation"})) << explained;
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end())) << explained;
  EXPECT_TRUE(contains(explained, "pending breach at 2099-06-2")) << explained;  // the working day before the 30th

  // The same reasoning for scripts: dates YYYY-MM-DD, times UTC ISO, whatever --utc says.
  const rapidjson::Document json = parse_json(ok("", {"--format", "json", "deadline", "explain", number}));
  ASSERT_TRUE(json.IsObject()) << explained;
  EXPECT_EQ(string_at(json, "number"), number);
  const auto& deadline = json["deadline"];
  EXPECT_EQ(string_at(deadline["anchor"], "from"), "submission_date");
  EXPECT_EQ(string_at(deadline["anchor"], "date"), "2099-06-30");
  EXPECT_EQ(string_at(deadline["offset"], "direction"), "before");
  EXPECT_TRUE(std::regex_match(string_at(deadline, "due"), std::regex("2099-06-2[0-9]")));
  EXPECT_TRUE(std::regex_match(string_at(deadline, "due_at"), std::regex("2099-06-2[0-9]T17:00:00Z")));
  std::vector<std::string> json_kinds, json_times;
  for (const auto& timer : json["pending"].GetArray()) {
    json_kinds.push_back(string_at(timer, "kind"));
    json_times.push_back(string_at(timer, "at"));
  }
  EXPECT_EQ(json_kinds, kinds);
  EXPECT_EQ(json_times, times);
  // People read the same moments in Vietnam time: the breach at midnight starting the next day.
  EXPECT_TRUE(std::regex_search(ok("", {"deadline", "explain", number}),
                                std::regex("  pending breach at [0-9]{2}/06/2099 00:00\n")));
}

TEST_F(CaseCli, ShowAsJsonHasTheStageRecommendationsAndReply) {
  const std::string number = open_critique();
  ok("lan", {"case", "attach", number, file("draft.pdf"), "--kind", "draft"});
  ok("lan", {"case", "move", number, "assign"});
  ok("lan", {"case", "recommend", number, "--to", "tu-phap", "Bổ sung tiêu chí hộ nghèo đa chiều"});
  ok("lan", {"case", "recommend", number, "--to", "UBND tỉnh", "Công khai danh sách"});
  ok("lan", {"case", "recommend", number, "--to", "UBND tỉnh", "Bố trí kinh phí"});
  // Recommendations are answered once the critique is issued (issue #23 item 3).
  ok("lan", {"case", "move", number, "choose_form", "--field", "critique_form=written_consultation"});
  ok("lan", {"case", "move", number, "send_for_opinions"});
  ok("lan", {"case", "attach", number, file("critique.docx"), "--kind", "critique"});
  ok("lan", {"case", "move", number, "submit_critique_draft"});
  ok("lan", {"case", "move", number, "approve"});
  ok("lan", {"case", "move", number, "issue"});
  ok("tu-phap", {"case", "answer", number, "1", "--status", "partly_accepted", "--file", file("reply.pdf"), "--text",
                 "Tiếp thu một phần"});
  ok("lan", {"case", "answer", number, "2", "--status", "not_accepted", "--text", "Không phù hợp quy định"});

  // The API's case object (server/api_types.h write_case), as GET /api/v1/cases/{number} gives it.
  const rapidjson::Document shown = parse_json(ok("lan", {"--format", "json", "case", "show", number}));
  ASSERT_TRUE(shown.IsObject());
  EXPECT_EQ(string_at(shown, "number"), number);
  EXPECT_EQ(string_at(shown, "stage"), "awaiting_answer");
  EXPECT_EQ(string_at(shown["stage_label"], "vi"), "Đã gửi văn bản phản biện, chờ trả lời");
  EXPECT_EQ(string_at(shown["stage_label"], "en"), "Critique issued, awaiting the written answer");
  EXPECT_FALSE(shown["closed"].GetBool());
  const auto& recommendations = shown["recommendations"];
  ASSERT_TRUE(recommendations.IsArray());
  ASSERT_EQ(recommendations.Size(), 3u);
  EXPECT_EQ(string_at(recommendations[0], "status"), "partly_accepted");
  EXPECT_EQ(string_at(recommendations[1], "status"), "not_accepted");
  EXPECT_EQ(string_at(recommendations[1], "answer_text"), "Không phù hợp quy định");
  EXPECT_EQ(string_at(recommendations[0], "addressee"), "tu-phap");
  EXPECT_EQ(string_at(recommendations[2], "status"), "sent");
  // The reply is attached as kind "reply" and the answer points at its content.
  std::string reply_sha;
  for (const auto& document : shown["documents"].GetArray()) {
    if (string_at(document, "kind") == "reply") reply_sha = string_at(document, "sha256");
  }
  EXPECT_EQ(reply_sha.size(), 64u);
  EXPECT_EQ(shown["version"].GetInt64(), event_count());
  const rapidjson::Document history = parse_json(ok("lan", {"--format", "json", "case", "history", number}));
  ASSERT_EQ(history.Size(), static_cast<rapidjson::SizeType>(event_count()));
  std::string answered_with;
  for (const auto& event : history.GetArray()) {
    EXPECT_FALSE(string_at(event, "actor").empty());
    EXPECT_TRUE(std::regex_match(string_at(event, "at"), std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z")));
    if (string_at(event, "type") == "recommendation.answered" && event["payload"].HasMember("reply_document") &&
        !string_at(event["payload"], "reply_document").empty())
      answered_with = string_at(event["payload"], "reply_document");
  }
  EXPECT_EQ(answered_with, reply_sha);
}

TEST_F(CaseCli, SupervisionByDelegationRunsFromOpenToClosed) {
  for (const char* name : {"ke-hoach.pdf", "quyet-dinh.pdf", "cong-van.pdf", "bao-cao.pdf", "bien-ban.pdf",
                           "ket-qua.pdf", "kien-nghi.pdf", "tra-loi.pdf"}) {
    write(name, std::string("nội dung ") + name);
  }
  const std::string out =
      ok("lan", {"case", "open", "supervision", "--unit", "gia-hung", "--title",
                 "Giám sát việc bình xét hộ nghèo năm 2026 ở xã Gia Hưng", "--field",
                 "subject=Bình xét hộ nghèo, hộ cận nghèo", "--field", "supervised_body=UBND xã Gia Hưng", "--field",
                 "supervision_form=delegation", "--field", "competent_authority=UBND tỉnh Ninh Bình"});
  const std::string number = out.substr(0, out.find('\n'));
  EXPECT_TRUE(std::regex_match(number, std::regex("GS-[0-9]{4}-0001"))) << number;
  ok("lan", {"case", "assign", number, "hoa"});
  ok("lan", {"case", "move", number, "start_delegation", "--field", "session_date=2026-05-20"});
  ok("lan", {"case", "attach", number, file("ke-hoach.pdf"), "--kind", "plan"});
  ok("lan", {"case", "attach", number, file("quyet-dinh.pdf"), "--kind", "decision"});
  ok("lan", {"case", "move", number, "establish_delegation"});
  ok("hoa", {"case", "attach", number, file("cong-van.pdf"), "--kind", "report_request"});
  ok("hoa", {"case", "move", number, "notify_supervised_body"});
  ok("ubnd-xa", {"case", "attach", number, file("bao-cao.pdf"), "--kind", "report"});
  ok("ubnd-xa", {"case", "move", number, "receive_body_report"});
  ok("hoa", {"case", "attach", number, file("bien-ban.pdf"), "--kind", "minutes"});
  ok("hoa", {"case", "move", number, "hold_session", "--comment", "Đoàn làm việc tại UBND xã ngày 20/5"});
  ok("hoa", {"case", "attach", number, file("ket-qua.pdf"), "--kind", "results_report"});
  ok("hoa", {"case", "move", number, "submit_results_report"});
  // Addressed to the supervised body's account, which answers them itself (issue #23 item 3).
  ok("hoa", {"case", "recommend", number, "--to", "ubnd-xa", "Rà soát lại 12 hộ không đủ điều kiện"});
  ok("hoa", {"case", "recommend", number, "--to", "ubnd-xa", "Niêm yết công khai kết quả bình xét"});
  ok("lan", {"case", "attach", number, file("kien-nghi.pdf"), "--kind", "recommendation_letter"});
  ok("lan", {"case", "move", number, "issue_recommendations"});
  ok("ubnd-xa", {"case", "answer", number, "1", "--status", "accepted", "--file", file("tra-loi.pdf")});
  ok("ubnd-xa",
     {"case", "answer", number, "2", "--status", "not_accepted", "--text", "Đã niêm yết tại nhà văn hóa thôn"});
  ok("lan", {"case", "move", number, "close"});

  const rapidjson::Document shown = parse_json(ok("lan", {"--format", "json", "case", "show", number}));
  EXPECT_EQ(string_at(shown, "stage"), "closed");
  EXPECT_TRUE(shown["closed"].GetBool());
  EXPECT_EQ(string_at(shown, "assignee"), "hoa");
  EXPECT_EQ(string_at(shown["recommendations"][0], "status"), "accepted");
  EXPECT_EQ(string_at(shown["recommendations"][1], "status"), "not_accepted");
  EXPECT_EQ(shown["documents"].Size(), 8u);

  const std::string history = ok("lan", {"case", "history", number});
  std::vector<Step> moves;
  for (const auto& [actor, transition] :
       std::vector<std::pair<std::string, std::string>>{{"lan", "start_delegation"},
                                                        {"lan", "establish_delegation"},
                                                        {"hoa", "notify_supervised_body"},
                                                        {"ubnd-xa", "receive_body_report"},
                                                        {"hoa", "hold_session"},
                                                        {"hoa", "submit_results_report"},
                                                        {"lan", "issue_recommendations"},
                                                        {"lan", "close"}}) {
    const std::regex line("\n *[0-9]+  [0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}  " + actor +
                          " +stage\\.changed +[0-9a-f]{64}  " + transition + ": ");
    EXPECT_TRUE(std::regex_search(history, line)) << transition << " by " << actor << "\n" << history;
  }
  const std::string listed =
      ok("lan", {"--format", "csv", "case", "list", "--workflow", "supervision", "--unit", "gia-hung"});
  EXPECT_TRUE(contains(listed, "\n" + number + ",supervision,closed,,,gia-hung,hoa,"))
      << listed;  // a closed case has no due date
  EXPECT_TRUE(contains(ok("", {"audit", "verify"}), std::to_string(event_count()) + " events verified"));
}

TEST_F(CaseCli, ListFiltersByAssigneeAndOpen) {
  const std::string first = open_critique("Dự thảo thứ nhất");
  const std::string second = open_critique("Dự thảo thứ hai");
  ok("lan", {"case", "assign", second, "lan"});
  const std::string assigned = ok("lan", {"--format", "json", "case", "list", "--assignee", "lan"});
  EXPECT_TRUE(contains(assigned, second));
  EXPECT_FALSE(contains(assigned, first));
  const rapidjson::Document open_cases = parse_json(ok("lan", {"case", "list", "--open", "--format", "json"}));
  ASSERT_TRUE(open_cases.IsArray());
  EXPECT_EQ(open_cases.Size(), 2u);
  EXPECT_EQ(open_cases[1]["version"].GetInt(), 3);  // opened, its due date, assigned
  EXPECT_EQ(string_at(open_cases[0], "title"), "Dự thảo thứ nhất");
}

TEST_F(CaseCli, VietnameseTextIsKeptAsTypedInNfc) {
  const std::string title = "Phản biện dự thảo Nghị quyết về chính sách hỗ trợ hộ nghèo";
  const std::string body = "Sở Lao động – Thương binh và Xã hội";
  const std::string recommendation = "Đề nghị rà soát hộ nghèo ở xã Gia Hưng";
  // Tabs, newlines and quotes are kept as typed; decomposed (NFD) letters are stored composed
  // (NFC), so that "Hưng" has one byte form whichever keyboard typed it.
  const std::string typed = "Ý kiến của ông Nguyễn Văn Đức:\n\tcần bổ sung \"tiêu chí\" — Gia Hu\u031Bng";
  const std::string comment = "Ý kiến của ông Nguyễn Văn Đức:\n\tcần bổ sung \"tiêu chí\" — Gia H\u01B0ng";
  const std::string number = open_critique(title);
  ok("lan", {"case", "set", number, "--field", "issuing_authority=" + body});
  ok("lan", {"case", "comment", number, typed});
  ok("lan", {"case", "recommend", number, "--to", body, recommendation});

  const rapidjson::Document shown = parse_json(ok("lan", {"--format", "json", "case", "show", number}));
  EXPECT_EQ(string_at(shown, "title"), title);
  EXPECT_EQ(string_at(shown["fields"], "issuing_authority"), body);
  EXPECT_EQ(string_at(shown["recommendations"][0], "addressee"), body);
  EXPECT_EQ(string_at(shown["recommendations"][0], "text"), recommendation);
  const rapidjson::Document history = parse_json(ok("lan", {"--format", "json", "case", "history", number}));
  EXPECT_EQ(string_at(history[3]["payload"], "text"), comment);  // after opened, due date, fields

  std::istringstream lines(ok("", {"audit", "export", "--case", number}));
  std::vector<rapidjson::Document> events;
  for (std::string line; std::getline(lines, line);) events.push_back(parse_json(line));
  ASSERT_EQ(events.size(), 5u);  // opened, its due date (deadlines plugin), fields, comment, recommendation
  EXPECT_EQ(string_at(events[0]["payload"], "title"), title);
  EXPECT_EQ(string_at(events[2]["payload"]["fields"], "issuing_authority"), body);
  EXPECT_EQ(string_at(events[3]["payload"], "text"), comment);
  EXPECT_EQ(string_at(events[4]["payload"], "text"), recommendation);
  EXPECT_EQ(string_at(events[4]["payload"], "addressee"), body);

  const std::string csv = ok("lan", {"--format", "csv", "case", "list"});
  EXPECT_TRUE(contains(csv, "," + title + "\n")) << csv;
}

TEST_F(CaseCli, DatabaseUserAndFormatComeFromTheEnvironmentToo) {
  const std::string number = open_critique();
  ::setenv("DOCKET_DB", db_.c_str(), 1);
  ::setenv("DOCKET_USER", "lan", 1);
  const Outcome run =
      finish(start({"--format", "json", "case", "comment", number, "Ý kiến"}, "env", /*pass_db=*/false));
  ::unsetenv("DOCKET_DB");
  ::unsetenv("DOCKET_USER");
  EXPECT_EQ(run.exit_code, 0) << run;
  const rapidjson::Document changed = parse_json(run.out);  // the case as the API answers a change
  ASSERT_TRUE(changed.IsObject() && changed.HasMember("version")) << run;
  EXPECT_EQ(changed["version"].GetInt64(), 3) << run;  // opened, its due date, the comment
  EXPECT_EQ(event_count(), 3);
}

TEST_F(CaseCli, HistoryAsJsonCarriesThePayloadAndHashes) {
  const std::string number = open_critique();
  ok("lan", {"case", "comment", number, "Ý kiến"});
  const rapidjson::Document history = parse_json(ok("lan", {"--format", "json", "case", "history", number}));
  ASSERT_TRUE(history.IsArray());
  ASSERT_EQ(history.Size(), 3u);  // opened, its due date, the comment
  EXPECT_EQ(string_at(history[2], "type"), "comment.added");
  EXPECT_EQ(string_at(history[2]["payload"], "text"), "Ý kiến");
  EXPECT_EQ(string_at(history[2], "prev_hash"), string_at(history[1], "hash"));
}

}  // namespace
}  // namespace docket::cli_test
