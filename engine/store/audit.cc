#include "store/audit.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sqlite3.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/text.h"
#include "store/internal/event_codec.h"
#include "store/internal/hash.h"

namespace docket {

ChainHash next_chain_hash(const ChainHash& previous, std::string_view canonical_bytes) {
  return sha256(previous, canonical_bytes);
}

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

Row read_row(SQLite::Statement& query) {
  Row row;
  row.seq = query.getColumn(0).getInt64();
  row.case_number = query.getColumn(1).getString();
  row.case_id = query.getColumn(2).getInt64();
  row.case_seq = query.getColumn(3).getInt64();
  row.envelope = EventEnvelope{row.seq,
                               row.case_number,
                               row.case_seq,
                               query.getColumn(4).getString(),
                               query.getColumn(5).getString(),
                               query.getColumn(6).getString(),
                               query.getColumn(7).getString()};
  row.hash = digest_from_bytes(query.getColumn(8).getBlob(), static_cast<std::size_t>(query.getColumn(8).getBytes()));
  row.case_hash =
      digest_from_bytes(query.getColumn(9).getBlob(), static_cast<std::size_t>(query.getColumn(9).getBytes()));
  return row;
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

}  // namespace

namespace {

// For the length of a scan, SQLite reads the file through a memory map instead of copying
// every page with a read() call (a fifth of the time of a full scan went to that copying).
class MappedReads {
 public:
  explicit MappedReads(SQLite::Database& db) : db_(db) { db_.exec("PRAGMA mmap_size=" + std::to_string(kMapBytes)); }
  ~MappedReads() {
    try {
      db_.exec("PRAGMA mmap_size=0");
    } catch (const SQLite::Exception&) {
      // The map goes with the connection at the latest.
    }
  }
  MappedReads(const MappedReads&) = delete;
  MappedReads& operator=(const MappedReads&) = delete;

 private:
  static constexpr std::int64_t kMapBytes = std::int64_t{64} << 30;  // SQLite caps it at its own limit
  SQLite::Database& db_;
};

}  // namespace

namespace {

// One event on its way from the reading thread to the hashing one.
struct Hashing {
  std::int64_t ordinal = 0;  // events before it in the log
  std::int64_t seq = 0, case_id = 0, case_seq = 0;
  std::string bytes;           // canonical_event_bytes
  Digest hash{}, case_hash{};  // as stored
};
using Chunk = std::vector<Hashing>;
constexpr std::size_t kChunk = 2048;

// Reading the events (SQLite, canonical bytes) and hashing them (both chains) take about the
// same time: verify_audit does them on two threads, the reader handing chunks of events over
// to the hasher. Each side stops at the first broken event it sees; the earlier one is the
// answer, as if one thread had walked the log.
class HashingThread {
 public:
  explicit HashingThread(std::vector<CaseChain>& chains) : chains_(chains), thread_([this] { work(); }) {}
  ~HashingThread() { finish(); }
  HashingThread(const HashingThread&) = delete;
  HashingThread& operator=(const HashingThread&) = delete;

  // A chunk to fill: one the hasher is done with, so its strings keep their buffers.
  Chunk spare() {
    std::lock_guard lock(mutex_);
    if (spares_.empty()) return Chunk{};
    Chunk chunk = std::move(spares_.back());
    spares_.pop_back();
    return chunk;
  }
  // Hands `chunk` over; false once the hasher has found a broken event (stop reading).
  bool hand_over(Chunk chunk) {
    std::unique_lock lock(mutex_);
    given_.wait(lock, [&] { return full_.size() < 4 || broken_; });
    if (broken_) return false;
    full_.push_back(std::move(chunk));
    taken_.notify_one();
    return true;
  }
  // Waits until every chunk handed over is hashed; the first broken event among them, if any.
  std::optional<AuditReport> finish() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    taken_.notify_one();
    if (thread_.joinable()) thread_.join();
    return broken_report_;
  }

