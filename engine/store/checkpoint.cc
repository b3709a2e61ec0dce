#include "store/checkpoint.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <tuple>

#include "core/json_text.h"
#include "core/text.h"
#include "store/internal/event_codec.h"
#include "store/internal/hash.h"
#include "store/internal/new_file.h"

namespace docket {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
constexpr const char* kFormat = "docket-checkpoint-1";

std::string hex_of(const SQLite::Column& column) {
  return to_hex(digest_from_bytes(column.getBlob(), static_cast<std::size_t>(column.getBytes())));
}

void write_text(Writer& out, std::string_view text) {
  out.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_head(Writer& out, const char* name, std::int64_t seq, const std::string& hash) {
  out.Key(name);
  out.StartObject();
  out.Key("hash"), write_text(out, hash);
  out.Key("seq"), out.Int64(seq);
  out.EndObject();
}

// The checkpoint as JSON, members in canonical order (canonicalize_json makes sure of it).
std::string json_of(const Checkpoint& checkpoint, bool with_signature) {
  rapidjson::StringBuffer buffer;
  Writer out(buffer);
  out.StartObject();
  write_head(out, "admin_log", checkpoint.admin_seq, checkpoint.admin_hash);
  out.Key("at"), write_text(out, checkpoint.at);
  out.Key("cases");
  out.StartArray();
  for (const CaseHead& head : checkpoint.cases) {
    out.StartObject();
    out.Key("case"), write_text(out, head.case_number);
    out.Key("case_hash"), write_text(out, head.case_hash);
    out.Key("case_seq"), out.Int64(head.case_seq);
    out.EndObject();
  }
  out.EndArray();
  out.Key("counts");
  out.StartObject();
  out.Key("admin_events"), out.Int64(checkpoint.admin_event_count);
  out.Key("cases"), out.Int64(checkpoint.case_count);
  out.Key("events"), out.Int64(checkpoint.event_count);
  out.EndObject();
  out.Key("database");
  out.StartObject();
  out.Key("first_event"), write_text(out, checkpoint.first_event);
  out.EndObject();
  out.Key("format"), write_text(out, kFormat);
  out.Key("key"), write_text(out, checkpoint.key);
  write_head(out, "log", checkpoint.log_seq, checkpoint.log_hash);
  if (with_signature) out.Key("signature"), write_text(out, checkpoint.signature);
  out.Key("unit"), write_text(out, checkpoint.unit);
  out.EndObject();
  return canonicalize_json(std::string_view(buffer.GetString(), buffer.GetSize())).value_or("");
}

// The newest row of `table` (events or admin_events): its seq and hash; 0 and "" when empty.
std::pair<std::int64_t, std::string> newest(Database& database, const char* table) {
  SQLite::Statement query(database.sql(), std::string("SELECT seq, hash FROM ") + table + " ORDER BY seq DESC LIMIT 1");
  if (!query.executeStep()) return {0, ""};
  return {query.getColumn(0).getInt64(), hex_of(query.getColumn(1))};
}

std::string first_event_hash(Database& database) {
  SQLite::Statement query(database.sql(), "SELECT hash FROM events WHERE seq = 1");
  return query.executeStep() ? hex_of(query.getColumn(0)) : "";
}

}  // namespace

Result<OrgUnit> signing_unit(Directory& directory, const std::string& asked) {
  if (!asked.empty()) return directory.unit(asked);
  auto units = directory.units();
  if (!units) return units.error();
  std::vector<OrgUnit> roots;
  std::copy_if(units->begin(), units->end(), std::back_inserter(roots),
               [](const OrgUnit& unit) { return unit.parent.empty(); });
  if (roots.size() != 1) {
    return make_error(ErrorCode::invalid_argument, "the organisation tree has " + std::to_string(roots.size()) +
                                                       " root units: name the unit that signs (--unit)");
  }
  return roots.front();
}

Result<Checkpoint> read_heads(Database& database, const std::string& unit, Timestamp now) {
  Checkpoint checkpoint;
  checkpoint.unit = unit;
  checkpoint.at = format_timestamp(now);
  try {
    const Database::ReadSnapshot snapshot(database);
    checkpoint.first_event = first_event_hash(database);
    std::tie(checkpoint.log_seq, checkpoint.log_hash) = newest(database, "events");
    std::tie(checkpoint.admin_seq, checkpoint.admin_hash) = newest(database, "admin_events");
    // Each case's head as the log holds it (not as the case row says it).
    SQLite::Statement cases(database.sql(),
                            "SELECT c.number, e.case_seq, e.case_hash FROM cases c "
                            "JOIN events e ON e.case_id = c.id AND e.case_seq = c.version ORDER BY c.id");
    while (cases.executeStep()) {
      checkpoint.cases.push_back(
          CaseHead{cases.getColumn(0).getString(), cases.getColumn(1).getInt64(), hex_of(cases.getColumn(2))});
    }
    const auto count = [&](const char* table) {
      return database.sql().execAndGet(std::string("SELECT COUNT(*) FROM ") + table).getInt64();
    };
    checkpoint.event_count = count("events");
    checkpoint.admin_event_count = count("admin_events");
    checkpoint.case_count = count("cases");
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, database.busy_timeout_ms());
  }
  return checkpoint;
}

