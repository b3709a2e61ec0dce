// Writing a file that must not replace one already there, and must be whole or absent after a
// crash: the bytes go to a temporary file in the same folder, are flushed to disk, and the
// temporary is then linked under the final name (link(2) fails when the name is taken) and the
// folder flushed. Thread-safe.
#pragma once

#include <sys/types.h>
#include <filesystem>
#include <string_view>

#include "core/result.h"

namespace docket {

// Writes `bytes` to `path` with permissions `mode` (e.g. 0600), creating no folder. Errors:
// already_exists when `path` exists (it is left as it is), storage naming the file when it
// cannot be written (nothing is left under `path`).
Status write_new_file(const std::filesystem::path& path, std::string_view bytes, mode_t mode);

// Gives the finished, flushed file `temporary` (in the same folder) the name `path` as well,
// unless `path` is taken, and flushes the folder; removing the temporary name is the caller's.
// Errors: already_exists when `path` exists (it is left as it is), storage naming the file.
Status link_new_file(const std::filesystem::path& temporary, const std::filesystem::path& path);

}  // namespace docket
