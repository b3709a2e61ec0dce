#include "baseline.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <iostream>

#include "bench_support.h"
#include "store/audit.h"

namespace docket::bench {
namespace {

constexpr int kCases = 64;
using Clock = std::chrono::steady_clock;

// The statements, prepared once, and the chain state they continue.
class TransitionWriter {
 public:
  explicit TransitionWriter(SQLite::Database& db)
      : event_(db,
               "INSERT INTO events (seq, case_id, case_seq, type, at, actor, payload, hash, case_hash) VALUES (?, ?, "
               "?, ?, ?, ?, ?, ?, ?)"),
        case_(db, "UPDATE cases SET stage = ?, version = ?, updated_at = ?, last_hash = ?, due_at = ? WHERE id = ?"),
        timer_(db,
               "INSERT INTO timers (case_id, plugin, kind, stage, due_at, payload) VALUES (?, 'deadlines', 'due', ?, "
               "?, '{}')"),
        outbox_(db,
                "INSERT INTO outbox (event_seq, channel, recipient, body, next_attempt_at) VALUES (?, 'log', 'bench', "
                "?, ?)") {}

  void write(std::int64_t case_id) {
    ++seq_;
    const std::int64_t case_seq = ++case_versions_[static_cast<std::size_t>(case_id)];
    const EventEnvelope envelope{seq_,
                                 "PB-2026-" + std::to_string(case_id),
                                 case_seq,
                                 "stage.changed",
                                 "2026-03-02T02:00:00Z",
                                 "bench",
                                 R"({"fields":{},"from":"received","to":"assigned","transition":"assign"})"};
    const std::string bytes = canonical_event_bytes(envelope);
    log_hash_ = next_chain_hash(log_hash_, bytes);
    const ChainHash case_hash = next_chain_hash(case_hashes_[static_cast<std::size_t>(case_id)], bytes);
    case_hashes_[static_cast<std::size_t>(case_id)] = case_hash;
    run(event_, [&](SQLite::Statement& s) {
      s.bind(1, static_cast<int64_t>(seq_));
      s.bind(2, static_cast<int64_t>(case_id));
      s.bind(3, static_cast<int64_t>(case_seq));
      s.bind(4, envelope.type);
      s.bind(5, envelope.at);
      s.bind(6, envelope.actor);
      s.bind(7, envelope.payload_json);
      s.bind(8, log_hash_.data(), static_cast<int>(log_hash_.size()));
      s.bind(9, case_hash.data(), static_cast<int>(case_hash.size()));
    });
    run(case_, [&](SQLite::Statement& s) {
      s.bind(1, "assigned");
      s.bind(2, static_cast<int64_t>(case_seq));
      s.bind(3, envelope.at);
      s.bind(4, case_hash.data(), static_cast<int>(case_hash.size()));
      s.bind(5, "2026-03-20T10:00:00Z");
      s.bind(6, static_cast<int64_t>(case_id));
    });
    run(timer_, [&](SQLite::Statement& s) {
      s.bind(1, static_cast<int64_t>(case_id));
      s.bind(2, "assigned");
      s.bind(3, "2026-03-20T10:00:00Z");
    });
    run(outbox_, [&](SQLite::Statement& s) {
      s.bind(1, static_cast<int64_t>(seq_));
      s.bind(2, "Hồ sơ PB-2026 chuyển sang giai đoạn: assigned");
      s.bind(3, envelope.at);
    });
  }

 private:
  template <typename Bind>
  static void run(SQLite::Statement& statement, Bind bind) {
    statement.reset();
    bind(statement);
    statement.exec();
  }
  SQLite::Statement event_, case_, timer_, outbox_;
  std::int64_t seq_ = 0;
  ChainHash log_hash_{};
  std::vector<std::int64_t> case_versions_ = std::vector<std::int64_t>(kCases + 1, 0);
  std::vector<ChainHash> case_hashes_ = std::vector<ChainHash>(kCases + 1, ChainHash{});
};

void create_cases(SQLite::Database& db) {
  SQLite::Transaction transaction(db);
  SQLite::Statement insert(db,
                           R"sql(INSERT INTO cases (id, number, workflow_id, workflow_version, title, unit_id, stage,
      fields, version, opened_by, opened_at, stage_entered_at, updated_at, last_hash)
      VALUES (?, ?, 'social-critique', 1, 'Đo tải', 'xa-0001', 'received', '{}', 0, 'bench', '2026-03-02T02:00:00Z',
              '2026-03-02T02:00:00Z', '2026-03-02T02:00:00Z', zeroblob(32)))sql");
  for (int id = 1; id <= kCases; ++id) {
    insert.reset();
    insert.bind(1, id);
    insert.bind(2, "PB-2026-" + std::to_string(id));
    insert.exec();
  }
  transaction.commit();
}

// Runs transactions of `per_commit` transitions until `duration` is up; returns transitions/s.
double measure(SQLite::Database& db, TransitionWriter& writer, int per_commit, std::chrono::milliseconds duration,
               LatencyLog& commits) {
  std::int64_t transitions = 0;
  const auto started = Clock::now();
  const auto deadline = started + duration;
  while (Clock::now() < deadline) {
    const auto begun = Clock::now();
    db.exec("BEGIN IMMEDIATE");
    for (int i = 0; i < per_commit; ++i) writer.write(1 + (transitions + i) % kCases);
    db.exec("COMMIT");
    commits.add(Clock::now() - begun);
    transitions += per_commit;
  }
  return static_cast<double>(transitions) / std::chrono::duration<double>(Clock::now() - started).count();
}

}  // namespace

BaselineResult run_baseline(const std::filesystem::path& path, std::chrono::milliseconds duration, int batch) {
  BaselineResult result;
  result.batch = batch;
  if (auto seeded = seed_database(path, 1); !seeded) {
    std::cerr << "baseline: " << seeded.error().message << "\n";
    return result;
  }
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("PRAGMA synchronous=FULL");
  db.exec("PRAGMA foreign_keys=ON");
  create_cases(db);
  TransitionWriter writer(db);
  LatencyLog single, batched;
  result.single_per_second = measure(db, writer, 1, duration, single);
  result.single_p50_us = single.percentile(0.50);
  result.single_p99_us = single.percentile(0.99);
  result.batched_per_second = measure(db, writer, batch, duration, batched);
  result.batched_p50_us = batched.percentile(0.50);
  result.batched_p99_us = batched.percentile(0.99);
  return result;
}

}  // namespace docket::bench