std::string signed_bytes(const Checkpoint& checkpoint) { return json_of(checkpoint, false); }

std::string checkpoint_text(const Checkpoint& checkpoint) { return json_of(checkpoint, true) + "\n"; }

std::string checkpoint_file_name(const Checkpoint& checkpoint) {
  std::string stamp = checkpoint.at;
  std::erase_if(stamp, [](char character) { return character == '-' || character == ':'; });
  return "checkpoint-" + stamp + "-" + std::to_string(checkpoint.log_seq) + ".json";
}

Result<WrittenCheckpoint> write_checkpoint(Database& database, const SigningKey& key, const std::string& unit,
                                           Timestamp now, const std::filesystem::path& folder) {
  auto heads = read_heads(database, unit, now);
  if (!heads) return heads.error();
  WrittenCheckpoint written{std::move(heads.value()), folder / ""};
  written.checkpoint.key = key.public_key().hex();
  written.checkpoint.signature = to_hex(key.sign(signed_bytes(written.checkpoint)));
  std::error_code problem;
  std::filesystem::create_directories(folder, problem);
  if (problem)
    return make_error(ErrorCode::storage,
                      "cannot make the folder " + in_quotes(folder.string()) + ": " + problem.message());
  written.file = folder / checkpoint_file_name(written.checkpoint);
  if (Status stored = write_new_file(written.file, checkpoint_text(written.checkpoint), 0644); !stored)
    return stored.error();
  return written;
}

}  // namespace docket

namespace docket {
namespace {

// Reads the members of a parsed checkpoint; the first problem names its JSON path.
class CheckpointReader {
 public:
  explicit CheckpointReader(const rapidjson::Value& root) : root_(root) {}

  std::optional<Error> read(Checkpoint& checkpoint) {
    if (!root_.IsObject()) return problem("$", "expected an object");
    if (text(root_, "$", "format") != kFormat && !problem_)
      problem_ = problem("$.format", std::string("expected \"") + kFormat + "\"");
    checkpoint.unit = text(root_, "$", "unit");
    checkpoint.at = text(root_, "$", "at");
    checkpoint.key = text(root_, "$", "key");
    checkpoint.signature = text(root_, "$", "signature");
    const rapidjson::Value& database = object(root_, "$", "database");
    checkpoint.first_event = text(database, "$.database", "first_event");
    const rapidjson::Value& log = object(root_, "$", "log");
    checkpoint.log_seq = integer(log, "$.log", "seq");
    checkpoint.log_hash = text(log, "$.log", "hash");
    const rapidjson::Value& admin = object(root_, "$", "admin_log");
    checkpoint.admin_seq = integer(admin, "$.admin_log", "seq");
    checkpoint.admin_hash = text(admin, "$.admin_log", "hash");
    const rapidjson::Value& counts = object(root_, "$", "counts");
    checkpoint.event_count = integer(counts, "$.counts", "events");
    checkpoint.admin_event_count = integer(counts, "$.counts", "admin_events");
    checkpoint.case_count = integer(counts, "$.counts", "cases");
    const auto cases = root_.FindMember("cases");
    if (cases == root_.MemberEnd() || !cases->value.IsArray()) {
      note("$.cases", "expected an array");
      return problem_;
    }
    for (rapidjson::SizeType i = 0; i < cases->value.Size(); ++i) {
      const std::string path = "$.cases[" + std::to_string(i) + "]";
      const rapidjson::Value& head = cases->value[i];
      if (!head.IsObject()) {
        note(path, "expected an object");
        break;
      }
      checkpoint.cases.push_back(
          CaseHead{text(head, path, "case"), integer(head, path, "case_seq"), text(head, path, "case_hash")});
    }
    return problem_;
  }

