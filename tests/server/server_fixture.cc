#include "server_fixture.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>

#include "store/calendar_registry.h"
#include "store/database.h"
#include "store/directory.h"
#include "store/workflow_registry.h"

extern char** environ;

namespace docket::server_test {
namespace {

struct FixtureUser {
  const char* id;
  const char* name;
  const char* unit;
  std::vector<std::string> roles;
};

const std::vector<FixtureUser>& fixture_users() {
  static const std::vector<FixtureUser> users = {
      {"chu-tich", "Phạm Văn Hùng", "ninh-binh", {"standing_board"}},
      {"lan", "Nguyễn Thị Lan", "ninh-binh", {"department_head", "officer", "delegation_head"}},
      {"so-ld", "Sở Lao động – Thương binh và Xã hội", "ninh-binh", {"drafting_body"}},
      {"so-tc", "Sở Tài chính", "ninh-binh", {"drafting_body"}},
      {"ubnd", "Ủy ban nhân dân tỉnh Ninh Bình", "ninh-binh", {"supervised_body"}},
      {"admin", "Quản trị hệ thống", "ninh-binh", {"auditor"}},
      {"gv-chu-tich", "Đinh Văn Bình", "gia-vien", {"standing_board"}},
      {"gv-can-bo", "Trần Thị Hoa", "gia-vien", {"department_head", "officer"}},
      {"hl-can-bo", "Lê Văn Nam", "hoa-lu", {"department_head", "officer"}},
      {"revoked", "Hoàng Văn Cũ", "ninh-binh", {"officer"}},
  };
  return users;
}

std::filesystem::path fresh_folder() {
  const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::string pattern = (std::filesystem::temp_directory_path() / ("docket-server-" + test + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp " << pattern;
  return pattern;
}

#define FIXTURE_OK(expression)                                                   \
  do {                                                                           \
    const auto outcome = (expression);                                           \
    ASSERT_TRUE(outcome.ok()) << #expression << ": " << outcome.error().message; \
  } while (false)

}  // namespace

std::string quoted(const std::string& text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
  return buffer.GetString();
}

::testing::AssertionResult is_error(const Reply& reply, int status, const std::string& code) {
  if (reply.status != status) return ::testing::AssertionFailure() << "expected " << status << ", got " << reply;
  const rapidjson::Document body = reply.json();
  if (body.HasParseError() || !body.IsObject() || body.MemberCount() != 1 || !body.HasMember("error") ||
      !body["error"].IsObject()) {
    return ::testing::AssertionFailure() << "not the error shape: " << reply;
  }
  const auto& error = body["error"];
  if (!error.HasMember("code") || !error["code"].IsString() || !error.HasMember("message") ||
      !error["message"].IsString() || !error.HasMember("details") || !error["details"].IsObject() ||
      error.MemberCount() != 3) {
    return ::testing::AssertionFailure() << "not {code, message, details}: " << reply;
  }
  if (error["message"].GetStringLength() == 0) return ::testing::AssertionFailure() << "empty message: " << reply;
  if (error["code"].GetString() != code)
    return ::testing::AssertionFailure() << "expected code " << code << ", got " << reply;
  if (reply.header("content-type") != "application/json") return ::testing::AssertionFailure() << "not JSON: " << reply;
  return ::testing::AssertionSuccess();
}

void ServerTest::SetUp() {
  folder_ = fresh_folder();
  db_path_ = folder_ / "docket.db";
  create_database();
  if (HasFatalFailure()) return;
  restart();
}

void ServerTest::TearDown() {
  client_.reset();
  server_.reset();
  std::error_code ignored;
  if (!HasFailure()) std::filesystem::remove_all(folder_, ignored);
}

void ServerTest::create_database() {
  auto db = Database::open({db_path_, true, 5000, true});
  ASSERT_TRUE(db.ok()) << db.error().message;
  FIXTURE_OK(WorkflowRegistry(**db, clock_).install_directory(DOCKET_WORKFLOWS_DIR));
  FIXTURE_OK(
      CalendarRegistry(**db, clock_).install_directory(std::filesystem::path(DOCKET_WORKFLOWS_DIR) / "calendars"));
  Directory directory(**db, clock_);
  FIXTURE_OK(directory.add_unit({"ninh-binh", "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình", "province", ""}));
  FIXTURE_OK(directory.add_unit({"gia-vien", "Ủy ban MTTQ xã Gia Viễn", "commune", "ninh-binh"}));
  FIXTURE_OK(directory.add_unit({"hoa-lu", "Ủy ban MTTQ phường Hoa Lư", "commune", "ninh-binh"}));
  for (const auto& user : fixture_users()) {
    FIXTURE_OK(directory.add_user(user.id, user.name, user.unit, user.roles));
    auto token = directory.issue_token(user.id);
    ASSERT_TRUE(token.ok()) << token.error().message;
    tokens_[user.id] = token.value();
  }
  FIXTURE_OK(directory.set_admin("admin", true));
}

void ServerTest::restart(const std::function<void(server::ServerOptions&)>& adjust) {
  client_.reset();
  server_.reset();
  server::ServerOptions options;
  options.port = 0;
  options.database = DatabaseOptions{db_path_, false, 5000, true};
  if (adjust) adjust(options);
  auto started = server::Server::start(options, clock_);
  ASSERT_TRUE(started.ok()) << started.error().message;
  server_ = std::move(started.value());
  client_ = std::make_unique<HttpClient>(server_->port());
}

ServerTest::Ran ServerTest::docket(std::vector<std::string> args) {
  args.insert(args.begin(), {DOCKET_BINARY, "--db", db_path_.string()});
  const std::string out = (folder_ / "docket.out").string();
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&files, 2, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  Ran ran;
  if (::posix_spawn(&pid, DOCKET_BINARY, &files, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  posix_spawn_file_actions_destroy(&files);
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  ran.out = text.str();
  return ran;
}

std::string ServerTest::etag(const std::string& user, const std::string& number) {
  const Reply current = get(user, "/api/v1/cases/" + number);
  EXPECT_EQ(current.status, 200) << current;
  return current.header("etag");
}

Reply ServerTest::act(const std::string& user, const std::string& number, const std::string& action,
                      const std::string& body) {
  return post(user, "/api/v1/cases/" + number + "/" + action, body, etag(user, number));
}

Reply ServerTest::move(const std::string& user, const std::string& number, const std::string& transition,
                       const std::string& fields_json) {
  return act(user, number, "transitions",
             R"({"transition":)" + quoted(transition) + R"(,"fields":)" + fields_json + "}");
}

Reply ServerTest::upload(const std::string& user, const std::string& number, const std::string& kind,
                         const std::string& name, const std::string& bytes, const std::string& media_type) {
  Call call{http::verb::post, "/api/v1/cases/" + number + "/documents?kind=" + kind + "&name=" + name, token(user),
            bytes};
  call.content_type = media_type;
  call.if_match = etag(user, number);
  return client_->send(call);
}

std::string ServerTest::open_case(const std::string& user, const std::string& workflow, const std::string& unit,
                                  const std::string& title, const std::string& fields_json) {
  const Reply opened = post(user, "/api/v1/cases",
                            R"({"workflow":)" + quoted(workflow) + R"(,"unit":)" + quoted(unit) + R"(,"title":)" +
                                quoted(title) + R"(,"fields":)" + fields_json + "}");
  EXPECT_EQ(opened.status, 201) << opened;
  return opened.at("/number");
}

std::string ServerTest::open_critique(const std::string& user, const std::string& unit,
                                      const std::string& drafting_body) {
  return open_case(user, "social-critique", unit, "Dự thảo Kế hoạch giảm nghèo bền vững 2026-2030",
                   R"({"submission_date":"2026-06-30","drafting_body":)" + quoted(drafting_body) + "}");
}

void ServerTest::issue_critique(const std::string& number) {
  const auto expect_ok = [](const Reply& reply) { EXPECT_EQ(reply.status, 200) << reply; };
  expect_ok(
      act("lan", number, "fields",
          R"({"fields":{"document_title":"Kế hoạch","received_date":"2026-03-02","issuing_authority":"UBND tỉnh"}})"));
  expect_ok(upload("lan", number, "draft", "du-thao.pdf", "%PDF dự thảo"));
  expect_ok(move("chu-tich", number, "assign"));
  expect_ok(move("chu-tich", number, "choose_form", R"({"critique_form":"written_consultation"})"));
  expect_ok(move("lan", number, "send_for_opinions"));
  expect_ok(upload("lan", number, "critique", "phan-bien.pdf", "%PDF phản biện"));
  expect_ok(move("lan", number, "submit_critique_draft"));
  expect_ok(move("chu-tich", number, "approve"));
  expect_ok(move("chu-tich", number, "issue"));
}

std::vector<std::string> ServerTest::event_types(const std::string& number) {
  const Reply history = get("lan", "/api/v1/cases/" + number + "/history");
  EXPECT_EQ(history.status, 200) << history;
  std::vector<std::string> types;
  const rapidjson::Document body = history.json();
  if (!body.IsObject() || !body.HasMember("events")) return types;
  for (const auto& event : body["events"].GetArray()) types.emplace_back(event["type"].GetString());
  return types;
}

std::vector<std::string> ServerTest::transitions_made(const std::string& number) {
  const Reply history = get("lan", "/api/v1/cases/" + number + "/history");
  std::vector<std::string> made;
  const rapidjson::Document body = history.json();
  if (!body.IsObject() || !body.HasMember("events")) return made;
  for (const auto& event : body["events"].GetArray()) {
    if (std::string(event["type"].GetString()) == "stage.changed")
      made.emplace_back(event["payload"]["transition"].GetString());
  }
  return made;
}

}  // namespace docket::server_test
