#pragma once

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

namespace docket {

// The name to open connections with; registers the VFS on first use (thread-safe). Null when
// the default VFS cannot be wrapped (then connections use the default).
const char* wal_coalescing_vfs();

}  // namespace docket
