// Cases, their append-only event history and documents, in the database. Every change to a
// case (opening it, a user's commands, a timer firing, a plugin action) takes one path and runs
// as one transaction: the state machine decides, the plugins see the change, then its events
// (hash-chained, see audit.h), the new case state, the recommendations, documents, timers and
// outgoing messages commit together or not at all. Nothing is acknowledged before COMMIT
// returns. Every method returns a Result or Status: no SQLite exception leaves the store.
//
// Thread-safety: as the Database it is given. Several CaseStores on several Database
// connections (threads or processes) may write the same file; SQLite serialises them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/case.h"
#include "core/case_actions.h"
#include "core/clock.h"
#include "core/command.h"
#include "core/event.h"
#include "core/workflow_catalog.h"
#include "plugin/plugin.h"
#include "store/access_policy.h"
#include "store/database.h"
#include "store/directory.h"
#include "store/report_facts.h"

namespace docket {

class PluginHost;  // store/internal/plugin_host.h
namespace rows {
struct LoadedCase;  // store/internal/case_rows.h
}

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

// One case's report facts as kept (store/report_facts.h), with what places it in a report.
struct ReportFactsRow {
  std::string number;
  std::string unit;
  std::string workflow_id;
  int workflow_version = 0;
  ReportFacts facts;
};

// One page of a user's inbox (CaseStore::inbox).
struct InboxPage {
  // The open cases that are the user's turn (has_turn, core/case_actions.h), earliest due date
  // first (cases without one last), then in the order they were opened. Read as a list reads
  // them: without their recommendations and documents.
  std::vector<Case> cases;
  std::string next;                                  // the cursor of the next page; empty on the last
  std::int64_t total = 0;                            // cases in the whole inbox
  std::int64_t breached = 0;                         // of which a deadline breach is recorded
  std::map<std::string, std::int64_t> per_workflow;  // workflow id -> cases in the whole inbox
};

// The open cases of one unit, and how many have a recorded deadline breach.
struct OpenCaseCounts {
  std::int64_t open = 0, breached = 0;
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
        access_(directory_, catalog_),
        plugins_(std::move(plugins)),
        calendar_(calendar != nullptr ? calendar : &default_calendar()) {}

  // Every change below takes one path (apply(), in case_change.cc): the case is read, the state
  // machine runs the commands, the plugins see the change, and its events, the new state,
  // documents, timers and outgoing messages commit together or not at all.

  // Opens a case under the latest version of `workflow_id` and gives it the next number for
  // its prefix and year ("PB-2026-0001", gap-free: an error gives the number back). `open.number`
  // is ignored.
  // Errors: not_found (workflow, unit, user), role_not_allowed (no opening role at the unit),
  // the state machine's guards, busy, storage.
  Result<Case> open(const std::string& workflow_id, const std::string& user, OpenCase open);

  // Runs `commands` on case `number` as `user` (roles: those the user holds at the case's
  // unit), all in one transaction: all succeed or none is stored. `expected_version`, when
  // given, must equal the case's version or nothing is written (conflict). `uploads` are
  // stored (by SHA-256) in the same transaction. Returns the new state.
  Result<Case> execute(const std::string& number, const std::string& user, const std::vector<Command>& commands,
                       std::optional<std::int64_t> expected_version = std::nullopt,
                       const std::vector<Upload>& uploads = {});
  // The same as `reader.user`, who must be able to read the case (AccessPolicy::can_read):
  // when they may not, nothing is written and the error is unknown_case(number), as for a case
  // that is not there, before the version is compared. The API's path.
  Result<Case> execute_as_reader(const Reader& reader, const std::string& number, const std::vector<Command>& commands,
                                 std::optional<std::int64_t> expected_version, const std::vector<Upload>& uploads);
  // Group commit: runs each request as execute() would, each in its own savepoint, all in one
  // transaction (Database::write_batch). A refused request (stale version, invalid transition,
  // unknown case...) gets its own error and writes nothing; the others commit. Returns one
  // result per request, in order, after COMMIT returned (when it fails, every request gets its
  // error). Requests on the same case see each other's changes, in order.
  std::vector<Result<Case>> execute_batch(const std::vector<CaseCommand>& batch);
  // The same for the system actor (Actor::system()): no user lookup.
  Result<Case> execute_as_system(const std::string& number, const std::vector<Command>& commands,
                                 std::optional<std::int64_t> expected_version = std::nullopt);

