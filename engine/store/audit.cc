#include "store/audit.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <unordered_map>

#include "core/text.h"
#include "store/event_codec.h"
#include "store/hash.h"

namespace docket {
namespace {

struct Row {
  std::int64_t seq;
  std::string case_number;
  std::int64_t case_id;
  std::int64_t case_seq;
  EventEnvelope envelope;
  Digest hash;
  Digest case_hash;
};

constexpr const char* kEventsInOrder = R"sql(
  SELECT e.seq, c.number, e.case_id, e.case_seq, e.type, e.at, e.actor, e.payload, e.hash, e.case_hash
  FROM events e JOIN cases c ON c.id = e.case_id)sql";

Row read_row(SQLite::Statement& query) {
  Row row;
  row.seq = query.getColumn(0).getInt64();
  row.case_number = query.getColumn(1).getString();
  row.case_id = query.getColumn(2).getInt64();
  row.case_seq = query.getColumn(3).getInt64();
  row.envelope = EventEnvelope{row.seq, row.case_number, row.case_seq, query.getColumn(4).getString(),
                               query.getColumn(5).getString(), query.getColumn(6).getString(), query.getColumn(7).getString()};
  row.hash = digest_from_bytes(query.getColumn(8).getBlob(), static_cast<std::size_t>(query.getColumn(8).getBytes()));
  row.case_hash = digest_from_bytes(query.getColumn(9).getBlob(), static_cast<std::size_t>(query.getColumn(9).getBytes()));
  return row;
}

AuditReport broken(const Row& row, std::int64_t checked, std::string problem) {
  return AuditReport{false, checked, row.seq, row.case_number, row.case_seq, std::move(problem)};
}

// One case's chain as verification walks the log: the case number (part of the hashed bytes),
// the last case_seq seen and the chain's hash so far.
struct CaseChain {
  std::string number;
  std::int64_t last_seq = 0;
  Digest hash{};
};

// Every case's chain, indexed by case id (dense row ids: a vector costs a fraction of a hash
// map's memory and time at a million cases, and spares the log scan a join per event).
std::vector<CaseChain> case_chains(SQLite::Database& db) {
  std::vector<CaseChain> chains(
      static_cast<std::size_t>(db.execAndGet("SELECT COALESCE(MAX(id), 0) + 1 FROM cases").getInt64()));
  SQLite::Statement cases(db, "SELECT id, number FROM cases");
  while (cases.executeStep())
    chains[static_cast<std::size_t>(cases.getColumn(0).getInt64())].number = cases.getColumn(1).getString();
  return chains;
}

void assign_text(std::string& target, const SQLite::Column& column) {
  target.assign(column.getText(), static_cast<std::size_t>(column.getBytes()));
}

}  // namespace

