// A SQLite VFS that writes each commit's WAL frames to the file in one write.
//
// SQLite appends a WAL frame as two writes (its 24-byte header, then the page), each a system
// call; a command changes five or six pages, a batch of commands forty or more. This VFS wraps
// the default one and, for WAL files only, gathers consecutive writes in memory and hands them
// to the file in one write when the frame that commits a transaction is complete — before
// SQLite syncs the WAL and before it publishes the commit to other connections, so every
// reader and every sync sees exactly what it would have seen. Any other operation on the WAL
// (read, sync, truncate, size, file control, close) and any write that does not continue the
// gathered ones writes what was gathered first. A failed write is reported by the write that
// completes the commit, so the transaction fails as it would have. Database and journal files
// are the default VFS's own, untouched.
//
// It also lets the server's writer pipeline its commits (DeferredWalSync): the sync SQLite does
// when a transaction commits (synchronous=FULL) is handed to another thread, and the writer goes
// on with the next transaction while the disk works.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace docket {

// The name to open connections with; registers the VFS on first use (thread-safe). Null when
// the default VFS cannot be wrapped (then connections use the default).
const char* wal_coalescing_vfs();

// A descriptor of its own on a WAL file, to make what was written to it durable from any
// thread (fdatasync syncs the file, whichever descriptor asks).
class WalSync {
 public:
  explicit WalSync(int fd) : fd_(fd) {}
  ~WalSync();
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;
  // Makes every write to the file so far durable: 0, or the errno of the failed fdatasync.
  int sync() const;

 private:
  int fd_;
};

// While one is alive on a thread, a commit made on that thread need not wait for its WAL sync:
// the sync is owed instead (owed()), and whoever holds this must make it (WalSync::sync) before
// telling anyone the transaction is durable. Whether to owe it is asked when the sync is due
// (`wanted`), so a writer with nothing else to do can still sync at once. Every other sync is still made where SQLite asks
// for it: the WAL header's after a restart (the frames must not reach the disk before it), a
// checkpoint's (which also covers what is owed), and the first sync of a WAL file (the one that
// also syncs its folder). SQLite publishes the commit to other connections as soon as its COMMIT
// returns, before the owed sync: readers that must only see durable data wait for it themselves.
class DeferredWalSync {
 public:
  // `commits`, when given, is incremented for each commit whose frames reach the WAL file,
  // before the commit is published to other connections. `wanted`, when given, is asked at each
  // commit's sync whether to owe it (true) or make it now (false).
  explicit DeferredWalSync(std::atomic<std::uint64_t>* commits = nullptr, std::function<bool()> wanted = {});
  ~DeferredWalSync();
  DeferredWalSync(const DeferredWalSync&) = delete;
  DeferredWalSync& operator=(const DeferredWalSync&) = delete;

  // The WAL whose commit sync was skipped; null when none was (nothing committed, or every
  // sync had to be made at once).
  const std::shared_ptr<WalSync>& owed() const { return owed_; }
  // True when a commit's sync was made at once (then every commit before it is durable too).
  bool synced() const { return synced_; }

  // For the VFS: a commit's frames were written; is its sync to be owed; it is owed on `file`;
  // it was made.
  void written();
  bool wanted() const { return !wanted_ || wanted_(); }
  void owe(std::shared_ptr<WalSync> file) { owed_ = std::move(file); }
  void made() { synced_ = true; }

 private:
  std::atomic<std::uint64_t>* commits_;
  std::function<bool()> wanted_;
  std::shared_ptr<WalSync> owed_;
  bool synced_ = false;
  DeferredWalSync* outer_;
};

}  // namespace docket
