// docket register list: the outgoing register (sổ văn bản đi) of a unit, as issued documents
// took their numbers (store/outgoing_register.h, docs/documents.md). With --as, only the
// documents of cases that user may read.
#include <CLI/CLI.hpp>

#include <memory>

#include "app.h"
#include "command_support.h"
#include "store/outgoing_register.h"

namespace docket::cli {
namespace {

struct RegisterOptions {
  std::string unit;
  int year = 0;
  std::string kind;
};

Table register_table(const std::vector<RegisterEntry>& entries) {
  Table table{{{"unit", false, Moment::none, {"Đơn vị", "Unit"}},
               {"register", false, Moment::none, {"Sổ", "Register"}},
               {"year", true, Moment::none, {"Năm", "Year"}},
               {"number", true, Moment::none, {"Số", "Number"}},
               {"reference", false, Moment::none, {"Số, ký hiệu", "Number and symbol"}},
               {"issued_at", false, Moment::time, {"Ngày ban hành", "Issued at"}},
               {"title", false, Moment::none, {"Trích yếu", "Summary"}},
               {"case", false, Moment::none, {"Hồ sơ", "Case"}},
               {"issued_by", false, Moment::none, {"Người ban hành", "Issued by"}},
               {"sha256"}},
              {}};
  for (const RegisterEntry& entry : entries) {
    table.rows.push_back({entry.unit, entry.register_kind, std::to_string(entry.year), std::to_string(entry.number),
                          entry.reference, format_timestamp(entry.issued_at), entry.title, entry.case_number,
                          entry.issued_by, entry.sha256});
  }
  return table;
}

Status list_register(Context& context, Workspace& workspace, const RegisterOptions& options) {
  const Database::ReadSnapshot snapshot(workspace.database());
  auto entries = read_outgoing_register(workspace.database(), RegisterQuery{options.unit, options.year, options.kind});
  if (!entries) return entries.error();
  if (!context.acting_user.empty()) {
    DOCKET_TRY(reader, workspace.access().reader(context.acting_user));
    std::vector<RegisterEntry> readable;
    for (RegisterEntry& entry : *entries) {
      auto current = workspace.cases().read(entry.case_number);
      if (current && workspace.access().can_read(*reader, **current)) readable.push_back(std::move(entry));
    }
    *entries = std::move(readable);
  }
  print_table(context.out, register_table(*entries), context.format, context.style);
  return Ok{};
}

}  // namespace

void add_register_commands(CLI::App& app, Context& context) {
  CLI::App* registers =
      app.add_subcommand("register", "The outgoing register: documents issued, numbered per unit, kind and year");
  registers->require_subcommand(1);
  auto options = std::make_shared<RegisterOptions>();
  CLI::App* list = registers->add_subcommand("list", "Documents issued, by unit, year, register and number");
  list->add_option("--unit", options->unit, "Only this unit's register");
  list->add_option("--year", options->year, "Only this year")->check(CLI::Range(1900, 9999));
  list->add_option("--kind", options->kind, "Only this register: CV (letters), BC (reports), ...");
  list->callback([&context, options] {
    with_workspace(context, [&](Workspace& workspace) { return list_register(context, workspace, *options); });
  });
}

}  // namespace docket::cli
