// Generates the scale benchmark's database (see scale.h) at `path`, atomically: it is built
// under another name and renamed into place, with the bench user's API token in PATH.token.
#pragma once

#include <filesystem>

#include "core/result.h"
#include "core/time.h"

namespace docket::bench {

Status generate_scale_database(const std::filesystem::path& path, int cases, int communes, Timestamp now);

}  // namespace docket::bench
