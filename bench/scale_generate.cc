// Writes the scale database fast: the pure state machine makes each case's events, and the
// store's own row writer (import_case, store/case_import.h) stores them with both hash chains, 20,000 cases per
// transaction, with synchronous=OFF (it is a throw-away file until it is renamed into place).
#include "scale_generate.h"

#include <cstdio>
#include <iostream>
#include <map>

#include "bench_support.h"
#include "core/state_machine.h"
#include "store/case_import.h"
#include "store/search_index.h"
#include "store/workflow_registry.h"

namespace docket::bench {
namespace {

constexpr int kCasesPerTransaction = 20000;
constexpr auto kSpan = std::chrono::days{730};       // cases opened over the last two years
constexpr auto kStillOpen = std::chrono::days{120};  // older ones were withdrawn
constexpr auto kAllowed = std::chrono::days{15};     // each stage's due date

const char* const kDocumentKinds[] = {"draft", "critique", "reply"};

std::string shared_content(const std::string& kind) { return "%PDF-1.4 " + kind + " (scale benchmark)"; }

class CaseWriter {
 public:
  CaseWriter(Database& db, const WorkflowDefinition& definition, Timestamp now, int cases, int communes)
      : db_(db),
        definition_(definition),
        now_(now),
        cases_(cases),
        communes_(communes),
        timer_(db.sql(),
               "INSERT INTO timers (case_id, plugin, kind, stage, due_at, payload, fired_at) VALUES (?, 'deadlines', "
               "'breach', ?, ?, '{}', ?)") {}

  Status write(int index) {
    const Timestamp opened = now_ - kSpan + std::chrono::duration_cast<std::chrono::seconds>(kSpan) * index / cases_;
    Case state;
    events_.clear();
    if (auto done = apply(state, opened,
                          OpenCase{next_number(opened),
                                   "Phản biện dự thảo số " + std::to_string(index),
                                   commune_id(1 + index % communes_),
                                   {{"submission_date", "2027-06-30"}, {"drafting_body", "Sở Tài chính"}}});
        !done) {
      return done;
    }
    if (const Status done = record_deadline(state, opened); !done) return done;
    const int steps = index % 9;
    for (int s = 0; s < steps; ++s) {
      const LifecycleStep& step = lifecycle()[static_cast<std::size_t>(s)];
      const Timestamp at = opened + std::chrono::days{s + 1};
      if (const Status done = apply(state, at, command_for(step)); !done) return done;
      if (step.kind == LifecycleStep::Kind::transition) {
        if (const Status done = record_deadline(state, at); !done) return done;
      }
    }
    const bool closed = opened < now_ - kStillOpen;
    if (closed) {
      const Status done = apply(state, opened + std::chrono::days{steps + 2},
                                MoveCase{"withdraw", {{"end_reason", "Cơ quan soạn thảo rút dự thảo"}}, ""});
      if (!done) return done;
    }
    if (!closed && state.deadline && state.deadline->due_at <= now_) {
      // The breach the deadlines plugin recorded when the timer below fired.
      const Status done =
          apply(state, state.deadline->due_at, RecordBreach{state.deadline->stage, state.deadline->due}, true);
      if (!done) return done;
    }
    const auto case_id = import_case(db_, definition_, state, events_);
    if (!case_id) return case_id.error();
    if (!closed) add_timer(case_id.value(), state);
    return Ok{};
  }

  void save_counters() {
    SQLite::Statement counter(db_.sql(),
                              "INSERT OR REPLACE INTO case_counters (prefix, year, last) VALUES ('PB', ?, ?)");
    for (const auto& [year, last] : counters_) {
      counter.reset();
      counter.bind(1, year);
      counter.bind(2, last);
      counter.exec();
    }
  }

 private:
  std::string next_number(Timestamp opened) {
    const int year = static_cast<int>(vietnam_date(opened).year());
    char number[32];
    std::snprintf(number, sizeof number, "PB-%04d-%04d", year, ++counters_[year]);
    return number;
  }