  // Reads: each returns what it says, or busy / storage when the database cannot be read (and
  // not_found where it names one case that does not exist).
  Result<Case> get(const std::string& number);
  // The same, shared with later reads on this connection (kept in its reader cache,
  // Database::ReaderCache): while nothing was committed since the last read of it a read costs no query; after a
  // commit, while the case's version is unchanged, one indexed query (its version) instead of three (a case changes
  // only by events, each of which raises its version). Inside a write transaction it reads afresh: what that
  // transaction changed may still be rolled back.
  Result<std::shared_ptr<const Case>> read(const std::string& number);
  // The cases `filter` selects, in the order it asks for.
  Result<std::vector<Case>> list(const CaseFilter& filter);
  Result<std::vector<StoredEvent>> history(const std::string& number);
  // The content of a stored document; not_found when no document has that hash, integrity
  // when the stored bytes no longer hash to it (changed outside Docket: never served).
  Result<std::string> document_content(const std::string& sha256);
  // How many events the log holds.
  Result<std::int64_t> event_count();
  // Calls `each` with the kept report facts of every case of `unit` (its own, not the units
  // below) that a report of the days `from`..`to` (in Vietnam) as of `cutoff` may count: opened
  // by `to` and not closed before `from` as the cutoff sees it (report_facts.h says which of
  // them the report then counts). One indexed range, whatever the cases' histories; stops at
  // the first error `each` returns. Errors: `each`'s, internal (a damaged facts row), busy,
  // storage.
  Status each_report_facts(const std::string& unit, Date from, Date to, Timestamp cutoff,
                           const std::function<Status(const ReportFactsRow&)>& each);

  // Cases whose current stage is overdue (due before now), or due within `window` from now.
  Result<std::vector<Case>> overdue(const CaseFilter& filter);
  Result<std::vector<Case>> due_within(const CaseFilter& filter, std::chrono::seconds window);

  // The scheduler's work: fires every timer due at the clock's now, earliest first, each in its
  // own transaction with the events it produces (exactly once). Returns how many fired.
  // A timer whose plugin is not loaded, or whose case is closed, is spent without effect.
  // Errors: the plugin's or the state machine's (the timer stays unfired), busy, storage.
  Result<int> fire_due_timers();
  // When the earliest unfired timer is due; nullopt when there is none.
  Result<std::optional<Timestamp>> next_timer_due();
  // Unfired timers of one case, earliest first (empty for an unknown case).
  Result<std::vector<Timer>> pending_timers(const std::string& number);
  // How many moments are due and have not fired: each due timer, and the later moments it
  // stands for that are due too (Timer::later_moments: a scheduler that fell behind by several).
  Result<std::int64_t> moments_due();

  // Runs `action` for `plugin` on case `number` in one transaction: the commands it returns are
  // executed as the scheduler and their events committed (e.g. deadlines recomputed after the
  // calendar changed); the timers and messages it asks for are written even when it returns no
  // command. Errors: not_found (case), internal (its workflow is not installed), the action's,
  // the state machine's, busy, storage.
  using PluginAction =
      std::function<Result<std::vector<Command>>(const WorkflowDefinition&, const Case&, PluginContext&)>;
  Result<Case> run_plugin_action(const std::string& number, Plugin& plugin, const PluginAction& action);

  // `user`'s inbox: `limit` cases (1 or more) after the cursor `after` (empty: from the start;
  // otherwise InboxPage::next of the page before). It reads only the cases it returns and the
  // counts kept for each unit, workflow version and stage (open_case_counts, store/internal/
  // schema.h), whatever the number of cases. Errors: not_found (user), invalid_argument (a
  // malformed cursor), busy, storage.
  Result<InboxPage> inbox(const std::string& user, const std::string& after, int limit);
  // Whether `current` is `user`'s turn (core/case_actions.h has_turn), with the roles execute()
  // would find. Errors: as actions_for().
  Result<bool> has_turn(const std::string& user, const Case& current);
  // The open cases of each unit of `units` that has any, from the kept counts.
  // Errors: busy, storage.
  Result<std::map<std::string, OpenCaseCounts>> open_case_counts(const std::vector<std::string>& units);

  // What `user` may do on `current` now (core/case_actions.h), with the roles they hold at its
  // unit, at the unit above and where it is escalated, found as a change would find them: a
  // choice offered is one execute() accepts. Errors: not_found (user, or the case's workflow
  // version is not installed), busy, storage.
  Result<CaseActions> actions_for(const std::string& user, const Case& current);

