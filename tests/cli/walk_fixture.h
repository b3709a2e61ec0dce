// The scripted walks of issue #23 through the real binary: a province above a commune, and one
// user per role at each level, so that every step of a walk is made by the user holding the role
// the workflow names for it. Helpers move a case as one user, assert that another user's attempt
// is refused with role_not_allowed without changing the case, and read back the stage, the due
// date (`case show`) and the history (type and actor of every event).
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "case_fixture.h"

namespace docket::cli_test {

class WalkCliFixture : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_levels();
  }

  // vn > ninh-binh (province) > gia-hung (commune), and these users:
  //   xa-chu-tich    standing_board   @ gia-hung     tinh-chu-tich  standing_board  @ ninh-binh
  //   xa-truong-ban  department_head  @ gia-hung     tinh-can-bo    officer         @ ninh-binh
  //   xa-can-bo      officer          @ gia-hung     tinh-tra       reviewer        @ ninh-binh
  //   xa-truong-doan delegation_head  @ gia-hung     tinh-thu       reviewing_head  @ ninh-binh
  //   xa-tra         reviewer         @ gia-hung     kiem-tra       auditor         @ ninh-binh
  //   phong-kt       drafting_body    @ gia-hung     (the commune's economic office, an outside party)
  //   ubnd-xa        supervised_body  @ gia-hung     (the commune People's Committee, an outside party)
  void set_up_levels() {
    ok("", {"init"});
    ok("", {"org", "add", "vn", "--name", "Ủy ban Trung ương MTTQ Việt Nam", "--level", "central"});
    ok("",
       {"org", "add", "ninh-binh", "--name", "Ủy ban MTTQ tỉnh Ninh Bình", "--level", "province", "--parent", "vn"});
    ok("",
       {"org", "add", "gia-hung", "--name", "Ủy ban MTTQ xã Gia Hưng", "--level", "commune", "--parent", "ninh-binh"});
    const std::vector<std::vector<std::string>> users = {
        {"xa-chu-tich", "gia-hung", "standing_board"},
        {"xa-truong-ban", "gia-hung", "department_head"},
        {"xa-can-bo", "gia-hung", "officer"},
        {"xa-truong-doan", "gia-hung", "delegation_head"},
        {"xa-tra", "gia-hung", "reviewer"},
        {"phong-kt", "gia-hung", "drafting_body"},
        {"ubnd-xa", "gia-hung", "supervised_body"},
        {"tinh-chu-tich", "ninh-binh", "standing_board"},
        {"tinh-can-bo", "ninh-binh", "officer"},
        {"tinh-tra", "ninh-binh", "reviewer"},
        {"tinh-thu", "ninh-binh", "reviewing_head"},
        {"kiem-tra", "ninh-binh", "auditor"},
    };
    for (const auto& user : users)
      ok("", {"user", "add", user[0], "--name", user[0], "--unit", user[1], "--role", user[2]});
  }

  static std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

  // Opens a case at gia-hung as `user` with `fields` ("id=value"); returns its number.
  std::string open(const std::string& user, const std::string& workflow, const std::vector<std::string>& fields) {
    std::vector<std::string> args{"case", "open", workflow, "--unit", "gia-hung", "--title", "Hồ sơ " + workflow};
    for (const auto& field : fields) args.insert(args.end(), {"--field", field});
    return first_line(ok(user, args));
  }
  void attach(const std::string& user, const std::string& number, const std::string& kind) {
    const fs::path path = write(kind + ".pdf", "%PDF-1.4 " + kind);
    ok(user, {"case", "attach", number, path.string(), "--kind", kind});
  }
  // `user` moves the case by `transition` (with `fields`, "id=value") and it reaches `stage`.
  void step(const std::string& user, const std::string& number, const std::string& transition, const std::string& stage,
            const std::vector<std::string>& fields = {}) {
    std::vector<std::string> args{"case", "move", number, transition};
    for (const auto& field : fields) args.insert(args.end(), {"--field", field});
    ok(user, args);
    EXPECT_EQ(stage_of(number), stage) << user << " " << transition;
  }
  // `user` runs `command` (after "case") and is refused with role_not_allowed; nothing changes.
  void refused(const std::string& user, const std::string& number, std::vector<std::string> command) {
    const std::string stage = stage_of(number);
    const auto events = event_count();
    command.insert(command.begin(), "case");
    const Outcome run = as(user, command);
    EXPECT_EQ(run.exit_code, 1) << run;
    EXPECT_TRUE(contains(run.err, "role_not_allowed")) << run;
    EXPECT_EQ(stage_of(number), stage) << run;
    EXPECT_EQ(event_count(), events) << run;
  }

  // Read by the province's auditor, who reads every case below it.
  rapidjson::Document shown(const std::string& number) {
    const std::string out = ok("kiem-tra", {"--format", "json", "case", "show", number});
    rapidjson::Document shown;
    shown.Parse(out.data(), out.size());
    return shown;
  }
  std::string stage_of(const std::string& number) {
    const rapidjson::Document state = shown(number);
    return state.IsObject() && state.HasMember("stage") ? state["stage"].GetString() : "";
  }
  // The due date of the current stage, YYYY-MM-DD, as `case show --format json` gives it (""
  // when there is none).
  std::string due_of(const std::string& number) {
    const rapidjson::Document state = shown(number);
    if (!state.IsObject() || !state.HasMember("deadline") || !state["deadline"].IsObject()) return "";
    return state["deadline"]["due"].GetString();
  }
  // "type by actor" for every event of the history but the deadline bookkeeping.
  std::vector<std::string> history_of(const std::string& number) {
    const std::string out = ok("kiem-tra", {"--format", "json", "case", "history", number});
    rapidjson::Document events;
    events.Parse(out.data(), out.size());
    std::vector<std::string> steps;
    if (!events.IsArray()) return steps;
    for (const auto& event : events.GetArray()) {
      const std::string type = event["type"].GetString();
      if (type.rfind("deadline.", 0) != 0) steps.push_back(type + " by " + event["actor"].GetString());
    }
    return steps;
  }
};

}  // namespace docket::cli_test