AuditReport verify_audit(Database& database) {
  AuditReport report;
  try {
    std::vector<CaseChain> chains = case_chains(database.sql());
    SQLite::Statement query(
        database.sql(),
        "SELECT seq, case_id, case_seq, type, at, actor, payload, hash, case_hash FROM events ORDER BY seq");
    Digest log_hash{};
    std::int64_t expected_seq = 1;
    Row row{};  // reused: its strings keep their buffers from one event to the next
    while (query.executeStep()) {
      row.seq = query.getColumn(0).getInt64();
      row.case_id = query.getColumn(1).getInt64();
      row.case_seq = query.getColumn(2).getInt64();
      CaseChain* chain = row.case_id > 0 && static_cast<std::size_t>(row.case_id) < chains.size()
                             ? &chains[static_cast<std::size_t>(row.case_id)]
                             : nullptr;
      row.case_number = chain != nullptr ? chain->number : std::string();
      if (chain == nullptr || chain->number.empty()) return broken(row, report.events_checked, "it belongs to no case");
      if (row.seq != expected_seq) return broken(row, report.events_checked, "an event is missing before it (expected log sequence " + std::to_string(expected_seq) + ")");
      if (row.case_seq != chain->last_seq + 1)
        return broken(row, report.events_checked, "an event of this case is missing before it");
      row.envelope.seq = row.seq;
      row.envelope.case_number = chain->number;
      row.envelope.case_seq = row.case_seq;
      assign_text(row.envelope.type, query.getColumn(3));
      assign_text(row.envelope.at, query.getColumn(4));
      assign_text(row.envelope.actor, query.getColumn(5));
      assign_text(row.envelope.payload_json, query.getColumn(6));
      const std::string bytes = canonical_event_bytes(row.envelope);
      log_hash = sha256(log_hash, bytes);
      chain->hash = sha256(chain->hash, bytes);
      const SQLite::Column hash = query.getColumn(7), case_hash = query.getColumn(8);
      if (log_hash != digest_from_bytes(hash.getBlob(), static_cast<std::size_t>(hash.getBytes())) ||
          chain->hash != digest_from_bytes(case_hash.getBlob(), static_cast<std::size_t>(case_hash.getBytes()))) {
        return broken(row, report.events_checked, "its stored hash does not match its content: the event was changed");
      }
      chain->last_seq = row.case_seq;
      ++expected_seq;
      ++report.events_checked;
    }
    // Each case row records its newest event's hash and its version: a history cut short at the
    // end (the newest events deleted) no longer reaches them.
    SQLite::Statement cases(database.sql(), "SELECT id, number, version, last_hash FROM cases ORDER BY id");
    while (cases.executeStep()) {
      const CaseChain& chain = chains[static_cast<std::size_t>(cases.getColumn(0).getInt64())];
      const Digest recorded = digest_from_bytes(cases.getColumn(3).getBlob(), static_cast<std::size_t>(cases.getColumn(3).getBytes()));
      if (chain.last_seq != cases.getColumn(2).getInt64() || recorded != chain.hash) {
        return AuditReport{false,
                           report.events_checked,
                           0,
                           cases.getColumn(1).getString(),
                           chain.last_seq + 1,
                           "the case's history ends early: its newest events are missing"};
      }
    }
  } catch (const SQLite::Exception& problem) {
    report.ok = false;
    report.problem = problem.what();
  }
  return report;
}

Status export_audit(Database& database, const std::optional<std::string>& case_number, std::ostream& out) {
  try {
    SQLite::Statement query(database.sql(),
                            "SELECT e.seq, c.number, e.case_id, e.case_seq, e.type, e.at, e.actor, e.payload, e.hash, "
                            "e.case_hash, (SELECT p.hash FROM events p WHERE p.seq = e.seq - 1) "
                            "FROM events e JOIN cases c ON c.id = e.case_id" +
                                std::string(case_number ? " WHERE c.number = ? ORDER BY e.case_seq" : " ORDER BY e.seq"));
    if (case_number) {
      SQLite::Statement exists(database.sql(), "SELECT 1 FROM cases WHERE number = ?");
      exists.bind(1, *case_number);
      if (!exists.executeStep()) return make_error(ErrorCode::not_found, "unknown case " + in_quotes(*case_number));
      query.bind(1, *case_number);
    }
    std::unordered_map<std::int64_t, Digest> case_prev;
    while (query.executeStep()) {
      const Row row = read_row(query);
      const Digest prev = digest_from_bytes(query.getColumn(10).getBlob(), static_cast<std::size_t>(query.getColumn(10).getBytes()));
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> line(buffer);
      const auto text = [&](const char* key, const std::string& value) {
        line.Key(key);
        line.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
      };
      line.StartObject();
      line.Key("seq"), line.Int64(row.seq);
      text("case", row.case_number);
      line.Key("case_seq"), line.Int64(row.case_seq);
      text("type", row.envelope.type);
      text("at", row.envelope.at);
      text("actor", row.envelope.actor);
      line.Key("payload"), line.RawValue(row.envelope.payload_json.c_str(), row.envelope.payload_json.size(), rapidjson::kObjectType);
      text("prev_hash", to_hex(prev));
      text("hash", to_hex(row.hash));
      text("case_prev_hash", to_hex(case_prev[row.case_id]));
      text("case_hash", to_hex(row.case_hash));
      line.EndObject();
      case_prev[row.case_id] = row.case_hash;
      out << buffer.GetString() << '\n';
    }
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, database.busy_timeout_ms());
  }
  return Ok{};
}

}  // namespace docket