  const Calendar& calendar() const { return *calendar_; }

 private:
  static const Calendar& default_calendar();

  // One change to one case, as every writer describes it (open, execute, a timer firing, a
  // plugin action): which case, who acts, which commands or which plugin makes them, and what
  // the caller checks first. apply() runs every one the same way: load, find the definition,
  // execute, the plugins' after_change, store uploads, save, write timers and outbox.
  struct Change {
    std::string number;                           // the case; empty when opening one
    const WorkflowDefinition* opening = nullptr;  // opens a case under this workflow...
    OpenCase* open = nullptr;                     // ...with this command (apply() gives it its number)
    std::string user;                             // acts with the roles they hold at the case's unit,
    bool as_system = false;                       // unless the engine acts on its own (Actor::system())
    const std::vector<Command>* commands = nullptr;
    // Or the commands a plugin makes, given the context named after `plugin`.
    std::string plugin;
    std::function<Result<std::vector<Command>>(const WorkflowDefinition&, const Case&, PluginContext&)> make;
    const Reader* reader = nullptr;  // must be able to read the case (AccessPolicy), or it is unknown
    std::optional<std::int64_t> expected_version;
    const std::vector<Upload>* uploads = nullptr;
    bool from_timer = false;  // a closed case or an uninstalled workflow: nothing to do, not an error
  };
  // Runs `change` in the caller's write transaction; returns the case's new state. An error
  // leaves the caller to roll back.
  Result<Case> apply(const Change& change);
  // apply()'s steps: the case as it stands (after the reader check and version), the commands
  // to run, and what the change writes once they ran.
  Result<rows::LoadedCase> load_for(const Change& change);
  Result<const std::vector<Command>*> commands_for(const Change& change, const WorkflowDefinition& definition,
                                                   const Case& before, PluginHost& host, std::vector<Command>& made);
  Status record(const Change& change, const WorkflowDefinition& definition, const rows::LoadedCase& loaded, Case& state,
                std::vector<Event>& events, PluginHost& host);
  // apply() in a write() of its own (a savepoint inside the caller's transaction).
  Result<Case> commit(const Change& change);
  // Who acts: the roles the user holds at `unit` (the case's), and, when the workflow or the case
  // needs them, at the unit above it and at the unit `before` is escalated to.
  Result<Actor> acting(const Change& change, const WorkflowDefinition& definition, const Case& before,
                       const std::string& unit);
  // `answer`(definition, actor) for `user` acting on `current` as a change would find them
  // (actions_for, has_turn). Errors: not_found (user, or the workflow version is not installed),
  // busy, storage.
  template <typename Answer>
  auto asked_of(const std::string& user, const Case& current, Answer answer)
      -> Result<decltype(answer(std::declval<const WorkflowDefinition&>(), std::declval<const Actor&>()))>;
  // Fills in the facts about the assignee of every AssignCase (command.h). Errors: not_found
  // (no such user), busy, storage.
  Status gather_assignee_facts(std::vector<Command>& commands, const Case& before);
  Status fire(const Timer& timer);
  Result<Case> run(const std::string& number, const std::string& user, const std::vector<Command>& commands,
                   std::optional<std::int64_t> expected_version, const std::vector<Upload>& uploads,
                   const Reader* reader = nullptr);
  std::vector<Case> list_cases(const CaseFilter& filter);                    // throws SQLite::Exception
  Result<std::vector<StoredEvent>> read_history(const std::string& number);  // the same
  // The loaded plugin called `name` (a timer's owner), or nullptr when it is not loaded.
  Plugin* plugin_named(const std::string& name) const;
  Database& db_;
  const WorkflowCatalog& catalog_;
  const Clock& clock_;
  Directory directory_;
  AccessPolicy access_;  // over directory_, for execute_as_reader
  std::vector<Plugin*> plugins_;
  const Calendar* calendar_;
  // What read() read, in the connection's reader cache (Database::ReaderCache), by number.
  struct Readings : Database::ReaderCache {
    struct Reading {
      std::shared_ptr<const Case> state;
      Database::Generation seen_at;  // the database had not moved since this reading was checked
    };
    std::unordered_map<std::string, Reading> by_number;
  };
};

}  // namespace docket
