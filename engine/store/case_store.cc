#include "store/case_store.h"

#include <algorithm>

#include "store/internal/case_rows.h"
#include "store/internal/event_codec.h"
#include "store/internal/hash.h"
#include "store/internal/unit_list.h"

namespace docket {

std::string guess_media_type(const std::string& file_name) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".pdf", "application/pdf"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/markdown; charset=utf-8"},
      {".doc", "application/msword"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {".xls", "application/vnd.ms-excel"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".odt", "application/vnd.oasis.opendocument.text"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".png", "image/png"},
      {".json", "application/json"},
      {".csv", "text/csv; charset=utf-8"},
      {".html", "text/html; charset=utf-8"}};
  std::string lower = file_name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [extension, type] : kTypes) {
    const std::string_view ext(extension);
    if (lower.size() >= ext.size() && lower.compare(lower.size() - ext.size(), ext.size(), ext) == 0) return type;
  }
  return "application/octet-stream";
}

std::string Upload::sha256() const { return sha256_hex(content); }

Result<Case> CaseStore::get(const std::string& number) {
  try {
    auto loaded = rows::load_case(db_, number);
    if (!loaded) return make_error(ErrorCode::not_found, "unknown case " + in_quotes(number));
    return loaded->state;
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, db_.busy_timeout_ms());
  }
}

Result<std::shared_ptr<const Case>> CaseStore::read(const std::string& number) {
  constexpr std::size_t kMaxCached = 4096;
  try {
    const auto generation = db_.generation();  // before reading: a commit after it moves it
    auto& readings = db_.reader_cache<Readings>().by_number;
    if (generation) {
      if (const auto cached = readings.find(number); cached != readings.end()) {
        Readings::Reading& shared = cached->second;
        if (shared.seen_at == *generation) return shared.state;
        CachedStatement version_statement = db_.prepare("SELECT version FROM cases WHERE number = ?");
        SQLite::Statement& version = *version_statement;
        version.bind(1, number);
        if (version.executeStep() && version.getColumn(0).getInt64() == shared.state->version) {
          shared.seen_at = *generation;
          return shared.state;
        }
      }
    }
    auto loaded = rows::load_case(db_, number);
    if (!loaded) {
      readings.erase(number);
      return make_error(ErrorCode::not_found, "unknown case " + in_quotes(number));
    }
    auto shared = std::make_shared<const Case>(std::move(loaded->state));
    if (generation) {
      if (readings.size() >= kMaxCached) readings.clear();
      readings.insert_or_assign(number, Readings::Reading{shared, *generation});
    }
    return shared;
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, db_.busy_timeout_ms());
  }
}

Result<std::vector<Case>> CaseStore::list(const CaseFilter& filter) {
  return catch_storage(db_, [&] { return list_cases(filter); });
}

std::vector<Case> CaseStore::list_cases(const CaseFilter& filter) {
  std::string sql = std::string("SELECT ") + rows::kCaseColumns + " FROM cases WHERE 1 = 1";
  if (!filter.workflow.empty()) sql += " AND workflow_id = :workflow";
  if (!filter.stage.empty()) sql += " AND stage = :stage";
  if (!filter.unit.empty()) sql += " AND unit_id = :unit";
  // "<> ''" lets SQLite use the partial index cases_assignee.
  if (!filter.assignee.empty()) sql += " AND assignee = :assignee AND assignee <> ''";
  if (filter.open_only) sql += " AND closed = 0";
  if (!filter.after_number.empty()) sql += " AND number > :after";
  sql += unit_list_sql("unit_id", filter.units.size());
  const bool by_number = filter.by_number || !filter.after_number.empty() || !filter.units.empty();
  sql += by_number ? " ORDER BY number LIMIT :limit" : " ORDER BY id LIMIT :limit";
  SQLite::Statement query(db_.sql(), sql);  // not cached: the SQL varies with the number of units
  if (!filter.workflow.empty()) query.bind(":workflow", filter.workflow);
  if (!filter.stage.empty()) query.bind(":stage", filter.stage);
  if (!filter.unit.empty()) query.bind(":unit", filter.unit);
  if (!filter.assignee.empty()) query.bind(":assignee", filter.assignee);
  if (!filter.after_number.empty()) query.bind(":after", filter.after_number);
  bind_unit_list(query, filter.units);
  query.bind(":limit", filter.limit);
  std::vector<Case> cases;
  while (query.executeStep()) cases.push_back(rows::read_case_row(query));
  return cases;
}

Result<std::vector<StoredEvent>> CaseStore::history(const std::string& number) {
  return catch_storage(db_, [&] { return read_history(number); });
}

