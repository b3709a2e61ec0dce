#include "store/case_store.h"

#include <algorithm>
#include <iterator>

#include "core/state_machine.h"
#include "store/case_rows.h"
#include "store/event_codec.h"
#include "store/hash.h"
#include "store/plugin_host.h"

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

namespace {

bool blob_exists(Database& db, const std::string& sha256) {
  CachedStatement query_statement = db.prepare("SELECT 1 FROM blobs WHERE sha256 = ?");
  SQLite::Statement& query = *query_statement;
  query.bind(1, sha256);
  return query.executeStep();
}

std::string workflow_ids(const WorkflowCatalog& catalog) {
  std::string ids;
  for (const auto* definition : catalog.latest_of_each()) ids += (ids.empty() ? "" : ", ") + definition->id;
  return ids;
}

}  // namespace

std::string Upload::sha256() const { return sha256_hex(content); }

Result<Case> CaseStore::open(const std::string& workflow_id, const std::string& user, OpenCase open) {
  const WorkflowDefinition* definition = catalog_.latest(workflow_id);
  if (definition == nullptr) {
    return make_error(ErrorCode::not_found,
                      "unknown workflow " + in_quotes(workflow_id) + " (installed: " + workflow_ids(catalog_) + ")");
  }
  std::optional<Case> opened;
  const Status written = db_.write([&]() -> Status {
    // Holding a role there proves user and unit exist; only without one are they looked up
    // (Directory::user reads every role the user holds).
    DOCKET_TRY(roles, directory_.roles_at(user, open.unit));
    const Actor actor{user, std::move(roles.value()), false};
    if (actor.roles.empty()) {
      if (auto known = directory_.user(user); !known) return known.error();
      if (auto unit = directory_.unit(open.unit); !unit) return unit.error();
    }
    const Timestamp now = clock_.now();
    open.number = rows::next_case_number(db_, definition->case_prefix, static_cast<int>(vietnam_date(now).year()));
    auto outcome = docket::execute(*definition, Case{}, actor, now, open);
    if (!outcome) return outcome.error();  // rolls back, so the number is not used up
    PluginHost host(db_, *calendar_, now);
    if (const Status done = host.after_change(plugins_, *definition, Case{}, outcome->state, outcome->events); !done)
      return done;
    const rows::Saved saved = rows::save(db_, *definition, 0, Digest{}, nullptr, outcome->state, outcome->events);
    host.flush(saved.case_id, saved.newest_seq);
    opened = std::move(outcome->state);
    return Ok{};
  });
  if (!written) return written.error();
  return std::move(*opened);
}

Result<Case> CaseStore::execute(const std::string& number, const std::string& user,
                                const std::vector<Command>& commands, std::optional<std::int64_t> expected_version,
                                const std::vector<Upload>& uploads, const std::function<Status(const Case&)>& check) {
  return run(number, nullptr, user, commands, expected_version, uploads, check);
}

std::vector<Result<Case>> CaseStore::execute_batch(const std::vector<CaseCommand>& batch) {
  std::vector<Result<Case>> results(batch.size(), Result<Case>(make_error(ErrorCode::internal, "not run")));
  std::vector<std::function<Status()>> works;
  works.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    works.emplace_back([this, &batch, &results, i]() -> Status {
      const CaseCommand& request = batch[i];
      results[i] =
          run(request.number, nullptr, request.user, request.commands, request.expected_version, request.uploads);
      if (!results[i]) return results[i].error();
      return Ok{};
    });
  }
  const std::vector<Status> statuses = db_.write_batch(works);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!statuses[i]) results[i] = statuses[i].error();  // refused, or the batch did not commit
  }
  return results;
}

Result<Case> CaseStore::execute_as_system(const std::string& number, const std::vector<Command>& commands,
                                          std::optional<std::int64_t> expected_version) {
  const Actor scheduler = Actor::scheduler();
  return run(number, &scheduler, scheduler.user, commands, expected_version, {});
}

