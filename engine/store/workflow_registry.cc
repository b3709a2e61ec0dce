#include "store/workflow_registry.h"

#include <fstream>
#include <sstream>

#include "core/time.h"
#include "loader/workflow_loader.h"
#include "store/internal/hash.h"

namespace docket {
namespace {

struct Installable {
  WorkflowDefinition definition;
  std::string source;
};

Result<std::vector<Installable>> read_directory(const std::filesystem::path& directory) {
  std::error_code problem;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, problem)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (problem)
    return make_error(ErrorCode::not_found,
                      "cannot list workflow folder " + directory.string() + ": " + problem.message());
  std::sort(files.begin(), files.end());
  std::vector<Installable> result;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    LoadedWorkflow loaded = parse_workflow(text.str());
    for (const auto& diagnostic : loaded.diagnostics) {
      if (diagnostic.severity == Severity::error)
        return make_error(ErrorCode::invalid_argument, format_diagnostic(file, diagnostic));
    }
    result.push_back({std::move(*loaded.definition), text.str()});
  }
  return result;
}

}  // namespace

Result<int> WorkflowRegistry::install_directory(const std::filesystem::path& directory, const std::string& actor) {
  auto files = read_directory(directory);
  if (!files) return files.error();
  auto installed = catalog();
  if (!installed) return installed.error();
  int added = 0;
  const Status written = db_.write([&]() -> Status {
    for (auto& file : *files) {
      if (const WorkflowDefinition* existing = installed->find(file.definition.id, file.definition.version)) {
        if (*existing == file.definition) continue;
        return make_error(ErrorCode::already_exists,
                          "workflow " + in_quotes(file.definition.id) + " version " +
                              std::to_string(file.definition.version) +
                              " is installed with different content; raise \"version\" in the file");
      }
      SQLite::Statement insert(db_.sql(),
                               "INSERT INTO workflows (id, version, source, installed_at) VALUES (?, ?, ?, ?)");
      insert.bind(1, file.definition.id);
      insert.bind(2, file.definition.version);
      insert.bind(3, file.source);
      insert.bind(4, format_timestamp(clock_.now()));
      insert.exec();
      if (const Status added_here = installed->add(file.definition); !added_here) return added_here;
      const Status recorded = record_admin_event(db_, "workflow.installed", actor, clock_.now(),
                                                 {{"workflow", file.definition.id},
                                                  {"version", std::int64_t{file.definition.version}},
                                                  {"source_sha256", sha256_hex(file.source)}});
      if (!recorded) return recorded;
      ++added;
    }
    return Ok{};
  });
  if (!written) return written.error();
  return added;
}

Result<WorkflowCatalog> WorkflowRegistry::catalog() {
  WorkflowCatalog catalog;
  try {
    SQLite::Statement query(db_.sql(), "SELECT id, version, source FROM workflows ORDER BY id, version");
    while (query.executeStep()) {
      // Read back under the rules it was installed with (workflow_validator.h).
      LoadedWorkflow loaded = parse_workflow(query.getColumn(2).getString(), ValidationMode::installed);
      if (!loaded.definition) {
        return make_error(ErrorCode::internal, "installed workflow " + query.getColumn(0).getString() + " v" +
                                                   std::to_string(query.getColumn(1).getInt()) +
                                                   " no longer validates");
      }
      if (const Status added = catalog.add(std::move(*loaded.definition)); !added) return added.error();
    }
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, db_.busy_timeout_ms());
  }
  return catalog;
}

}  // namespace docket
