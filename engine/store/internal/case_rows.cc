#include "store/internal/case_rows.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "store/internal/event_codec.h"
#include "store/internal/report_fact_rows.h"
#include "store/search_index.h"

namespace docket::rows {
namespace {

Timestamp read_time(const std::string& text) { return parse_datetime(text).value_or(Timestamp{}); }

std::string encode_deadline(const std::optional<CaseDeadline>& deadline) {
  if (!deadline) return "";
  std::map<std::string, std::string> values{
      {"stage", deadline->stage}, {"due", deadline->due}, {"due_at", format_timestamp(deadline->due_at)}};
  // Until a deadline is breached, escalated or provisional these are empty: left out (they read as empty).
  if (deadline->breached) values["breached"] = "yes";
  if (!deadline->escalated_to_role.empty()) values["escalated_to_role"] = deadline->escalated_to_role;
  if (!deadline->escalated_to_unit.empty()) values["escalated_to_unit"] = deadline->escalated_to_unit;
  if (!deadline->provisional.empty()) values["provisional"] = deadline->provisional;
  return encode_fields(values);
}

std::optional<CaseDeadline> decode_deadline(const std::string& json) {
  if (json.empty()) return std::nullopt;
  auto values = decode_fields(json);
  return CaseDeadline{values["stage"],
                      values["due"],
                      read_time(values["due_at"]),
                      !values["breached"].empty(),
                      values["escalated_to_role"],
                      values["escalated_to_unit"],
                      values["provisional"]};
}

void load_recommendations(StatementSource db, std::int64_t id, Case& state) {
  CachedStatement query_statement = db.prepare(R"sql(SELECT number, addressee, text, status, made_at, answer_text,
    COALESCE(answered_at, ''), reply_document FROM recommendations WHERE case_id = ? ORDER BY number)sql");
  SQLite::Statement& query = *query_statement;
  query.bind(1, id);
  while (query.executeStep()) {
    Recommendation r;
    r.number = query.getColumn(0).getInt();
    r.addressee = query.getColumn(1).getString();
    r.text = query.getColumn(2).getString();
    r.status = recommendation_status_from_string(query.getColumn(3).getString()).value_or(RecommendationStatus::sent);
    r.made_at = read_time(query.getColumn(4).getString());
    r.answer_text = query.getColumn(5).getString();
    if (const std::string answered = query.getColumn(6).getString(); !answered.empty())
      r.answered_at = read_time(answered);
    r.reply_document = query.getColumn(7).getString();
    state.recommendations.push_back(std::move(r));
  }
}

void load_documents(StatementSource db, std::int64_t id, Case& state) {
  CachedStatement query_statement =
      db.prepare(R"sql(SELECT kind, file_name, sha256, size, media_type, version, attached_at, attached_by, reference
    FROM documents WHERE case_id = ?)sql");
  SQLite::Statement& query = *query_statement;
  query.bind(1, id);
  while (query.executeStep()) {
    state.documents.push_back(DocumentRecord{
        query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getString(),
        query.getColumn(3).getInt64(), query.getColumn(4).getString(), query.getColumn(5).getInt(),
        read_time(query.getColumn(6).getString()), query.getColumn(7).getString(), query.getColumn(8).getString()});
  }
}

void write_recommendation(StatementSource db, std::int64_t id, const Recommendation& r) {
  CachedStatement upsert_statement = db.prepare(R"sql(INSERT OR REPLACE INTO recommendations
    (case_id, number, addressee, text, status, made_at, answer_text, answered_at, reply_document)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  SQLite::Statement& upsert = *upsert_statement;
  upsert.bind(1, id);
  upsert.bind(2, r.number);
  upsert.bind(3, r.addressee);
  upsert.bind(4, r.text);
  upsert.bind(5, to_string(r.status));
  upsert.bind(6, format_timestamp(r.made_at));
  upsert.bind(7, r.answer_text);
  if (r.answered_at) {
    upsert.bind(8, format_timestamp(*r.answered_at));
  } else {
    upsert.bind(8);
  }
  upsert.bind(9, r.reply_document);
  upsert.exec();
}

void write_document(StatementSource db, std::int64_t id, const DocumentRecord& d) {
  CachedStatement insert_statement = db.prepare(R"sql(INSERT INTO documents
    (case_id, kind, version, file_name, sha256, size, media_type, attached_at, attached_by, reference)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  SQLite::Statement& insert = *insert_statement;
  insert.bind(1, id);
  insert.bind(2, d.kind);
  insert.bind(3, d.version);
  insert.bind(4, d.file_name);
  insert.bind(5, d.sha256);
  insert.bind(6, static_cast<int64_t>(d.size));
  insert.bind(7, d.media_type);
  insert.bind(8, format_timestamp(d.attached_at));
  insert.bind(9, d.attached_by);
  insert.bind(10, d.reference);
  insert.exec();
}

// The outgoing register's line for a document issued by event `seq` of case `id`.
void write_register_entry(StatementSource db, std::int64_t id, std::int64_t seq, const std::string& unit,
                          const DocumentIssued& d, const Event& event) {
  CachedStatement insert_statement = db.prepare(R"sql(INSERT INTO outgoing_register
    (unit_id, register, year, number, reference, kind, title, case_id, event_seq, sha256, issued_at, issued_by)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  SQLite::Statement& insert = *insert_statement;
  insert.bind(1, unit);
  insert.bind(2, d.register_kind);
  insert.bind(3, d.year);
  insert.bind(4, d.number);
  insert.bind(5, d.reference);
  insert.bind(6, d.kind);
  insert.bind(7, d.title);
  insert.bind(8, id);
  insert.bind(9, static_cast<int64_t>(seq));
  insert.bind(10, d.sha256);
  insert.bind(11, format_timestamp(event.at));
  insert.bind(12, event.actor);
  insert.exec();
}

// The recommendations an event touches, if any.
std::vector<int> recommendations_of(const EventPayload& payload) {
  if (const auto* e = std::get_if<RecommendationAdded>(&payload)) return {e->number};
  if (const auto* e = std::get_if<RecommendationsIssued>(&payload)) return e->numbers;
  if (const auto* e = std::get_if<RecommendationAnswered>(&payload)) return {e->number};
  if (const auto* e = std::get_if<RecommendationUnanswered>(&payload)) return {e->number};
  if (const auto* e = std::get_if<RecommendationEscalated>(&payload)) return {e->number};
  return {};
}

// Where an open case is counted in open_case_counts: its place and whether its breach is recorded.
struct OpenPlace {
  const std::string* unit = nullptr;
  const std::string* workflow = nullptr;
  int version = 0;
  const std::string* stage = nullptr;
  bool breached = false;
  bool operator==(const OpenPlace& other) const {
    return *unit == *other.unit && *workflow == *other.workflow && version == other.version && *stage == *other.stage &&
           breached == other.breached;
  }
};

std::optional<OpenPlace> open_place(const WorkflowDefinition& definition, const Case* state) {
  if (state == nullptr || is_terminal(definition, state->stage)) return std::nullopt;
  return OpenPlace{&state->unit, &state->workflow_id, state->workflow_version, &state->stage,
                   state->deadline && state->deadline->breached};
}

// Keeps open_case_counts (schema.h, migration 12) in step with a case that moves from `before`
// (null: a new case) to `after`.
void count_open_case(StatementSource db, const WorkflowDefinition& definition, const Case* before, const Case& after) {
  const std::optional<OpenPlace> was = open_place(definition, before), is = open_place(definition, &after);
  if (was == is) return;
  CachedStatement count_statement = db.prepare(
      R"sql(INSERT INTO open_case_counts (unit_id, workflow_id, workflow_version, stage, open, breached)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (unit_id, workflow_id, workflow_version, stage)
      DO UPDATE SET open = open + excluded.open, breached = breached + excluded.breached)sql");
  SQLite::Statement& count = *count_statement;
  const auto add = [&](const OpenPlace& place, int sign) {
    count.reset();
    count.bind(1, *place.unit);
    count.bind(2, *place.workflow);
    count.bind(3, place.version);
    count.bind(4, *place.stage);
    count.bind(5, sign);
    count.bind(6, place.breached ? sign : 0);
    count.exec();
  };
  if (was) add(*was, -1);
  if (is) add(*is, +1);
}

// The unit an open case stands escalated to; empty when it is closed or not escalated.
std::string escalated_unit(const WorkflowDefinition& definition, const Case* state) {
  if (state == nullptr || !state->deadline || is_terminal(definition, state->stage)) return "";
  return state->deadline->escalated_to_unit;
}

// Keeps escalated_cases (schema.h, migration 12) in step with a case that moves from `before`.
void note_escalation(StatementSource db, const WorkflowDefinition& definition, std::int64_t case_id, const Case* before,
                     const Case& after) {
  const std::string was = escalated_unit(definition, before), is = escalated_unit(definition, &after);
  if (was == is) return;
  if (is.empty()) {
    CachedStatement remove = db.prepare("DELETE FROM escalated_cases WHERE case_id = ?");
    remove->bind(1, static_cast<int64_t>(case_id));
    remove->exec();
    return;
  }
  CachedStatement note = db.prepare("INSERT OR REPLACE INTO escalated_cases (case_id, unit_id) VALUES (?, ?)");
  note->bind(1, static_cast<int64_t>(case_id));
  note->bind(2, is);
  note->exec();
}

// A new case is inserted whole. A changed one updates only the columns whose value differs
// from `before` (the row as stored) plus the three every change moves: SQLite rewrites each
// index that covers a column named in SET, whether or not its value changed, so a comment or a
// document no longer rewrites the five indexes on cases (and their pages in the WAL), and a
// move between stages that are both open leaves cases_unit_open alone.
std::int64_t write_case_row(StatementSource db, const WorkflowDefinition& definition, std::int64_t id,
                            const Case* before, const Case& after, const Digest& last_hash) {
  const bool all = id == 0 || before == nullptr;
  const bool title = all || before->title != after.title;
  const bool stage = all || before->stage != after.stage;
  const bool closed = is_terminal(definition, after.stage);
  const bool closing = all || (stage && closed != is_terminal(definition, before->stage));
  const bool assignee = all || before->assignee != after.assignee;
  const bool fields = all || before->fields != after.fields;
  const bool entered = all || before->stage_entered_at != after.stage_entered_at;
  const bool deadline = all || before->deadline != after.deadline;
  std::string sql;
  if (id == 0) {
    sql = R"sql(INSERT INTO cases (number, workflow_id, workflow_version, title, unit_id, stage,
      closed, assignee, fields, version, opened_by, opened_at, stage_entered_at, updated_at, last_hash, deadline, due_at)
      VALUES (:number, :workflow, :wversion, :title, :unit, :stage, :closed, :assignee, :fields, :version, :opened_by,
              :opened_at, :entered, :updated, :hash, :deadline, :due_at))sql";
  } else {
    sql = "UPDATE cases SET version = :version, updated_at = :updated, last_hash = :hash";
    if (title) sql += ", title = :title";
    if (stage) sql += ", stage = :stage";
    if (closing) sql += ", closed = :closed";
    if (assignee) sql += ", assignee = :assignee";
    if (fields) sql += ", fields = :fields";
    if (entered) sql += ", stage_entered_at = :entered";
    if (deadline) sql += ", deadline = :deadline, due_at = :due_at";
    sql += " WHERE id = :id";
  }
  CachedStatement upsert_statement = db.prepare(sql);
  SQLite::Statement& upsert = *upsert_statement;
  if (id == 0) {
    upsert.bind(":number", after.number);
    upsert.bind(":workflow", after.workflow_id);
    upsert.bind(":wversion", after.workflow_version);
    upsert.bind(":unit", after.unit);
    upsert.bind(":opened_by", after.opened_by);
    upsert.bind(":opened_at", format_timestamp(after.opened_at));
  } else {
    upsert.bind(":id", static_cast<int64_t>(id));
  }
  upsert.bind(":version", static_cast<int64_t>(after.version));
  upsert.bind(":updated", format_timestamp(after.updated_at));
  upsert.bind(":hash", last_hash.data(), static_cast<int>(last_hash.size()));
  if (title) upsert.bind(":title", after.title);
  if (stage) upsert.bind(":stage", after.stage);
  if (closing) upsert.bind(":closed", closed ? 1 : 0);
  if (assignee) upsert.bind(":assignee", after.assignee);
  if (fields) upsert.bind(":fields", encode_fields(after.fields));
  if (entered) upsert.bind(":entered", format_timestamp(after.stage_entered_at));
  if (deadline) {
    upsert.bind(":deadline", encode_deadline(after.deadline));
    if (after.deadline) {
      upsert.bind(":due_at", format_timestamp(after.deadline->due_at));
    } else {
      upsert.bind(":due_at");
    }
  }
  upsert.exec();
  const std::int64_t case_id = id == 0 ? db.sql().getLastInsertRowid() : id;
  if (id == 0 || stage || deadline) {
    count_open_case(db, definition, before, after);
    note_escalation(db, definition, case_id, before, after);
  }
  return case_id;
}

}  // namespace

bool is_terminal(const WorkflowDefinition& definition, const std::string& stage) {
  const StageDefinition* found = definition.stage(stage);
  return found != nullptr && found->terminal;
}

const char* const kCaseColumns =
    "id, number, workflow_id, workflow_version, title, unit_id, stage, assignee, fields, version, opened_by, "
    "opened_at, "
    "stage_entered_at, updated_at, last_hash, deadline";

Case read_case_row(SQLite::Statement& row) {
  Case state;
  state.number = row.getColumn(1).getString();
  state.workflow_id = row.getColumn(2).getString();
  state.workflow_version = row.getColumn(3).getInt();
  state.title = row.getColumn(4).getString();
  state.unit = row.getColumn(5).getString();
  state.stage = row.getColumn(6).getString();
  state.assignee = row.getColumn(7).getString();
  state.fields = decode_fields(row.getColumn(8).getString());
  state.version = row.getColumn(9).getInt64();
  state.opened_by = row.getColumn(10).getString();
  state.opened_at = read_time(row.getColumn(11).getString());
  state.stage_entered_at = read_time(row.getColumn(12).getString());
  state.updated_at = read_time(row.getColumn(13).getString());
  state.deadline = decode_deadline(row.getColumn(15).getString());
  return state;
}

std::optional<LoadedCase> load_case(StatementSource db, const std::string& number) {
  CachedStatement query_statement = db.prepare(std::string("SELECT ") + kCaseColumns + " FROM cases WHERE number = ?");
  SQLite::Statement& query = *query_statement;
  query.bind(1, number);
  if (!query.executeStep()) return std::nullopt;
  LoadedCase loaded;
  loaded.id = query.getColumn(0).getInt64();
  loaded.state = read_case_row(query);
  const SQLite::Column hash = query.getColumn(14);
  loaded.last_hash = digest_from_bytes(hash.getBlob(), static_cast<std::size_t>(hash.getBytes()));
  load_recommendations(db, loaded.id, loaded.state);
  // In key order (kind, version) from the index, then sorted here: an ORDER BY on attached_at
  // would make SQLite build a temporary B-tree for every case read.
  load_documents(db, loaded.id, loaded.state);
  order_as_stored(loaded.state);
  return loaded;
}

std::optional<LoadedCase> CaseCache::take(Database& db, const std::string& number) {
  if (!unchanged_by_others(db)) cases_.clear();
  auto found = cases_.extract(number);
  if (found.empty()) return std::nullopt;
  return std::move(found.mapped());
}

const LoadedCase* CaseCache::find(Database& db, const std::string& number) {
  if (!unchanged_by_others(db)) cases_.clear();
  const auto found = cases_.find(number);
  return found == cases_.end() ? nullptr : &found->second;
}

void order_as_stored(Case& state) {
  const auto earlier = [](const DocumentRecord& a, const DocumentRecord& b) {
    return std::tie(a.attached_at, a.kind, a.version) < std::tie(b.attached_at, b.kind, b.version);
  };
  // Most often already in order (a change appends the newest): checked without the sort's buffer.
  if (!std::is_sorted(state.documents.begin(), state.documents.end(), earlier))
    std::stable_sort(state.documents.begin(), state.documents.end(), earlier);
}

LogTip::Tip LogTip::read(StatementSource db) {
  Tip tip;
  CachedStatement last_statement = db.prepare("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
  SQLite::Statement& last = *last_statement;
  if (last.executeStep()) {
    tip.seq = last.getColumn(0).getInt64();
    tip.hash = digest_from_bytes(last.getColumn(1).getBlob(), static_cast<std::size_t>(last.getColumn(1).getBytes()));
  }
  return tip;
}

LogTip::Tip LogTip::get(Database& db) {
  if (!unchanged_by_others(db)) tip_.reset();
  if (!tip_) tip_ = read(db);
  return *tip_;
}

void CaseCache::remember(LoadedCase loaded) {
  if (cases_.size() >= kMaxCases) cases_.clear();
  order_as_stored(loaded.state);
  std::string number = loaded.state.number;
  cases_.insert_or_assign(std::move(number), std::move(loaded));
}

Saved save(StatementSource db, const WorkflowDefinition& definition, std::int64_t id, const Digest& case_last_hash,
           const Case* before, const Case& after, const std::vector<Event>& events) {
  // The global chain continues from the newest event in the log.
  Database* database = db.database();
  LogTip* kept = database != nullptr && database->in_write() ? &database->writer_cache<LogTip>() : nullptr;
  const LogTip::Tip tip = kept != nullptr ? kept->get(*database) : LogTip::read(db);
  Digest log_hash = tip.hash;
  std::int64_t seq = tip.seq;
  // Both chains first (the hashed bytes name the case by number, not by row id), so the case
  // row is written once, with its newest hash; then the events, which reference it.
  struct Hashed {
    EventEnvelope envelope;
    Digest hash, case_hash;
  };
  std::vector<Hashed> hashed;
  hashed.reserve(events.size());
  Digest case_hash = case_last_hash;
  std::int64_t case_seq = after.version - static_cast<std::int64_t>(events.size());
  for (const Event& event : events) {
    EventEnvelope envelope{++seq,
                           after.number,
                           ++case_seq,
                           event_type(event.payload),
                           format_timestamp(event.at),
                           event.actor,
                           encode_payload(event.payload)};
    const std::string bytes = canonical_event_bytes(envelope);
    log_hash = sha256(log_hash, bytes);
    case_hash = sha256(case_hash, bytes);
    hashed.push_back({std::move(envelope), log_hash, case_hash});
  }
  id = write_case_row(db, definition, id, before, after, case_hash);
  CachedStatement insert_statement =
      db.prepare(R"sql(INSERT INTO events (seq, case_id, case_seq, type, at, actor, payload, hash, case_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  SQLite::Statement& insert = *insert_statement;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& event = events[i];
    const Hashed& row = hashed[i];
    insert.reset();
    insert.bind(1, static_cast<int64_t>(row.envelope.seq));
    insert.bind(2, static_cast<int64_t>(id));
    insert.bind(3, static_cast<int64_t>(row.envelope.case_seq));
    insert.bind(4, row.envelope.type);
    insert.bind(5, row.envelope.at);
    insert.bind(6, row.envelope.actor);
    insert.bind(7, row.envelope.payload_json);
    insert.bind(8, row.hash.data(), static_cast<int>(row.hash.size()));
    insert.bind(9, row.case_hash.data(), static_cast<int>(row.case_hash.size()));
    insert.exec();
    for (const int number : recommendations_of(event.payload)) {
      if (const Recommendation* touched = after.recommendation(number)) write_recommendation(db, id, *touched);
    }
    if (const auto* attached = std::get_if<DocumentAttached>(&event.payload)) {
      write_document(db, id,
                     DocumentRecord{attached->kind, attached->file_name, attached->sha256, attached->size,
                                    attached->media_type, attached->version, event.at, event.actor});
    } else if (const auto* issued = std::get_if<DocumentIssued>(&event.payload)) {
      write_document(db, id,
                     DocumentRecord{issued->kind, issued->file_name, issued->sha256, issued->size, issued->media_type,
                                    issued->version, event.at, event.actor, issued->reference});
      write_register_entry(db, id, row.envelope.seq, after.unit, *issued, event);
    }
  }
  SearchIndex::changed(db, id, before, after, events);
  save_report_facts(db, definition, id, before, after, events);
  if (kept != nullptr) {
    kept->set({seq, log_hash});
    database->writer_cache<CaseCache>().remember(LoadedCase{id, after, case_hash});
  }
  return Saved{id, seq};
}

void store_blob(StatementSource db, const Upload& upload) {
  CachedStatement insert_statement = db.prepare("INSERT OR IGNORE INTO blobs (sha256, size, content) VALUES (?, ?, ?)");
  SQLite::Statement& insert = *insert_statement;
  insert.bind(1, upload.sha256());
  insert.bind(2, static_cast<int64_t>(upload.content.size()));
  insert.bind(3, upload.content.data(), static_cast<int>(upload.content.size()));
  insert.exec();
}

int next_register_number(StatementSource db, const std::string& unit, const std::string& register_kind, int year) {
  CachedStatement last_statement = db.prepare(
      "SELECT COALESCE(MAX(number), 0) + 1 FROM outgoing_register WHERE unit_id = ? AND register = ? AND year = ?");
  SQLite::Statement& last = *last_statement;
  last.bind(1, unit);
  last.bind(2, register_kind);
  last.bind(3, year);
  last.executeStep();
  return last.getColumn(0).getInt();
}

std::string next_case_number(StatementSource db, const std::string& prefix, int year) {
  CachedStatement bump_statement = db.prepare(R"sql(INSERT INTO case_counters (prefix, year, last) VALUES (?, ?, 1)
    ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1 RETURNING last)sql");
  SQLite::Statement& bump = *bump_statement;
  bump.bind(1, prefix);
  bump.bind(2, year);
  bump.executeStep();
  char number[64];
  std::snprintf(number, sizeof number, "%s-%04d-%04lld", prefix.c_str(), year,
                static_cast<long long>(bump.getColumn(0).getInt64()));
  return number;
}

}  // namespace docket::rows
