// CaseStore: the one path every change to a case takes (open, execute, a timer firing, a
// plugin action), so that a rule added to it holds for all of them.
#include <algorithm>
#include <iterator>
#include <map>

#include "core/acting.h"
#include "core/state_machine.h"
#include "store/case_store.h"
#include "store/internal/case_rows.h"
#include "store/internal/plugin_host.h"

namespace docket {
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

// Every document the change attaches must have its content stored (uploaded with it or before).
Status check_uploaded(Database& db, const std::vector<Event>& events) {
  for (const Event& event : events) {
    std::string sha256, file_name;
    if (const auto* attached = std::get_if<DocumentAttached>(&event.payload)) {
      sha256 = attached->sha256;
      file_name = attached->file_name;
    } else if (const auto* issued = std::get_if<DocumentIssued>(&event.payload)) {
      sha256 = issued->sha256;
      file_name = issued->file_name;
    }
    if (!sha256.empty() && !blob_exists(db, sha256)) {
      return make_error(ErrorCode::invalid_argument,
                        "the content of document " + in_quotes(file_name) + " was not uploaded");
    }
  }
  return Ok{};
}

bool is_escalated(const Case& current) { return current.deadline && !current.deadline->escalated_to_role.empty(); }

bool assigns_someone(const std::vector<Command>& commands) {
  return std::any_of(commands.begin(), commands.end(), [](const Command& command) {
    const auto* assign = std::get_if<AssignCase>(&command);
    return assign != nullptr && !assign->assignee.empty();
  });
}

bool issues_documents(const std::vector<Command>& commands) {
  return std::any_of(commands.begin(), commands.end(),
                     [](const Command& command) { return std::holds_alternative<IssueDocument>(command); });
}

// Gives each document issued the next number of the case unit's outgoing register for its
// kind and this year (in Vietnam): taken in this transaction, so an error gives it back and the
// register has no gap. A number the caller printed must be that one.
Status number_issued_documents(Database& db, std::vector<Command>& commands, const Case& before, Timestamp now) {
  std::map<std::string, int> taken;  // register kind -> numbers taken by this change so far
  const int year = static_cast<int>(vietnam_date(now).year());
  for (Command& command : commands) {
    auto* issue = std::get_if<IssueDocument>(&command);
    if (issue == nullptr) continue;
    const int next =
        rows::next_register_number(db, before.unit, issue->register_kind, year) + taken[issue->register_kind]++;
    if (issue->number != 0 && issue->number != next) {
      return make_error(ErrorCode::conflict, "number " + std::to_string(issue->number) + "/" + issue->symbol +
                                                 " is no longer the next in the register of " + before.unit +
                                                 " (the next is " + std::to_string(next) +
                                                 "): another document took it; make the document again");
    }
    issue->number = next;
    issue->year = year;
  }
  return Ok{};
}

// Executes `commands` in order from `before`: `state` becomes the case after them (`before` when
// there are none), `events` theirs. Stops at the first a guard refuses.
Status run_commands(const WorkflowDefinition& definition, const Case& before, const Actor& actor, Timestamp now,
                    const std::vector<Command>& commands, Case& state, std::vector<Event>& events) {
  const Case* current = &before;  // not copied: execute() starts from a copy of it
  for (const Command& command : commands) {
    auto outcome = docket::execute(definition, *current, actor, now, command);
    if (!outcome) return outcome.error();
    events.insert(events.end(), std::make_move_iterator(outcome->events.begin()),
                  std::make_move_iterator(outcome->events.end()));
    state = std::move(outcome->state);
    current = &state;
  }
  if (current == &before) state = before;
  return Ok{};
}

// A case is opened only at an open unit: not closed, not merged into another.
Status check_unit_open(Directory& directory, const std::string& unit) {
  DOCKET_TRY(open, directory.is_open(unit));
  if (*open) return Ok{};
  return make_error(ErrorCode::invalid_argument, "unit " + in_quotes(unit) +
                                                     " is closed or merged into another: no case can be opened there "
                                                     "(docket org history " +
                                                     unit + ")");
}

}  // namespace

Result<Case> CaseStore::open(const std::string& workflow_id, const std::string& user, OpenCase open) {
  const WorkflowDefinition* definition = catalog_.latest(workflow_id);
  if (definition == nullptr) {
    return make_error(ErrorCode::not_found,
                      "unknown workflow " + in_quotes(workflow_id) + " (installed: " + workflow_ids(catalog_) + ")");
  }
  Change change;
  change.opening = definition;
  change.open = &open;
  change.user = user;
  return commit(change);
}

Result<Case> CaseStore::execute(const std::string& number, const std::string& user,
                                const std::vector<Command>& commands, std::optional<std::int64_t> expected_version,
                                const std::vector<Upload>& uploads) {
  return run(number, user, commands, expected_version, uploads);
}

