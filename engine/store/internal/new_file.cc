#include "store/internal/new_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "core/text.h"

namespace docket {
namespace {

Error cannot_write(const std::filesystem::path& path, int error) {
  return make_error(ErrorCode::storage, "cannot write " + in_quotes(path.string()) + ": " + std::strerror(error));
}

// Closes the descriptor and removes the temporary unless it was handed over.
class Temporary {
 public:
  Temporary(int descriptor, std::string path) : descriptor_(descriptor), path_(std::move(path)) {}
  ~Temporary() {
    if (descriptor_ >= 0) ::close(descriptor_);
    ::unlink(path_.c_str());
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;
  int descriptor() const { return descriptor_; }
  const std::string& path() const { return path_; }
  bool close() {
    const int closed = ::close(descriptor_);
    descriptor_ = -1;
    return closed == 0;
  }

 private:
  int descriptor_;
  std::string path_;
};

bool write_all(int descriptor, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(descriptor, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

void flush_folder(const std::filesystem::path& folder) {
  const int descriptor = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (descriptor < 0) return;
  ::fsync(descriptor);
  ::close(descriptor);
}

}  // namespace

Status write_new_file(const std::filesystem::path& path, std::string_view bytes, mode_t mode) {
  if (::access(path.c_str(), F_OK) == 0)
    return make_error(ErrorCode::already_exists, in_quotes(path.string()) + " already exists; it was left as it is");
  std::string pattern = path.string() + ".tmp-XXXXXX";
  const int descriptor = ::mkstemp(pattern.data());
  if (descriptor < 0) return cannot_write(path, errno);
  Temporary temporary(descriptor, pattern);
  if (::fchmod(descriptor, mode) != 0 || !write_all(descriptor, bytes) || ::fsync(descriptor) != 0 ||
      !temporary.close())
    return cannot_write(path, errno);
  return link_new_file(temporary.path(), path);
}

Status link_new_file(const std::filesystem::path& temporary, const std::filesystem::path& path) {
  if (::link(temporary.c_str(), path.c_str()) != 0) {
    if (errno == EEXIST)
      return make_error(ErrorCode::already_exists, in_quotes(path.string()) + " already exists; it was left as it is");
    return cannot_write(path, errno);
  }
  flush_folder(path.parent_path());
  return Ok{};
}

}  // namespace docket
