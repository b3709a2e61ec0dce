#include "store/internal/report_fact_rows.h"

#include "core/clock.h"
#include "store/internal/event_codec.h"
#include "store/report_facts.h"
#include "store/workflow_registry.h"

namespace docket::rows {
namespace {

void write_facts(StatementSource db, std::int64_t id, const Case& state, const WorkflowDefinition& definition,
                 const ReportFacts& facts) {
  CachedStatement upsert_statement = db.prepare(R"sql(INSERT OR REPLACE INTO report_facts
    (unit_id, opened_day, case_id, number, workflow_id, workflow_version, closed_day, closed_visible, facts)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  SQLite::Statement& upsert = *upsert_statement;
  upsert.bind(1, state.unit);
  upsert.bind(2, vietnam_day(facts.opened_at));
  upsert.bind(3, static_cast<int64_t>(id));
  upsert.bind(4, state.number);
  upsert.bind(5, definition.id);
  upsert.bind(6, definition.version);
  if (facts.closed_at) {
    upsert.bind(7, vietnam_day(*facts.closed_at));
    upsert.bind(8, static_cast<int64_t>(facts.closed_visible));
  } else {
    upsert.bind(7);
    upsert.bind(8);
  }
  const std::string bytes = encode_report_facts(facts);
  upsert.bind(9, bytes.data(), static_cast<int>(bytes.size()));
  upsert.exec();
}

// Case `id`'s stored events, oldest first.
std::vector<Event> stored_history(StatementSource db, std::int64_t id) {
  CachedStatement query_statement =
      db.prepare("SELECT type, at, actor, payload FROM events WHERE case_id = ? ORDER BY case_seq");
  SQLite::Statement& query = *query_statement;
  query.bind(1, static_cast<int64_t>(id));
  std::vector<Event> events;
  while (query.executeStep()) {
    auto payload = decode_payload(query.getColumn(0).getString(), query.getColumn(3).getString());
    if (!payload) throw SQLite::Exception("event of case " + std::to_string(id) + ": " + payload.error().message);
    events.push_back(Event{std::move(payload.value()),
                           parse_datetime(query.getColumn(1).getString()).value_or(Timestamp{}),
                           query.getColumn(2).getString()});
  }
  return events;
}

}  // namespace

void save_report_facts(StatementSource db, const WorkflowDefinition& definition, std::int64_t id, const Case* before,
                       const Case& after, const std::vector<Event>& events) {
  if (before == nullptr || before->number.empty()) {
    ReportFactsBuilder builder(definition);
    for (const Event& event : events) builder.add(event);
    write_facts(db, id, after, definition, builder.facts());
    return;
  }
  CachedStatement query_statement =
      db.prepare("SELECT facts FROM report_facts WHERE unit_id = ? AND opened_day = ? AND case_id = ?");
  SQLite::Statement& query = *query_statement;
  query.bind(1, before->unit);
  query.bind(2, vietnam_day(before->opened_at.time_since_epoch().count()));
  query.bind(3, static_cast<int64_t>(id));
  std::optional<ReportFacts> kept;
  if (query.executeStep()) {
    const SQLite::Column blob = query.getColumn(0);
    kept = decode_report_facts(
        std::string_view(static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes())));
  }
  query.reset();
  if (!kept) {  // none kept: the whole history, the new events included (written already)
    write_facts(db, id, after, definition, report_facts_of(definition, stored_history(db, id)));
    return;
  }
  ReportFactsBuilder builder(definition, std::move(*kept), *before);
  for (const Event& event : events) builder.add(event);
  write_facts(db, id, after, definition, builder.facts());
}

void rebuild_report_facts(Database& database) {
  SQLite::Database& db = database.sql();
  db.exec("DELETE FROM report_facts");
  if (db.execAndGet("SELECT COUNT(*) FROM cases").getInt64() == 0) return;
  static const SystemClock clock;  // only installing reads the clock
  auto catalog = WorkflowRegistry(database, clock).catalog();
  if (!catalog) throw SQLite::Exception("filling the report facts: " + catalog.error().message);
  // Every event in case order, through the (case_id, case_seq) index.
  SQLite::Statement query(db, R"sql(SELECT c.id, c.workflow_id, c.workflow_version, e.type, e.at, e.actor, e.payload
    FROM cases c JOIN events e ON e.case_id = c.id ORDER BY c.id, e.case_seq)sql");
  std::int64_t current = 0;
  const WorkflowDefinition* definition = nullptr;
  std::optional<ReportFactsBuilder> builder;
  const auto finish = [&] {
    if (builder) write_facts(database, current, builder->state(), *definition, builder->facts());
    builder.reset();
  };
  while (query.executeStep()) {
    const std::int64_t id = query.getColumn(0).getInt64();
    if (id != current) {
      finish();
      current = id;
      definition = catalog->find(query.getColumn(1).getString(), query.getColumn(2).getInt());
      if (definition != nullptr) builder.emplace(*definition);
    }
    if (!builder) continue;
    auto payload = decode_payload(query.getColumn(3).getString(), query.getColumn(6).getString());
    if (!payload) throw SQLite::Exception("event of case " + std::to_string(id) + ": " + payload.error().message);
    builder->add(Event{std::move(payload.value()), parse_datetime(query.getColumn(4).getString()).value_or(Timestamp{}),
                       query.getColumn(5).getString()});
  }
  finish();
}

}  // namespace docket::rows