  Command command_for(const LifecycleStep& step) {
    switch (step.kind) {
      case LifecycleStep::Kind::fields:
        return SetFields{step.fields};
      case LifecycleStep::Kind::document: {
        const Upload upload{step.name + ".pdf", "application/pdf", shared_content(step.name)};
        return AttachDocument{step.name, upload.file_name, upload.sha256(),
                              static_cast<std::int64_t>(upload.content.size()), upload.media_type};
      }
      case LifecycleStep::Kind::transition:
        break;
    }
    return MoveCase{step.name, step.fields, ""};
  }

  Status apply(Case& state, Timestamp at, const Command& command, bool as_system = false) {
    static const Actor officer{"bench", {"standing_board", "department_head", "officer"}, false};
    auto outcome = docket::execute(definition_, state, as_system ? Actor::system() : officer, at, command);
    if (!outcome) return outcome.error();
    events_.insert(events_.end(), outcome->events.begin(), outcome->events.end());
    state = std::move(outcome->state);
    return Ok{};
  }

  Status record_deadline(Case& state, Timestamp at) {
    const Timestamp due_at = at + kAllowed;
    return apply(
        state, at,
        RecordDeadline{state.stage, format_date(vietnam_date(due_at)), format_timestamp(due_at), "scale benchmark"},
        true);
  }

  // The pending breach timer of an open case; one whose moment has passed is already fired (and
  // its breach recorded by write()).
  void add_timer(std::int64_t case_id, const Case& state) {
    const std::string due_at = format_timestamp(state.deadline->due_at);
    timer_.reset();
    timer_.bind(1, static_cast<int64_t>(case_id));
    timer_.bind(2, state.stage);
    timer_.bind(3, due_at);
    if (state.deadline->due_at <= now_) {
      timer_.bind(4, due_at);
    } else {
      timer_.bind(4);
    }
    timer_.exec();
  }

  Database& db_;
  const WorkflowDefinition& definition_;
  const Timestamp now_;
  const int cases_, communes_;
  SQLite::Statement timer_;
  std::vector<Event> events_;
  std::map<int, int> counters_;  // year -> last number
};

}  // namespace

Status generate_scale_database(const std::filesystem::path& path, int cases, int communes, Timestamp now) {
  const std::filesystem::path building = path.string() + ".building";
  auto tokens = seed_database(building, communes);
  if (!tokens) return tokens.error();
  {
    auto db = Database::open({building, false, 5000, false});
    if (!db) return db.error();
    (*db)->sql().exec("PRAGMA synchronous=OFF");
    (*db)->sql().exec("PRAGMA cache_size=-262144");
    const FixedClock clock{now};
    auto catalog = WorkflowRegistry(**db, clock).catalog();
    if (!catalog) return catalog.error();
    const WorkflowDefinition* definition = catalog->latest("social-critique");
    for (const char* kind : kDocumentKinds) {
      const Status stored = import_document(**db, Upload{"x.pdf", "application/pdf", shared_content(kind)});
      if (!stored) return stored;
    }
    CaseWriter writer(**db, *definition, now, cases, communes);
    for (int first = 0; first < cases; first += kCasesPerTransaction) {
      const Status written = (*db)->write([&]() -> Status {
        for (int index = first; index < std::min(cases, first + kCasesPerTransaction); ++index) {
          if (const Status done = writer.write(index); !done) return done;
        }
        if (first + kCasesPerTransaction >= cases) writer.save_counters();
        return SearchIndex::catch_up(**db);  // indexed as a server would have: the size per event counts it
      });
      if (!written) return written.error();
      if ((first / kCasesPerTransaction) % 10 == 9)
        std::cerr << "  generated " << first + kCasesPerTransaction << " cases\n";
    }
    (*db)->sql().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    (*db)->sql().exec("ANALYZE");
  }
  std::filesystem::rename(building, path);
  std::FILE* token_file = std::fopen((path.string() + ".token").c_str(), "w");
  if (token_file == nullptr) return make_error(ErrorCode::storage, "cannot write the token file");
  std::fputs(tokens->province.c_str(), token_file);  // the scale section reads as the province
  std::fclose(token_file);
  return Ok{};
}

}  // namespace docket::bench