 private:
  void work() {
    for (;;) {
      Chunk chunk;
      {
        std::unique_lock lock(mutex_);
        taken_.wait(lock, [&] { return !full_.empty() || done_; });
        if (full_.empty()) return;
        chunk = std::move(full_.front());
        full_.pop_front();
        given_.notify_one();
      }
      for (Hashing& event : chunk) {
        if (!check(event)) {
          std::lock_guard lock(mutex_);
          broken_ = true;
          given_.notify_one();
          return;
        }
      }
      std::lock_guard lock(mutex_);
      spares_.push_back(std::move(chunk));
    }
  }

  bool check(const Hashing& event) {
    CaseChain& chain = chains_[static_cast<std::size_t>(event.case_id)];
    const auto fail = [&](std::string problem) {
      broken_report_ = AuditReport{false, event.ordinal, event.seq, chain.number, event.case_seq, std::move(problem)};
      return false;
    };
    if (event.case_seq != chain.last_seq + 1) return fail("an event of this case is missing before it");
    log_hash_ = sha256(log_hash_, event.bytes);
    chain.hash = sha256(chain.hash, event.bytes);
    if (log_hash_ != event.hash || chain.hash != event.case_hash)
      return fail("its stored hash does not match its content: the event was changed");
    chain.last_seq = event.case_seq;
    return true;
  }

  std::vector<CaseChain>& chains_;  // the hasher's alone while it runs, but for the numbers
  Digest log_hash_{};
  std::optional<AuditReport> broken_report_;
  std::mutex mutex_;
  std::condition_variable taken_, given_;
  std::deque<Chunk> full_;
  std::vector<Chunk> spares_;
  bool done_ = false, broken_ = false;
  std::thread thread_;  // last: starts once the rest is built
};

// A broken event whose payload is not in canonical form says so first: that is the difference a
// verifier that re-serialises payloads (the export's) sees, whichever bytes its hash was made of.
AuditReport name_non_canonical_payload(SQLite::Database& db, AuditReport report) {
  SQLite::Statement query(db, "SELECT payload FROM events WHERE seq = ?");
  query.bind(1, static_cast<int64_t>(report.seq));
  if (report.seq == 0 || !query.executeStep()) return report;
  const std::string payload = query.getColumn(0).getString();
  if (canonicalize_json(payload) != payload)
    report.problem = "its payload is not in canonical form (docs/audit.md), and " + report.problem;
  return report;
}

Digest column_digest(const SQLite::Column& column) {
  return digest_from_bytes(column.getBlob(), static_cast<std::size_t>(column.getBytes()));
}

}  // namespace