 private:
  static Error problem(const std::string& path, const std::string& what) {
    return make_error(ErrorCode::invalid_argument, path + ": " + what);
  }
  void note(const std::string& path, const std::string& what) {
    if (!problem_) problem_ = problem(path, what);
  }
  const rapidjson::Value* member(const rapidjson::Value& parent, const std::string& path, const char* name) {
    if (!parent.IsObject()) return nullptr;
    const auto found = parent.FindMember(name);
    if (found == parent.MemberEnd()) {
      note(path + "." + name, "missing");
      return nullptr;
    }
    return &found->value;
  }
  std::string text(const rapidjson::Value& parent, const std::string& path, const char* name) {
    const rapidjson::Value* value = member(parent, path, name);
    if (value == nullptr) return "";
    if (!value->IsString()) note(path + "." + name, "expected a string");
    return value->IsString() ? std::string(value->GetString(), value->GetStringLength()) : "";
  }
  std::int64_t integer(const rapidjson::Value& parent, const std::string& path, const char* name) {
    const rapidjson::Value* value = member(parent, path, name);
    if (value == nullptr) return 0;
    if (!value->IsInt64() || value->GetInt64() < 0) note(path + "." + name, "expected a whole number, 0 or more");
    return value->IsInt64() ? value->GetInt64() : 0;
  }
  const rapidjson::Value& object(const rapidjson::Value& parent, const std::string& path, const char* name) {
    static const rapidjson::Value kEmpty(rapidjson::kObjectType);
    const rapidjson::Value* value = member(parent, path, name);
    if (value != nullptr && !value->IsObject()) note(path + "." + name, "expected an object");
    return value != nullptr && value->IsObject() ? *value : kEmpty;
  }

  const rapidjson::Value& root_;
  std::optional<Error> problem_;
};

CheckpointCheck broken(std::string chain, std::string problem) { return {false, std::move(chain), std::move(problem)}; }

// Where the event at `seq` of `table` stands against `hash`: nullopt when it is there with it.
std::optional<std::string> log_head_problem(Database& database, const char* table, std::int64_t seq,
                                            const std::string& hash) {
  SQLite::Statement query(database.sql(), std::string("SELECT hash FROM ") + table + " WHERE seq = ?");
  query.bind(1, static_cast<int64_t>(seq));
  if (!query.executeStep()) {
    return "event " + std::to_string(seq) + " is missing: the log now ends at event " +
           std::to_string(newest(database, table).first);
  }
  if (hex_of(query.getColumn(0)) != hash)
    return "event " + std::to_string(seq) + " has another hash than the checkpoint's: the log up to it was rewritten";
  return std::nullopt;
}

std::optional<CheckpointCheck> case_problem(SQLite::Statement& query, const CaseHead& head) {
  query.reset();
  query.bind(1, static_cast<int64_t>(head.case_seq));
  query.bind(2, head.case_number);
  const std::string chain = "case " + head.case_number;
  if (!query.executeStep())
    return broken(chain, "the case is gone (it held " + std::to_string(head.case_seq) + " events)");
  if (query.getColumn(1).isNull()) {
    return broken(chain, "event " + std::to_string(head.case_seq) + " is missing: the case now holds " +
                             std::to_string(query.getColumn(0).getInt64()) + " events");
  }
  if (hex_of(query.getColumn(1)) != head.case_hash) {
    return broken(chain, "event " + std::to_string(head.case_seq) +
                             " has another hash than the checkpoint's: the case's history up to it was rewritten");
  }
  return std::nullopt;
}

}  // namespace

Result<Checkpoint> parse_checkpoint(std::string_view text) {
  rapidjson::Document document;
  if (const auto problem = parse_json(text, document)) {
    return make_error(ErrorCode::invalid_argument, "not JSON (line " + std::to_string(problem->line) + ", column " +
                                                       std::to_string(problem->column) + "): " + problem->reason);
  }
  Checkpoint checkpoint;
  if (auto problem = CheckpointReader(document).read(checkpoint)) return *problem;
  return checkpoint;
}

bool signature_valid(const Checkpoint& checkpoint, const PublicKey& key) {
  const std::optional<std::string> signature = bytes_from_hex(checkpoint.signature);
  return signature && key.verifies(signed_bytes(checkpoint), *signature);
}

Result<CheckpointCheck> check_checkpoint(Database& database, const Checkpoint& checkpoint) {
  try {
    const Database::ReadSnapshot snapshot(database);
    if (first_event_hash(database) != checkpoint.first_event) {
      return broken("database",
                    "its first event is not the checkpoint's: another database, or a history "
                    "rewritten from its start");
    }
    SQLite::Statement case_head(database.sql(),
                                "SELECT c.version, e.case_hash FROM cases c "
                                "LEFT JOIN events e ON e.case_id = c.id AND e.case_seq = ? WHERE c.number = ?");
    for (const CaseHead& head : checkpoint.cases) {
      if (auto problem = case_problem(case_head, head)) return *problem;
    }
    if (checkpoint.log_seq > 0) {
      if (auto problem = log_head_problem(database, "events", checkpoint.log_seq, checkpoint.log_hash))
        return broken("case log", *problem);
    }
    if (checkpoint.admin_seq > 0) {
      if (auto problem = log_head_problem(database, "admin_events", checkpoint.admin_seq, checkpoint.admin_hash))
        return broken("administrative log", *problem);
    }
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, database.busy_timeout_ms());
  }
  return CheckpointCheck{};
}

}  // namespace docket