Result<Case> CaseStore::execute_as_reader(const Reader& reader, const std::string& number,
                                          const std::vector<Command>& commands,
                                          std::optional<std::int64_t> expected_version,
                                          const std::vector<Upload>& uploads) {
  return run(number, reader.user, commands, expected_version, uploads, &reader);
}

std::vector<Result<Case>> CaseStore::execute_batch(const std::vector<CaseCommand>& batch) {
  std::vector<Result<Case>> results(batch.size(), Result<Case>(make_error(ErrorCode::internal, "not run")));
  std::vector<std::function<Status()>> works;
  works.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    works.emplace_back([this, &batch, &results, i]() -> Status {
      const CaseCommand& request = batch[i];
      results[i] = run(request.number, request.user, request.commands, request.expected_version, request.uploads);
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
  if (commands.empty()) return make_error(ErrorCode::invalid_argument, "nothing to do");
  Change change;
  change.number = number;
  change.as_system = true;
  change.commands = &commands;
  change.expected_version = expected_version;
  return commit(change);
}

Result<Case> CaseStore::run(const std::string& number, const std::string& user, const std::vector<Command>& commands,
                            std::optional<std::int64_t> expected_version, const std::vector<Upload>& uploads,
                            const Reader* reader) {
  if (commands.empty()) return make_error(ErrorCode::invalid_argument, "nothing to do");
  Change change;
  change.number = number;
  change.user = user;
  change.commands = &commands;
  change.reader = reader;
  change.expected_version = expected_version;
  change.uploads = &uploads;
  return commit(change);
}

Result<Case> CaseStore::run_plugin_action(const std::string& number, Plugin& plugin, const PluginAction& action) {
  Change change;
  change.number = number;
  change.as_system = true;
  change.plugin = std::string(plugin.name());
  change.make = action;
  return commit(change);
}

Result<Case> CaseStore::commit(const Change& change) {
  std::optional<Case> result;
  const Status written = db_.write([&]() -> Status {
    auto changed = apply(change);
    if (!changed) return changed.error();
    result = std::move(changed.value());
    return Ok{};
  });
  if (!written) return written.error();
  return std::move(*result);
}

Result<Actor> CaseStore::acting(const Change& change, const WorkflowDefinition& definition, const Case& before,
                                const std::string& unit) {
  if (change.as_system) return Actor::system();
  // Holding a role there proves user and unit exist; only without one are they looked up
  // (Directory::user reads every role the user holds).
  auto roles = directory_.roles_at(change.user, unit);
  if (!roles) return roles.error();
  Actor actor{change.user, std::move(roles.value()), false, {}, {}};
  if (actor.roles.empty()) {
    if (auto known = directory_.user(change.user); !known) return known.error();
    if (change.opening != nullptr) {
      if (auto opened_at = directory_.unit(unit); !opened_at) return opened_at.error();
    }
  }
  // The units above and escalated to are asked about only when a rule could use the answer.
  if (names_scope(definition, RoleScope::above)) {
    auto found = directory_.unit(unit);
    if (!found) return found.error();
    if (!found->parent.empty()) {
      auto above = directory_.roles_at(change.user, found->parent);
      if (!above) return above.error();
      actor.roles_above = std::move(above.value());
    }
  }
  if (is_escalated(before)) {
    auto there = directory_.roles_at(change.user, before.deadline->escalated_to_unit);
    if (!there) return there.error();
    actor.roles_escalated = std::move(there.value());
  }
  return actor;
}

template <typename Answer>
auto CaseStore::asked_of(const std::string& user, const Case& current, Answer answer)
    -> Result<decltype(answer(std::declval<const WorkflowDefinition&>(), std::declval<const Actor&>()))> {
  using Value = decltype(answer(std::declval<const WorkflowDefinition&>(), std::declval<const Actor&>()));
  const WorkflowDefinition* definition = catalog_.find(current.workflow_id, current.workflow_version);
  if (definition == nullptr) {
    return make_error(ErrorCode::not_found, "workflow " + current.workflow_id + " v" +
                                                std::to_string(current.workflow_version) + " is not installed");
  }
  return catch_storage_errors(db_.busy_timeout_ms(), [&]() -> Result<Value> {
    Change change;
    change.number = current.number;
    change.user = user;
    auto actor = acting(change, *definition, current, current.unit);
    if (!actor) return actor.error();
    return answer(*definition, *actor);
  });
}

Result<CaseActions> CaseStore::actions_for(const std::string& user, const Case& current) {
  return asked_of(user, current, [&](const WorkflowDefinition& definition, const Actor& actor) {
    return case_actions(definition, current, actor);
  });
}

Result<bool> CaseStore::has_turn(const std::string& user, const Case& current) {
  return asked_of(user, current, [&](const WorkflowDefinition& definition, const Actor& actor) {
    return docket::has_turn(definition, current, actor);
  });
}

Status CaseStore::gather_assignee_facts(std::vector<Command>& commands, const Case& before) {
  for (Command& command : commands) {
    auto* assign = std::get_if<AssignCase>(&command);
    if (assign == nullptr || assign->assignee.empty()) continue;
    auto assignee = directory_.user(assign->assignee);
    if (!assignee) return assignee.error();
    assign->assignee_roles.clear();
    assign->assignee_roles_escalated.clear();
    for (const UserRole& held : assignee->roles) {
      if (held.unit == before.unit) assign->assignee_roles.push_back(held.role);
      if (is_escalated(before) && held.unit == before.deadline->escalated_to_unit)
        assign->assignee_roles_escalated.push_back(held.role);
    }
  }
  return Ok{};
}

Result<rows::LoadedCase> CaseStore::load_for(const Change& change) {
  if (change.opening != nullptr) return rows::LoadedCase{};
  // Taken out of the cache: save() puts the new state back; an error rolls back, which empties it.
  std::optional<rows::LoadedCase> loaded = db_.writer_cache<rows::CaseCache>().take(db_, change.number);
  if (!loaded) loaded = rows::load_case(db_, change.number);
  if (!loaded) return unknown_case(change.number);
  if (change.reader != nullptr && !access_.can_read(*change.reader, loaded->state)) return unknown_case(change.number);
  if (change.expected_version && *change.expected_version != loaded->state.version) {
    return make_error(ErrorCode::conflict, "case " + change.number + " is at version " +
                                               std::to_string(loaded->state.version) + ", not " +
                                               std::to_string(*change.expected_version) +
                                               ": it changed since you read it; reload and try again");
  }
  return std::move(*loaded);
}

Result<const std::vector<Command>*> CaseStore::commands_for(const Change& change, const WorkflowDefinition& definition,
                                                            const Case& before, PluginHost& host,
                                                            std::vector<Command>& made) {
  if (change.opening != nullptr) {
    // Allocated in the transaction: an error rolls it back, so the number is not used up.
    change.open->number =
        rows::next_case_number(db_, definition.case_prefix, static_cast<int>(vietnam_date(host.now()).year()));
    made.emplace_back(*change.open);
    return &made;
  }
  if (!change.make) return change.commands;
  host.set_plugin(change.plugin);
  auto produced = change.make(definition, before, host);
  if (!produced) return produced.error();
  made = std::move(produced.value());
  return &made;
}

Status CaseStore::record(const Change& change, const WorkflowDefinition& definition, const rows::LoadedCase& loaded,
                         Case& state, std::vector<Event>& events, PluginHost& host) {
  rows::Saved saved{loaded.id, 0};
  // A change that produced no event (a plugin with nothing to do) writes only its timers and outbox.
  if (!events.empty()) {
    rows::order_as_stored(state);
    if (const Status done = host.after_change(plugins_, definition, loaded.state, state, events); !done) return done;
    if (change.uploads != nullptr) {
      for (const Upload& upload : *change.uploads) rows::store_blob(db_, upload);
    }
    if (const Status uploaded = check_uploaded(db_, events); !uploaded) return uploaded;
    const Case* before = change.opening != nullptr ? nullptr : &loaded.state;
    saved = rows::save(db_, definition, loaded.id, loaded.last_hash, before, state, events);
  }
  return host.flush(saved.case_id, saved.newest_seq);
}

Result<Case> CaseStore::apply(const Change& change) {
  auto loaded = load_for(change);
  if (!loaded) return loaded.error();
  const Case& before = loaded->state;
  const WorkflowDefinition* definition =
      change.opening != nullptr ? change.opening : catalog_.find(before.workflow_id, before.workflow_version);
  if (change.from_timer && (definition == nullptr || rows::is_terminal(*definition, before.stage))) return before;
  if (definition == nullptr) {
    return make_error(ErrorCode::internal, "case " + change.number + " follows " + before.workflow_id + " v" +
                                               std::to_string(before.workflow_version) + ", which is not installed");
  }
  auto actor = acting(change, *definition, before, change.opening != nullptr ? change.open->unit : before.unit);
  if (!actor) return actor.error();
  if (change.opening != nullptr) {
    if (const Status open = check_unit_open(directory_, change.open->unit); !open) return open.error();
  }
  PluginHost host(db_, *calendar_, clock_.now());
  std::vector<Command> made;
  auto commands = commands_for(change, *definition, before, host, made);
  if (!commands) return commands.error();
  if (assigns_someone(**commands)) {
    if (*commands != &made) made = **commands;  // the caller's commands stay as they were given
    if (const Status gathered = gather_assignee_facts(made, before); !gathered) return gathered.error();
    commands = &made;
  }
  if (issues_documents(**commands)) {
    if (*commands != &made) made = **commands;
    if (const Status numbered = number_issued_documents(db_, made, before, host.now()); !numbered)
      return numbered.error();
    commands = &made;
  }
  Case state;
  std::vector<Event> events;
  if (const Status ran = run_commands(*definition, before, *actor, host.now(), **commands, state, events); !ran)
    return ran.error();
  if (const Status recorded = record(change, *definition, *loaded, state, events, host); !recorded)
    return recorded.error();
  return state;
}

}  // namespace docket
