#include "sheets/case_importer.h"

#include <map>
#include <set>
#include <utility>

#include "core/text.h"
#include "store/admin_log.h"
#include "store/case_references.h"

namespace docket::sheets {
namespace {

constexpr int kProgressEvery = 250;

// Errors that are the database's, not a row's: the import stops and stores nothing.
bool is_fault(ErrorCode code) {
  return code == ErrorCode::busy || code == ErrorCode::storage || code == ErrorCode::storage_corrupt ||
         code == ErrorCode::storage_full || code == ErrorCode::integrity || code == ErrorCode::internal;
}

class Importer {
 public:
  Importer(Workspace& workspace, const RowReader& reader, const ImportRequest& request, ImportReport& report)
      : workspace_(workspace), reader_(reader), request_(request), report_(report) {}

  // Every row, in order, inside the caller's write transaction. An error is a fault.
  Status run() {
    const int total = reader_.last_row() - reader_.first_row() + 1;
    for (int row = reader_.first_row(); row <= reader_.last_row(); ++row) {
      if (request_.progress && (row - reader_.first_row()) % kProgressEvery == 0)
        request_.progress(row - reader_.first_row(), total);
      if (reader_.blank(row)) continue;
      ++report_.rows;
      if (const Status done = import_row(row); !done) return done;
    }
    return Ok{};
  }

 private:
  Status import_row(int row) {
    auto values = reader_.read(row, report_.problems);
    if (!values) return Ok{};
    const std::string key = values->unit + '\n' + values->reference;
    if (const auto [seen, added] = first_row_.emplace(key, row); !added) {
      report_.problems.push_back({row, reader_.reference_column().name(),
                                  "reference " + in_quotes(values->reference) + " is also on row " +
                                      std::to_string(seen->second) + " (for the same unit)"});
      return Ok{};
    }
    DOCKET_TRY(there, find_case_reference(workspace_.database(), request_.workflow, values->unit, values->reference));
    if (*there) {
      report_.skipped.push_back({row, values->reference, (*there)->case_number});
      return Ok{};
    }
    return open_case(row, *values);
  }

  // The case and its reference, in a savepoint: a row the store refuses leaves nothing behind.
  Status open_case(int row, const RowValues& values) {
    std::string number;
    const Status opened = workspace_.database().write([&]() -> Status {
      OpenCase command{"", values.title, values.unit, values.fields};
      DOCKET_TRY(state, workspace_.cases().open(request_.workflow, request_.user, std::move(command)));
      number = state->number;
      CaseReference reference{request_.workflow, values.unit,   values.reference,        number, request_.source, row,
                              values.opened,     request_.user, workspace_.clock().now()};
      return record_case_reference(workspace_.database(), reference);
    });
    if (!opened) {
      if (is_fault(opened.error().code)) return opened;
      report_.problems.push_back({row, "", opened.error().message});
      return Ok{};
    }
    report_.imported.push_back({row, values.reference, number});
    return Ok{};
  }

  Workspace& workspace_;
  const RowReader& reader_;
  const ImportRequest& request_;
  ImportReport& report_;
  std::map<std::string, int> first_row_;  // unit + reference -> the row that had it first
};

Status record_import(Workspace& workspace, const ImportRequest& request, const ImportReport& report) {
  AdminPayload payload{{"file", request.source},
                       {"workflow", request.workflow},
                       {"rows", static_cast<std::int64_t>(report.rows)},
                       {"imported", static_cast<std::int64_t>(report.imported.size())},
                       {"skipped", static_cast<std::int64_t>(report.skipped.size())}};
  if (!report.imported.empty()) {
    payload["first_case"] = report.imported.front().case_number;
    payload["last_case"] = report.imported.back().case_number;
  }
  return record_admin_event(workspace.database(), "cases.imported", request.user, workspace.clock().now(), payload);
}

}  // namespace

Result<ImportReport> import_cases(Workspace& workspace, const Grid& grid, const ImportMapping& mapping,
                                  const ImportRequest& request) {
  const WorkflowDefinition* definition = workspace.catalog().latest(request.workflow);
  if (definition == nullptr) return make_error(ErrorCode::not_found, "unknown workflow " + in_quotes(request.workflow));
  DOCKET_TRY(user, workspace.directory().user(request.user));
  DOCKET_TRY(units, workspace.directory().units());
  DOCKET_TRY(reader, RowReader::make(grid, mapping, *definition, *units, request.default_unit));
  ImportReport report;
  // Rolled back on purpose (a dry run, or a file with problems), told apart from a failure.
  bool kept_back = false;
  const Status written = workspace.database().write([&]() -> Status {
    Importer importer(workspace, *reader, request, report);
    if (const Status ran = importer.run(); !ran) return ran;
    if (request.dry_run || !report.problems.empty()) {
      kept_back = true;
      return make_error(ErrorCode::invalid_argument, "nothing is stored");
    }
    if (report.imported.empty()) return Ok{};
    return record_import(workspace, request, report);
  });
  if (!written && !kept_back) return written.error();
  report.stored = written && !report.imported.empty();
  if (request.progress)
    request.progress(reader->last_row() - reader->first_row() + 1, reader->last_row() - reader->first_row() + 1);
  return report;
}

}  // namespace docket::sheets
