// docket case recommendations [--workflow W] [--unit U] [--status S] [--addressee A] [--open]
// [--format xlsx --out FILE]: the recommendation tracker, one row per recommendation of every
// case the acting user may read (the cases `case list` lists them), with the case, the body it
// is addressed to, its status (in the web pages' words, web/page.h, and its id for --status), the
// day it was made and the day it was answered, and the answer.
// Registered under `docket case` by add_case_commands (case_commands.cc).
#include <CLI/CLI.hpp>

#include <memory>

#include "case_list.h"
#include "command_support.h"
#include "sheet_export.h"
#include "web/page.h"

namespace docket::cli {
namespace {

struct TrackerOptions {
  CaseFilter filter;
  std::string status;
  std::string addressee;
};

std::string vietnam_day(Timestamp at) { return format_date(vietnam_date(at)); }

Table tracker_table() {
  return Table{{{"number"},
                {"unit"},
                {"recommendation", true, Moment::none, {"Kiến nghị số", "Recommendation"}},
                {"text"},
                {"to", false, Moment::none, {"Cơ quan nhận kiến nghị", "Addressee"}},
                {"status_label", false, Moment::none, {"Trạng thái", "Status"}},
                {"status", false, Moment::none, {"Mã trạng thái", "Status id"}},
                {"made_on", false, Moment::date, {"Ngày kiến nghị", "Made on"}},
                {"answered_on", false, Moment::date, {"Ngày trả lời", "Answered on"}},
                {"answer"}},
               {}};
}

bool selected(const Recommendation& made, const TrackerOptions& options) {
  if (!options.status.empty() && to_string(made.status) != options.status) return false;
  return options.addressee.empty() || made.addressee == options.addressee;
}

Status list(Context& context, Workspace& workspace, const Reader& reader, const TrackerOptions& options,
            const SheetOutput& sheet) {
  DOCKET_TRY(cases, readable_cases(workspace, reader, options.filter));
  Table table = tracker_table();
  const web::Language language{context.style.headers == Headers::en ? "en" : "vi"};
  for (const Case& listed : *cases) {
    // Lists carry no recommendations: the case itself does.
    DOCKET_TRY(state, workspace.cases().read(listed.number));
    for (const Recommendation& made : (*state)->recommendations) {
      if (!selected(made, options)) continue;
      table.rows.push_back({listed.number, listed.unit, std::to_string(made.number), made.text, made.addressee,
                            web::recommendation_status_text(language, made.status), to_string(made.status),
                            vietnam_day(made.made_at), made.answered_at ? vietnam_day(*made.answered_at) : "",
                            made.answer_text});
    }
  }
  if (writes_workbook(sheet)) return write_workbook(context, table, "Kiến nghị", sheet);
  print_table(context.out, table, context.format, context.style);
  return Ok{};
}

}  // namespace

void add_recommendation_list_command(CLI::App& cases, Context& context) {
  auto options = std::make_shared<TrackerOptions>();
  auto sheet = std::make_shared<SheetOutput>();
  CLI::App* command = cases.add_subcommand(
      "recommendations", "The recommendation tracker: one row per recommendation of the cases you may read");
  command->add_option("--workflow", options->filter.workflow, "Only cases of this workflow");
  command->add_option("--unit", options->filter.unit, "Only cases of this organisation unit");
  command->add_flag("--open", options->filter.open_only, "Only cases not in a terminal stage");
  command->add_option("--status", options->status, "Only recommendations with this status")
      ->check(
          CLI::IsMember({"draft", "sent", "accepted", "partly_accepted", "not_accepted", "unanswered", "escalated"}));
  command->add_option("--addressee", options->addressee, "Only recommendations to this body");
  add_sheet_options(*command, context, *sheet);
  command->callback([&context, options, sheet] {
    writes_workbook(*sheet);  // a usage error before the database is opened
    read_as_acting_user(context, [&](Workspace& workspace, const Reader& reader) {
      return list(context, workspace, reader, *options, *sheet);
    });
  });
}

}  // namespace docket::cli