Result<AuditReport> verify_audit(Database& database) {
  AuditReport report;
  try {
    const MappedReads mapped(database.sql());
    std::vector<CaseChain> chains = case_chains(database.sql());
    // SQLite's own API for this one scan: the columns are read straight from its buffers into
    // the hashed bytes (SQLiteCpp's Column copies a shared pointer for every column it reads).
    sqlite3_stmt* prepared = nullptr;
    if (sqlite3_prepare_v2(database.sql().getHandle(),
                           "SELECT seq, case_id, case_seq, type, at, actor, payload, hash, case_hash FROM events "
                           "ORDER BY seq",
                           -1, &prepared, nullptr) != SQLITE_OK) {
      throw SQLite::Exception(database.sql().getHandle());
    }
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> query(prepared, sqlite3_finalize);
    std::optional<AuditReport> broken_here;  // what the reading thread found
    std::optional<AuditReport> broken_there;
    {
      HashingThread hasher(chains);
      std::int64_t expected_seq = 1, ordinal = 0;
      sqlite3_stmt* row = query.get();
      const auto text = [row](int column) {
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(row, column));
        return std::string_view(data != nullptr ? data : "",
                                static_cast<std::size_t>(sqlite3_column_bytes(row, column)));
      };
      const auto digest = [row](int column) {
        return digest_from_bytes(sqlite3_column_blob(row, column),
                                 static_cast<std::size_t>(sqlite3_column_bytes(row, column)));
      };
      Chunk chunk = hasher.spare();
      std::size_t used = 0;
      bool reading = true;
      int stepped = SQLITE_ROW;
      while (reading && (stepped = sqlite3_step(row)) == SQLITE_ROW) {
        const std::int64_t seq = sqlite3_column_int64(row, 0);
        const std::int64_t case_id = sqlite3_column_int64(row, 1);
        const std::int64_t case_seq = sqlite3_column_int64(row, 2);
        const CaseChain* chain = case_id > 0 && static_cast<std::size_t>(case_id) < chains.size()
                                     ? &chains[static_cast<std::size_t>(case_id)]
                                     : nullptr;
        const auto fail = [&](std::string number, std::string problem) {
          broken_here = AuditReport{false, ordinal, seq, std::move(number), case_seq, std::move(problem)};
          reading = false;
        };
        if (chain == nullptr || chain->number.empty()) {
          fail("", "it belongs to no case");
          break;
        }
        if (seq != expected_seq) {
          fail(chain->number,
               "an event is missing before it (expected log sequence " + std::to_string(expected_seq) + ")");
          break;
        }
        if (used == chunk.size()) chunk.emplace_back();
        Hashing& event = chunk[used++];
        event.ordinal = ordinal;
        event.seq = seq;
        event.case_id = case_id;
        event.case_seq = case_seq;
        canonical_event_bytes(EventEnvelopeView{seq, chain->number, case_seq, text(3), text(4), text(5), text(6)},
                              event.bytes);
        event.hash = digest(7);
        event.case_hash = digest(8);
        ++expected_seq;
        ++ordinal;
        if (used == kChunk) {
          reading = hasher.hand_over(std::move(chunk));
          chunk = hasher.spare();
          used = 0;
        }
      }
      if (used > 0) {
        chunk.resize(used);
        hasher.hand_over(std::move(chunk));
      }
      broken_there = hasher.finish();
      if (reading && stepped != SQLITE_DONE) throw SQLite::Exception(database.sql().getHandle(), stepped);
      if (!broken_there && !broken_here) report.events_checked = ordinal;
    }
    // The hasher's find is earlier: the reader only stops at its own find or when told to.
    if (broken_there) return name_non_canonical_payload(database.sql(), *broken_there);
    if (broken_here) return name_non_canonical_payload(database.sql(), *broken_here);
    // Each case row records its newest event's hash and its version: a history cut short at the
    // end (the newest events deleted) no longer reaches them.
    SQLite::Statement cases(database.sql(), "SELECT id, number, version, last_hash FROM cases ORDER BY id");
    while (cases.executeStep()) {
      const CaseChain& chain = chains[static_cast<std::size_t>(cases.getColumn(0).getInt64())];
      const std::int64_t version = cases.getColumn(2).getInt64();
      if (chain.last_seq != version || column_digest(cases.getColumn(3)) != chain.hash) {
        const std::string present =
            chain.last_seq == 0 ? "holds no event" : "holds events 1 to " + std::to_string(chain.last_seq);
        return AuditReport{false,
                           report.events_checked,
                           0,
                           cases.getColumn(1).getString(),
                           chain.last_seq + 1,
                           "the case's history ends early: it " + present + ", but the case records " +
                               std::to_string(version) +
                               " and the hash of its newest; the events after the last present are missing"};
      }
    }
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, database.busy_timeout_ms());
  }
  return report;
}

Status export_audit(Database& database, const std::optional<std::string>& case_number, std::ostream& out) {
  try {
    SQLite::Statement query(
        database.sql(),
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
      const Digest prev =
          digest_from_bytes(query.getColumn(10).getBlob(), static_cast<std::size_t>(query.getColumn(10).getBytes()));
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
      line.Key("payload"),
          line.RawValue(row.envelope.payload_json.c_str(), row.envelope.payload_json.size(), rapidjson::kObjectType);
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