Result<std::vector<StoredEvent>> CaseStore::read_history(const std::string& number) {
  CachedStatement query_statement = db_.prepare(R"sql(
    SELECT e.seq, e.case_seq, e.type, e.at, e.actor, e.payload, e.hash, e.case_hash,
           (SELECT p.hash FROM events p WHERE p.seq = e.seq - 1)
    FROM events e JOIN cases c ON c.id = e.case_id WHERE c.number = ? ORDER BY e.case_seq)sql");
  SQLite::Statement& query = *query_statement;
  query.bind(1, number);
  std::vector<StoredEvent> events;
  std::string case_prev = to_hex(Digest{});
  while (query.executeStep()) {
    StoredEvent stored;
    stored.seq = query.getColumn(0).getInt64();
    stored.case_number = number;
    stored.case_seq = query.getColumn(1).getInt64();
    stored.type = query.getColumn(2).getString();
    stored.payload_json = query.getColumn(5).getString();
    auto payload = decode_payload(stored.type, stored.payload_json);
    if (!payload) return payload.error();
    stored.event =
        Event{std::move(payload.value()), parse_datetime(query.getColumn(3).getString()).value_or(Timestamp{}),
              query.getColumn(4).getString()};
    const auto hex = [&](int column) {
      const SQLite::Column blob = query.getColumn(column);
      return to_hex(digest_from_bytes(blob.getBlob(), static_cast<std::size_t>(blob.getBytes())));
    };
    stored.hash = hex(6);
    stored.case_hash = hex(7);
    stored.prev_hash = hex(8);
    stored.case_prev_hash = case_prev;
    case_prev = stored.case_hash;
    events.push_back(std::move(stored));
  }
  if (events.empty()) return make_error(ErrorCode::not_found, "unknown case " + in_quotes(number));
  return events;
}

Result<std::string> CaseStore::document_content(const std::string& sha256) {
  return catch_storage(db_, [&]() -> Result<std::string> {
    CachedStatement query_statement = db_.prepare("SELECT content FROM blobs WHERE sha256 = ?");
    SQLite::Statement& query = *query_statement;
    query.bind(1, sha256);
    if (!query.executeStep()) return make_error(ErrorCode::not_found, "no document with SHA-256 " + sha256);
    const SQLite::Column content = query.getColumn(0);
    std::string bytes(static_cast<const char*>(content.getBlob()), static_cast<std::size_t>(content.getBytes()));
    // A blob changed behind Docket's back must not be served as the document recorded (its
    // SHA-256 is the ETag and the events' record): hashing costs less than reading it did.
    if (const std::string actual = sha256_hex(bytes); actual != sha256)
      return make_error(ErrorCode::integrity, "the stored bytes of document " + sha256 + " hash to " + actual +
                                                  ": they were changed outside Docket; restore them from a backup");
    return bytes;
  });
}

Result<std::int64_t> CaseStore::event_count() {
  return catch_storage(db_, [&] { return db_.sql().execAndGet("SELECT COUNT(*) FROM events").getInt64(); });
}

Status CaseStore::each_report_facts(const std::string& unit, Date from, Date to, Timestamp cutoff,
                                    const std::function<Status(const ReportFactsRow&)>& each) {
  return catch_storage(db_, [&]() -> Status {
    CachedStatement query_statement = db_.prepare(R"sql(
      SELECT number, workflow_id, workflow_version, facts FROM report_facts
      WHERE unit_id = ? AND opened_day <= ? AND (closed_day IS NULL OR closed_day >= ? OR closed_visible > ?))sql");
    SQLite::Statement& query = *query_statement;
    const auto day = [](Date date) { return static_cast<int>(std::chrono::sys_days{date}.time_since_epoch().count()); };
    query.bind(1, unit);
    query.bind(2, day(to));
    query.bind(3, day(from));
    query.bind(4, static_cast<int64_t>(cutoff.time_since_epoch().count()));
    ReportFactsRow row;
    row.unit = unit;
    while (query.executeStep()) {
      row.number = query.getColumn(0).getString();
      row.workflow_id = query.getColumn(1).getString();
      row.workflow_version = query.getColumn(2).getInt();
      const SQLite::Column blob = query.getColumn(3);
      auto facts = decode_report_facts(
          std::string_view(static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes())));
      if (!facts)
        return make_error(ErrorCode::internal, "the report facts of case " + in_quotes(row.number) + " are damaged");
      row.facts = std::move(*facts);
      if (Status done = each(row); !done) return done;
    }
    return Ok{};
  });
}

}  // namespace docket
