#include "store/audit.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "store/internal/event_codec.h"
#include "store_fixture.h"

namespace docket {
namespace {

using testing::StoreTest;

class AuditTest : public StoreTest {
 protected:
  // Two cases with a handful of events each, interleaved in the log.
  void make_history() {
    first_ = open_critique("Dự thảo Quy định hỗ trợ nhà ở cho hộ nghèo").number;
    second_ = open_critique("Dự thảo Đề án nước sạch nông thôn").number;
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(store_->execute(first_, "lan", {AddComment{"Ý kiến " + std::to_string(i)}}).ok());
      ASSERT_TRUE(
          store_->execute(second_, "chu-tich", {AddRecommendation{"Sở Xây dựng", "Kiến nghị số " + std::to_string(i)}})
              .ok());
    }
  }
  std::string export_all(const std::optional<std::string>& case_number = std::nullopt) {
    std::ostringstream out;
    EXPECT_TRUE(export_audit(*db_, case_number, out).ok());
    return out.str();
  }
  std::string first_, second_;
};

TEST_F(AuditTest, AnUntouchedHistoryVerifies) {
  make_history();
  const AuditReport report = verify_audit(*db_).value();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.events_checked, 8);
}

TEST_F(AuditTest, ALogThatCannotBeReadIsAStorageErrorNotABrokenChain) {
  make_history();
  db_->sql().exec("ALTER TABLE events RENAME TO gone_events");
  const auto verified = verify_audit(*db_);
  ASSERT_FALSE(verified.ok()) << "a storage fault reported as " << verified->problem;
  EXPECT_EQ(verified.error().code, ErrorCode::storage) << verified.error().message;
  std::ostringstream out;
  const Status exported = export_audit(*db_, std::nullopt, out);
  ASSERT_FALSE(exported.ok());
  EXPECT_EQ(exported.error().code, ErrorCode::storage) << exported.error().message;
}

TEST_F(AuditTest, ChangingOneEventBehindDocketsBackNamesExactlyThatEvent) {
  make_history();
  db_->sql().exec("DROP TRIGGER events_no_update");
  db_->sql().exec(
      "UPDATE events SET payload = replace(payload, 'Kiến nghị số 1', 'Kiến nghị đã sửa') "
      "WHERE payload LIKE '%Kiến nghị số 1%'");
  const AuditReport report = verify_audit(*db_).value();
  ASSERT_FALSE(report.ok);
  EXPECT_EQ(report.case_number, second_);
  EXPECT_EQ(report.case_seq, 3);  // opened, recommendation 0, recommendation 1
  EXPECT_NE(report.problem.find("changed"), std::string::npos);
}

// verify_audit reads on one thread and hashes on another, in chunks of a few thousand events:
// over a long log, the break it names is still the first one in log order, whichever thread
// finds it.
class LongAuditTest : public AuditTest {
 protected:
  void SetUp() override {
    AuditTest::SetUp();
    number_ = open_critique("Dự thảo Kế hoạch dài").number;
    for (int round = 0; round < 10; ++round) {
      std::vector<CaseCommand> batch;
      for (int i = 0; i < 600; ++i)
        batch.push_back({number_, "lan", {AddComment{"Ý kiến " + std::to_string(round * 600 + i)}}, std::nullopt, {}});
      for (const auto& result : store_->execute_batch(batch)) ASSERT_TRUE(result.ok()) << result.error().message;
    }
    db_->sql().exec("DROP TRIGGER events_no_update");
    db_->sql().exec("DROP TRIGGER events_no_delete");
  }
  void tamper(int seq) { db_->sql().exec("UPDATE events SET actor = 'ke-gian' WHERE seq = " + std::to_string(seq)); }
  void remove(int seq) { db_->sql().exec("DELETE FROM events WHERE seq = " + std::to_string(seq)); }
  std::string number_;
};

TEST_F(LongAuditTest, AnUntouchedLongLogVerifiesEveryEvent) {
  const AuditReport report = verify_audit(*db_).value();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.events_checked, db_->sql().execAndGet("SELECT COUNT(*) FROM events").getInt64());
  EXPECT_GT(report.events_checked, 6000);
}

TEST_F(LongAuditTest, AChangedEventBeforeAMissingOneIsNamed) {
  tamper(2500);  // found by the hashing thread
  remove(4000);  // found by the reading thread, later in the log
  const AuditReport report = verify_audit(*db_).value();
  ASSERT_FALSE(report.ok);
  EXPECT_EQ(report.seq, 2500);
  EXPECT_EQ(report.events_checked, 2499);
  EXPECT_EQ(report.case_number, number_);
  EXPECT_NE(report.problem.find("changed"), std::string::npos) << report.problem;
}

TEST_F(LongAuditTest, AMissingEventBeforeAChangedOneIsNamed) {
  remove(3000);
  tamper(4500);
  const AuditReport report = verify_audit(*db_).value();
  ASSERT_FALSE(report.ok);
  EXPECT_EQ(report.seq, 3001);  // the event after the gap
  EXPECT_EQ(report.events_checked, 2999);
  EXPECT_NE(report.problem.find("missing"), std::string::npos) << report.problem;
}

