// Cases, their append-only event history and documents, in the database. Every command runs
// as one transaction: the state machine decides, then its events (hash-chained, see audit.h),
// the new case state, the recommendations and documents commit together or not at all.
// Nothing is acknowledged before COMMIT returns.
//
// Thread-safety: as the Database it is given. Several CaseStores on several Database
// connections (threads or processes) may write the same file; SQLite serialises them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/case.h"
#include "core/clock.h"
#include "core/command.h"
#include "core/event.h"
#include "core/workflow_catalog.h"
#include "plugin/plugin.h"
#include "store/database.h"
#include "store/directory.h"

namespace docket {

// A file to be stored with a command (attach, answer with a reply).
struct Upload {
  std::string file_name;
  std::string media_type;
  std::string content;
  std::string sha256() const;  // hex
};

// "application/pdf" for "bao-cao.pdf"; application/octet-stream when the extension is unknown.
std::string guess_media_type(const std::string& file_name);

struct CaseFilter {
  std::string workflow;
  std::string stage;
  std::string unit;
  std::vector<std::string> units;  // when not empty: only cases of these units
  std::string assignee;
  bool open_only = false;
  std::string after_number;  // cursor: cases numbered after this one (list orders by number)
  int limit = 1000;
  // list() orders by number when paging (a cursor, or units given); otherwise oldest first,
  // unless this asks for number order (the first page of a paged list over every unit).
  bool by_number = false;
};

// One event as stored: its place in the log and in its case, and its hashes (hex).
struct StoredEvent {
  std::int64_t seq = 0;  // position in the whole log, from 1
  std::string case_number;
  std::int64_t case_seq = 0;  // position in the case's history, from 1
  std::string type;
  Event event;
  std::string payload_json;  // canonical JSON of the payload
  std::string prev_hash, hash, case_prev_hash, case_hash;
};

// One request in a group commit (CaseStore::execute_batch): what execute() takes.
struct CaseCommand {
  std::string number;
  std::string user;
  std::vector<Command> commands;
  std::optional<std::int64_t> expected_version;
  std::vector<Upload> uploads;
};

class CaseStore {
 public:
  // `plugins` see every change in its transaction (in this order) and own timers; `calendar`
  // is the working-day calendar they compute with. All must outlive the store.
  CaseStore(Database& database, const WorkflowCatalog& catalog, const Clock& clock, std::vector<Plugin*> plugins = {},
            const Calendar* calendar = nullptr)
      : db_(database),
        catalog_(catalog),
        clock_(clock),
        directory_(database, clock),
        plugins_(std::move(plugins)),
        calendar_(calendar != nullptr ? calendar : &default_calendar()) {}

  // Opens a case under the latest version of `workflow_id` and gives it the next number for
  // its prefix and year ("PB-2026-0001", gap-free). `open.number` is ignored.
  // Errors: not_found (workflow, unit, user), role_not_allowed (no opening role at the unit),
  // the state machine's guards, busy, storage.
  Result<Case> open(const std::string& workflow_id, const std::string& user, OpenCase open);

  // Runs `commands` on case `number` as `user` (roles: those the user holds at the case's
  // unit), all in one transaction: all succeed or none is stored. `expected_version`, when
  // given, must equal the case's version or nothing is written (conflict). `uploads` are
  // stored (by SHA-256) in the same transaction. Returns the new state.
  // `check`, when given, sees the case as it is read for the change (before the version check)
  // and refuses it by returning an error, which execute() returns: the caller's own conditions
  // (who may see the case) without reading the case a second time.
  Result<Case> execute(const std::string& number, const std::string& user, const std::vector<Command>& commands,
                       std::optional<std::int64_t> expected_version = std::nullopt,
                       const std::vector<Upload>& uploads = {}, const std::function<Status(const Case&)>& check = {});
  // Group commit: runs each request as execute() would, each in its own savepoint, all in one
  // transaction (Database::write_batch). A refused request (stale version, invalid transition,
  // unknown case...) gets its own error and writes nothing; the others commit. Returns one
  // result per request, in order, after COMMIT returned (when it fails, every request gets its
  // error). Requests on the same case see each other's changes, in order.
  std::vector<Result<Case>> execute_batch(const std::vector<CaseCommand>& batch);
  // The same for the scheduler (Actor::scheduler()): no user lookup.
  Result<Case> execute_as_system(const std::string& number, const std::vector<Command>& commands,
                                 std::optional<std::int64_t> expected_version = std::nullopt);

  Result<Case> get(const std::string& number);
  // The same, shared with later reads on this connection: while nothing was committed since the
  // last read of it (Database::generation) a read costs no query; after a commit, while the
  // case's version is unchanged, one indexed query (its version) instead of three (a case
  // changes only by events, each of which raises its version). Inside a write transaction it
  // reads afresh: what that transaction changed may still be rolled back.
  Result<std::shared_ptr<const Case>> read(const std::string& number);
  std::vector<Case> list(const CaseFilter& filter);
  Result<std::vector<StoredEvent>> history(const std::string& number);
  // The content of a stored document; not_found when no document has that hash.
  Result<std::string> document_content(const std::string& sha256);
  std::int64_t event_count();

  // Cases whose current stage is overdue (due before now), or due within `window` from now.
  std::vector<Case> overdue(const CaseFilter& filter);
  std::vector<Case> due_within(const CaseFilter& filter, std::chrono::seconds window);

  // The scheduler's work: fires every timer due at the clock's now, earliest first, each in its
  // own transaction with the events it produces (exactly once). Returns how many fired.
  Result<int> fire_due_timers();
  // When the earliest unfired timer is due; nullopt when there is none.
  std::optional<Timestamp> next_timer_due();
  // Unfired timers of one case, earliest first.
  std::vector<Timer> pending_timers(const std::string& number);
  // How many moments are due and have not fired: each due timer, and the later moments a
  // plugin carries in it that are due too (a scheduler that fell behind by several of them).
  std::int64_t moments_due();

  // Runs `action` for `plugin` on case `number` in one transaction: the commands it returns are
  // executed as the scheduler and their events committed (e.g. deadlines recomputed after the
  // calendar changed).
  using PluginAction =
      std::function<Result<std::vector<Command>>(const WorkflowDefinition&, const Case&, PluginContext&)>;
  Result<Case> run_plugin_action(const std::string& number, Plugin& plugin, const PluginAction& action);

  const Calendar& calendar() const { return *calendar_; }

 private:
  static const Calendar& default_calendar();
  Status fire(const Timer& timer, std::int64_t case_id);
  Result<Case> run(const std::string& number, const Actor* actor, const std::string& user,
                   const std::vector<Command>& commands, std::optional<std::int64_t> expected_version,
                   const std::vector<Upload>& uploads, const std::function<Status(const Case&)>& check = {});
  // The loaded plugin called `name` (a timer's owner), or nullptr when it is not loaded.
  Plugin* plugin_named(const std::string& name) const;
  Database& db_;
  const WorkflowCatalog& catalog_;
  const Clock& clock_;
  Directory directory_;
  std::vector<Plugin*> plugins_;
  const Calendar* calendar_;
  struct SharedRead {
    std::shared_ptr<const Case> state;
    Database::Generation seen_at;  // the database had not moved since this reading was checked
  };
  std::unordered_map<std::string, SharedRead> read_cache_;  // by number, for read()
};

}  // namespace docket
