#include "store/internal/wal_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <string>

namespace docket {
namespace {

constexpr int kFrameHeaderBytes = 24;                  // https://www.sqlite.org/fileformat2.html#walformat
constexpr std::size_t kMaxGathered = 4 * 1024 * 1024;  // a transaction larger than this goes out in parts
// The default VFS writes at most 128 KiB - 1 per call (os_unix.c, seekAndWriteFd masks the
// length with 0x1ffff), so larger writes are handed to it in parts below that.
constexpr std::size_t kMaxWrite = 124 * 1024;

sqlite3_vfs* underlying = nullptr;  // the default VFS this one wraps

// A WAL file: the default VFS's file (which lives right after this object, in the memory
// SQLite allocated for it) and the writes gathered since the last flush.
struct WalFile {
  sqlite3_file base;  // first: SQLite sees a WalFile as a sqlite3_file
  sqlite3_file* real;
  std::string gathered;  // bytes that go to offset `start`
  sqlite3_int64 start = 0;
  bool commit_frame = false;  // the last write was the header of a frame that commits

  int flush() {
    int rc = SQLITE_OK;
    for (std::size_t done = 0; done < gathered.size() && rc == SQLITE_OK; done += kMaxWrite) {
      const std::size_t part = std::min(kMaxWrite, gathered.size() - done);
      rc = real->pMethods->xWrite(real, gathered.data() + done, static_cast<int>(part),
                                  start + static_cast<sqlite3_int64>(done));
    }
    gathered.clear();  // on failure too: SQLite fails the transaction, whose frames are then never read
    return rc;
  }
};

WalFile* wal(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }
sqlite3_file* real(sqlite3_file* file) { return wal(file)->real; }

// The frame header's second word is the database size after a commit, zero in other frames.
bool commits(const void* header) {
  const auto* bytes = static_cast<const unsigned char*>(header);
  return (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
}

int wal_close(sqlite3_file* file) {
  WalFile* self = wal(file);
  const int flushed = self->flush();
  const int rc = self->real->pMethods ? self->real->pMethods->xClose(self->real) : SQLITE_OK;
  self->~WalFile();
  return flushed != SQLITE_OK ? flushed : rc;
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile* self = wal(file);
  if (!self->gathered.empty() && offset != self->start + static_cast<sqlite3_int64>(self->gathered.size())) {
    if (const int rc = self->flush(); rc != SQLITE_OK) return rc;
  }
  if (self->gathered.empty()) self->start = offset;
  try {
    self->gathered.append(static_cast<const char*>(data), static_cast<std::size_t>(amount));
  } catch (const std::bad_alloc&) {
    self->gathered.clear();
    return SQLITE_IOERR_NOMEM;
  }
  if (amount == kFrameHeaderBytes) {
    self->commit_frame = commits(data);
    return SQLITE_OK;
  }
  if (self->commit_frame || self->gathered.size() >= kMaxGathered) {
    self->commit_frame = false;
    return self->flush();
  }
  return SQLITE_OK;
}

int wal_read(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
  if (const int rc = wal(file)->flush(); rc != SQLITE_OK) return rc;
  return real(file)->pMethods->xRead(real(file), data, amount, offset);
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (const int rc = wal(file)->flush(); rc != SQLITE_OK) return rc;
  return real(file)->pMethods->xTruncate(real(file), size);
}

int wal_sync(sqlite3_file* file, int flags) {
  if (const int rc = wal(file)->flush(); rc != SQLITE_OK) return rc;
  return real(file)->pMethods->xSync(real(file), flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  if (const int rc = wal(file)->flush(); rc != SQLITE_OK) return rc;
  return real(file)->pMethods->xFileSize(real(file), size);
}

int wal_lock(sqlite3_file* file, int level) { return real(file)->pMethods->xLock(real(file), level); }
int wal_unlock(sqlite3_file* file, int level) { return real(file)->pMethods->xUnlock(real(file), level); }
int wal_check_reserved(sqlite3_file* file, int* out) {
  return real(file)->pMethods->xCheckReservedLock(real(file), out);
}

int wal_file_control(sqlite3_file* file, int op, void* arg) {
  if (const int rc = wal(file)->flush(); rc != SQLITE_OK) return rc;
  return real(file)->pMethods->xFileControl(real(file), op, arg);
}

int wal_sector_size(sqlite3_file* file) { return real(file)->pMethods->xSectorSize(real(file)); }
int wal_device(sqlite3_file* file) { return real(file)->pMethods->xDeviceCharacteristics(real(file)); }

// SQLite never maps or memory-maps a WAL file through its own methods; these only forward.
int wal_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return real(file)->pMethods->xShmMap(real(file), region, size, extend, out);
}
int wal_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  return real(file)->pMethods->xShmLock(real(file), offset, n, flags);
}
void wal_shm_barrier(sqlite3_file* file) { real(file)->pMethods->xShmBarrier(real(file)); }
int wal_shm_unmap(sqlite3_file* file, int delete_flag) {
  return real(file)->pMethods->xShmUnmap(real(file), delete_flag);
}
int wal_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  *out = nullptr;  // "not mapped": SQLite reads instead, through wal_read
  (void)file, (void)offset, (void)amount;
  return SQLITE_OK;
}
int wal_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  (void)file, (void)offset, (void)page;
  return SQLITE_OK;
}