Result<Case> CaseStore::run(const std::string& number, const Actor* actor, const std::string& user,
                            const std::vector<Command>& commands, std::optional<std::int64_t> expected_version,
                            const std::vector<Upload>& uploads, const std::function<Status(const Case&)>& check) {
  if (commands.empty()) return make_error(ErrorCode::invalid_argument, "nothing to do");
  std::optional<Case> result;
  const Status written = db_.write([&]() -> Status {
    // Taken out of the cache: save() puts the new state back; an error rolls back, which empties it.
    std::optional<rows::LoadedCase> loaded = db_.deferred<rows::CaseCache>().take(db_, number);
    if (!loaded) loaded = rows::load_case(db_, number);
    if (!loaded) return make_error(ErrorCode::not_found, "unknown case " + in_quotes(number));
    if (check) {
      if (const Status allowed = check(loaded->state); !allowed) return allowed;
    }
    if (expected_version && *expected_version != loaded->state.version) {
      return make_error(ErrorCode::conflict,
                        "case " + number + " is at version " + std::to_string(loaded->state.version) + ", not " +
                            std::to_string(*expected_version) + ": it changed since you read it; reload and try again");
    }
    const WorkflowDefinition* definition = catalog_.find(loaded->state.workflow_id, loaded->state.workflow_version);
    if (definition == nullptr) {
      return make_error(ErrorCode::internal, "case " + number + " follows " + loaded->state.workflow_id + " v" +
                                                 std::to_string(loaded->state.workflow_version) +
                                                 ", which is not installed");
    }
    Actor acting = actor != nullptr ? *actor : Actor{user, {}, false};
    if (actor == nullptr) {
      DOCKET_TRY(roles, directory_.roles_at(user, loaded->state.unit));
      acting.roles = std::move(roles.value());
      if (acting.roles.empty()) {
        if (auto known = directory_.user(user); !known) return known.error();
      }
    }
    const Timestamp now = clock_.now();
    Case state;  // after the commands run so far
    const Case* current = &loaded->state;
    std::vector<Event> events;
    for (const Command& command : commands) {
      auto outcome = docket::execute(*definition, *current, acting, now, command);
      if (!outcome) return outcome.error();
      events.insert(events.end(), std::make_move_iterator(outcome->events.begin()),
                    std::make_move_iterator(outcome->events.end()));
      state = std::move(outcome->state);
      current = &state;
    }
    rows::order_as_stored(state);
    PluginHost host(db_, *calendar_, now);
    if (const Status done = host.after_change(plugins_, *definition, loaded->state, state, events); !done) return done;
    for (const Upload& upload : uploads) rows::store_blob(db_, upload);
    for (const Event& event : events) {
      const auto* attached = std::get_if<DocumentAttached>(&event.payload);
      if (attached != nullptr && !blob_exists(db_, attached->sha256)) {
        return make_error(ErrorCode::invalid_argument,
                          "the content of document " + in_quotes(attached->file_name) + " was not uploaded");
      }
    }
    const rows::Saved saved =
        rows::save(db_, *definition, loaded->id, loaded->last_hash, &loaded->state, state, events);
    host.flush(saved.case_id, saved.newest_seq);
    result = std::move(state);
    return Ok{};
  });
  if (!written) return written.error();
  return std::move(*result);
}

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
    if (generation) {
      if (const auto cached = read_cache_.find(number); cached != read_cache_.end()) {
        SharedRead& shared = cached->second;
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
      read_cache_.erase(number);
      return make_error(ErrorCode::not_found, "unknown case " + in_quotes(number));
    }
    auto shared = std::make_shared<const Case>(std::move(loaded->state));
    if (generation) {
      if (read_cache_.size() >= kMaxCached) read_cache_.clear();
      read_cache_.insert_or_assign(number, SharedRead{shared, *generation});
    }
    return shared;
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, db_.busy_timeout_ms());
  }
}

std::vector<Case> CaseStore::list(const CaseFilter& filter) {
  std::string sql = std::string("SELECT ") + rows::kCaseColumns + " FROM cases WHERE 1 = 1";
  if (!filter.workflow.empty()) sql += " AND workflow_id = :workflow";
  if (!filter.stage.empty()) sql += " AND stage = :stage";
  if (!filter.unit.empty()) sql += " AND unit_id = :unit";
  if (!filter.assignee.empty()) sql += " AND assignee = :assignee";
  if (filter.open_only) sql += " AND closed = 0";
  if (!filter.after_number.empty()) sql += " AND number > :after";
  if (!filter.units.empty()) {
    sql += " AND unit_id IN (";
    for (std::size_t i = 0; i < filter.units.size(); ++i) sql += (i ? ", :u" : ":u") + std::to_string(i);
    sql += ")";
  }
  const bool by_number = filter.by_number || !filter.after_number.empty() || !filter.units.empty();
  sql += by_number ? " ORDER BY number LIMIT :limit" : " ORDER BY id LIMIT :limit";
  SQLite::Statement query(db_.sql(), sql);  // not cached: the SQL varies with the number of units
  if (!filter.workflow.empty()) query.bind(":workflow", filter.workflow);
  if (!filter.stage.empty()) query.bind(":stage", filter.stage);
  if (!filter.unit.empty()) query.bind(":unit", filter.unit);
  if (!filter.assignee.empty()) query.bind(":assignee", filter.assignee);
  if (!filter.after_number.empty()) query.bind(":after", filter.after_number);
  for (std::size_t i = 0; i < filter.units.size(); ++i) query.bind(":u" + std::to_string(i), filter.units[i]);
  query.bind(":limit", filter.limit);
  std::vector<Case> cases;
  while (query.executeStep()) cases.push_back(rows::read_case_row(query));
  return cases;
}

Result<std::vector<StoredEvent>> CaseStore::history(const std::string& number) {
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
  CachedStatement query_statement = db_.prepare("SELECT content FROM blobs WHERE sha256 = ?");
  SQLite::Statement& query = *query_statement;
  query.bind(1, sha256);
  if (!query.executeStep()) return make_error(ErrorCode::not_found, "no document with SHA-256 " + sha256);
  const SQLite::Column content = query.getColumn(0);
  return std::string(static_cast<const char*>(content.getBlob()), static_cast<std::size_t>(content.getBytes()));
}

std::int64_t CaseStore::event_count() { return db_.sql().execAndGet("SELECT COUNT(*) FROM events").getInt64(); }

}  // namespace docket