TEST_F(AuditTest, ChangingTheActorOrTimeIsAlsoCaught) {
  make_history();
  db_->sql().exec("DROP TRIGGER events_no_update");
  db_->sql().exec("UPDATE events SET at = '2020-01-01T00:00:00Z' WHERE seq = 2");
  const AuditReport report = verify_audit(*db_).value();
  ASSERT_FALSE(report.ok);
  EXPECT_EQ(report.seq, 2);
}

TEST_F(AuditTest, DeletingTheNewestEventsOfACaseIsCaught) {
  make_history();
  db_->sql().exec("DROP TRIGGER events_no_delete");
  const std::int64_t newest =
      db_->sql().execAndGet("SELECT MAX(case_seq) FROM events WHERE seq = (SELECT MAX(seq) FROM events)").getInt64();
  db_->sql().exec("DELETE FROM events WHERE seq = (SELECT MAX(seq) FROM events)");
  const AuditReport report = verify_audit(*db_).value();
  ASSERT_FALSE(report.ok);
  EXPECT_EQ(report.case_number, second_);
  // Named by the case and the last event present, not as "event 0".
  EXPECT_EQ(report.case_seq, newest);
  EXPECT_NE(report.problem.find("holds events 1 to " + std::to_string(newest - 1) + ", but the case records " +
                                std::to_string(newest)),
            std::string::npos)
      << report.problem;
}

// The procedure of docs/audit.md, written here from the document, not from Docket's code.
std::string canonical_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  std::function<void(const rapidjson::Value&)> write = [&](const rapidjson::Value& v) {
    if (!v.IsObject()) return void(v.Accept(writer));
    std::vector<std::string> names;
    for (const auto& member : v.GetObject()) names.emplace_back(member.name.GetString());
    std::sort(names.begin(), names.end());
    writer.StartObject();
    for (const auto& name : names) {
      writer.Key(name.c_str());
      write(v[name.c_str()]);
    }
    writer.EndObject();
  };
  write(value);
  return buffer.GetString();
}