const sqlite3_io_methods wal_methods = {
    3,
    wal_close,
    wal_read,
    wal_write,
    wal_truncate,
    wal_sync,
    wal_file_size,
    wal_lock,
    wal_unlock,
    wal_check_reserved,
    wal_file_control,
    wal_sector_size,
    wal_device,
    wal_shm_map,
    wal_shm_lock,
    wal_shm_barrier,
    wal_shm_unmap,
    wal_fetch,
    wal_unfetch,
};

int vfs_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) == 0) {
    // Everything but the WAL is the default VFS's file itself (this VFS's files are larger
    // than the default's, so it fits).
    return underlying->xOpen(underlying, name, file, flags, out_flags);
  }
  auto* inner = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + sizeof(WalFile));
  std::memset(inner, 0, static_cast<std::size_t>(underlying->szOsFile));
  const int rc = underlying->xOpen(underlying, name, inner, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (inner->pMethods) inner->pMethods->xClose(inner);
    file->pMethods = nullptr;
    return rc;
  }
  WalFile* self = new (file) WalFile{};
  self->real = inner;
  self->base.pMethods = &wal_methods;
  return SQLITE_OK;
}

int vfs_delete(sqlite3_vfs*, const char* name, int sync_dir) { return underlying->xDelete(underlying, name, sync_dir); }
int vfs_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return underlying->xAccess(underlying, name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return underlying->xFullPathname(underlying, name, size, out);
}
void* vfs_dl_open(sqlite3_vfs*, const char* name) { return underlying->xDlOpen(underlying, name); }
void vfs_dl_error(sqlite3_vfs*, int size, char* out) { underlying->xDlError(underlying, size, out); }
void (*vfs_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return underlying->xDlSym(underlying, handle, symbol);
}
void vfs_dl_close(sqlite3_vfs*, void* handle) { underlying->xDlClose(underlying, handle); }
int vfs_randomness(sqlite3_vfs*, int size, char* out) { return underlying->xRandomness(underlying, size, out); }
int vfs_sleep(sqlite3_vfs*, int microseconds) { return underlying->xSleep(underlying, microseconds); }
int vfs_current_time(sqlite3_vfs*, double* out) { return underlying->xCurrentTime(underlying, out); }
int vfs_last_error(sqlite3_vfs*, int size, char* out) { return underlying->xGetLastError(underlying, size, out); }
int vfs_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return underlying->xCurrentTimeInt64(underlying, out); }

sqlite3_vfs coalescing = {};

}  // namespace

const char* wal_coalescing_vfs() {
  static const char* name = []() -> const char* {
    if (sqlite3_initialize() != SQLITE_OK) return nullptr;
    underlying = sqlite3_vfs_find(nullptr);
    if (underlying == nullptr || underlying->iVersion < 2 || underlying->xCurrentTimeInt64 == nullptr) return nullptr;
    coalescing.iVersion = 2;
    coalescing.szOsFile = static_cast<int>(sizeof(WalFile)) + underlying->szOsFile;
    coalescing.mxPathname = underlying->mxPathname;
    coalescing.zName = "docket-wal";
    coalescing.xOpen = vfs_open;
    coalescing.xDelete = vfs_delete;
    coalescing.xAccess = vfs_access;
    coalescing.xFullPathname = vfs_full_pathname;
    coalescing.xDlOpen = vfs_dl_open;
    coalescing.xDlError = vfs_dl_error;
    coalescing.xDlSym = vfs_dl_sym;
    coalescing.xDlClose = vfs_dl_close;
    coalescing.xRandomness = vfs_randomness;
    coalescing.xSleep = vfs_sleep;
    coalescing.xCurrentTime = vfs_current_time;
    coalescing.xGetLastError = vfs_last_error;
    coalescing.xCurrentTimeInt64 = vfs_current_time_int64;
    if (sqlite3_vfs_register(&coalescing, 0) != SQLITE_OK) return nullptr;
    return coalescing.zName;
  }();
  return name;
}

}  // namespace docket
