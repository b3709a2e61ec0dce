// Runs a fuzz target's LLVMFuzzerTestOneInput once on each file named on the command line, or
// on each file of each folder named (the seed corpus), for the test build where libFuzzer is not
// linked. A target that crashes fails the test; with the sanitizer build, so does any report.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

int run_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", file.c_str());
    return 1;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int failures = 0;
  int inputs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path given(argv[i]);
    if (!std::filesystem::is_directory(given)) {
      failures += run_file(given);
      ++inputs;
      continue;
    }
    for (const auto& entry : std::filesystem::directory_iterator(given)) {
      if (!entry.is_regular_file()) continue;
      failures += run_file(entry.path());
      ++inputs;
    }
  }
  std::printf("%d inputs run, %d unreadable\n", inputs, failures);
  return failures == 0 && inputs > 0 ? 0 : 1;
}