std::string hash_hex(const std::string& prev_hex, const std::string& bytes) {
  std::string data;
  for (std::size_t i = 0; i < prev_hex.size(); i += 2)
    data += static_cast<char>(std::stoi(prev_hex.substr(i, 2), nullptr, 16));
  data += bytes;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  char hex[65];
  for (int i = 0; i < 32; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  return hex;
}

TEST_F(AuditTest, TheExportReVerifiesWithTheDocumentedProcedure) {
  make_history();
  std::istringstream lines(export_all());
  std::string line, previous(64, '0');
  std::map<std::string, std::string> case_previous;
  int count = 0;
  while (std::getline(lines, line)) {
    rapidjson::Document event;
    event.Parse(line.c_str());
    ASSERT_FALSE(event.HasParseError());
    rapidjson::Document body(rapidjson::kObjectType);
    for (const char* key : {"seq", "case", "case_seq", "type", "at", "actor", "payload"}) {
      body.AddMember(rapidjson::Value(key, body.GetAllocator()), rapidjson::Value(event[key], body.GetAllocator()),
                     body.GetAllocator());
    }
    const std::string bytes = canonical_json(body);
    const std::string case_number = event["case"].GetString();
    const std::string case_prev = case_previous.count(case_number) ? case_previous[case_number] : std::string(64, '0');
    EXPECT_EQ(event["prev_hash"].GetString(), previous);
    EXPECT_EQ(event["case_prev_hash"].GetString(), case_prev);
    EXPECT_EQ(event["hash"].GetString(), hash_hex(previous, bytes)) << line;
    EXPECT_EQ(event["case_hash"].GetString(), hash_hex(case_prev, bytes)) << line;
    previous = event["hash"].GetString();
    case_previous[case_number] = event["case_hash"].GetString();
    ++count;
  }
  EXPECT_EQ(count, 8);
  EXPECT_NE(export_all().find("Kiến nghị số 2"), std::string::npos) << "Vietnamese text is exported as is";
}

TEST_F(AuditTest, TheShippedPythonVerifierAcceptsTheExportAndRejectsAnEditedOne) {
  if (std::system("python3 --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "python3 is not installed";
  make_history();
  const auto file = folder_ / "export.jsonl";
  std::ofstream(file) << export_all();
  const std::string verifier = std::string(DOCKET_SOURCE_DIR) + "/scripts/verify-audit-export.py";
  EXPECT_EQ(std::system(("python3 " + verifier + " < " + file.string() + " >/dev/null").c_str()), 0);
  std::string text = export_all();
  text.replace(text.find("Ý kiến 1"), std::string("Ý kiến 1").size(), "Ý kiến 9");
  std::ofstream(file) << text;
  EXPECT_NE(std::system(("python3 " + verifier + " < " + file.string() + " 2>/dev/null").c_str()), 0);
  std::ofstream(file) << export_all(first_);
  EXPECT_EQ(std::system(("python3 " + verifier + " --case < " + file.string() + " >/dev/null").c_str()), 0);
}

// A process writing in a loop is killed with SIGKILL: the database opens, verifies, and holds
// every command the process acknowledged.
TEST_F(AuditTest, SurvivesSigkillMidWriteWithEveryAcknowledgedCommand) {
  const std::string number = open_critique().number;
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_ends[0]);
    auto db = Database::open({folder_ / "docket.db", false, 5000, true});
    if (!db) _exit(3);
    SystemClock clock;
    CaseStore store(**db, catalog_, clock);
    for (int i = 0;; ++i) {
      if (!store.execute(number, "lan", {AddComment{"ghi " + std::to_string(i)}}).ok()) _exit(4);
      const std::string ack = std::to_string(i) + "\n";  // only after COMMIT returned
      if (write(pipe_ends[1], ack.data(), ack.size()) < 0) _exit(5);
    }
  }
  close(pipe_ends[1]);
  FILE* acks = fdopen(pipe_ends[0], "r");
  int last_acked = -1;
  char buffer[32];
  while (last_acked < 150 && std::fgets(buffer, sizeof buffer, acks) != nullptr) last_acked = std::atoi(buffer);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  std::fclose(acks);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer should have been killed, not have stopped";
  ASSERT_GE(last_acked, 150);

  store_.reset();
  db_.reset();
  db_ = open_db();
  ASSERT_NE(db_, nullptr);
  const AuditReport report = verify_audit(*db_).value();
  EXPECT_TRUE(report.ok) << report.problem;
  CaseStore store(*db_, catalog_, clock_);
  std::set<std::string> comments;
  for (const auto& stored : store.history(number).value()) {
    if (const auto* comment = std::get_if<CommentAdded>(&stored.event.payload)) comments.insert(comment->text);
  }
  for (int i = 0; i <= last_acked; ++i)
    EXPECT_TRUE(comments.count("ghi " + std::to_string(i))) << "lost acknowledged comment " << i;
}

// The hashed bytes are built by concatenation when nothing needs escaping and by the JSON writer
// otherwise; both must give the documented canonical form.
// Members empty most of the time are not stored (ten bytes an event at scale), and read back
// as empty: a first deadline has no previous due date, a plain transition no fields. Payloads
// stored with them (before this encoding) still read the same.
TEST(EventPayloads, LeaveOutThePreviousDueOfAFirstDeadlineAndTheFieldsOfAPlainTransition) {
  const DeadlineSet first{"received", "2026-03-20", "2026-03-20T10:00:00Z", "", "stage entered"};
  const std::string stored = encode_payload(first);
  EXPECT_EQ(stored,
            R"({"due":"2026-03-20","due_at":"2026-03-20T10:00:00Z","reason":"stage entered","stage":"received"})");
  EXPECT_EQ(std::get<DeadlineSet>(*decode_payload("deadline.set", stored)), first);
  const DeadlineSet moved{"received", "2026-03-27", "2026-03-27T10:00:00Z", "2026-03-20", "field changed"};
  EXPECT_NE(encode_payload(moved).find(R"("previous_due":"2026-03-20")"), std::string::npos);

  const StageChanged plain{"assign", "received", "assigned", {}};
  EXPECT_EQ(encode_payload(plain), R"({"from":"received","to":"assigned","transition":"assign"})");
  EXPECT_EQ(std::get<StageChanged>(*decode_payload("stage.changed", encode_payload(plain))), plain);
  const StageChanged with_fields{"withdraw", "received", "withdrawn", {{"end_reason", "Rút dự thảo"}}};
  EXPECT_EQ(std::get<StageChanged>(*decode_payload("stage.changed", encode_payload(with_fields))), with_fields);

  auto older =
      decode_payload("stage.changed", R"({"fields":{},"from":"received","to":"assigned","transition":"assign"})");
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(std::get<StageChanged>(*older), plain);
}

TEST(CanonicalEventBytes, AreTheDocumentedFormWithAndWithoutCharactersToEscape) {
  const EventEnvelope plain{12,    "PB-2026-0001",        3, "comment.added", "2026-03-02T02:00:00Z",
                            "lan", R"({"text":"Ý kiến"})"};
  EXPECT_EQ(
      canonical_event_bytes(plain),
      R"({"actor":"lan","at":"2026-03-02T02:00:00Z","case":"PB-2026-0001","case_seq":3,"payload":{"text":"Ý kiến"},"seq":12,"type":"comment.added"})");
  EventEnvelope escaped = plain;
  escaped.actor = "l\"a\\n\n";
  const std::string bytes = canonical_event_bytes(escaped);
  EXPECT_NE(bytes.find(R"("actor":"l\"a\\n\n")"), std::string::npos) << bytes;
  rapidjson::Document parsed;
  parsed.Parse(bytes.c_str(), bytes.size());
  ASSERT_FALSE(parsed.HasParseError()) << bytes;
  EXPECT_EQ(std::string(parsed["actor"].GetString()), escaped.actor);
  EXPECT_EQ(canonical_json(parsed), bytes);  // the procedure of docs/audit.md agrees
}

}  // namespace
}  // namespace docket
