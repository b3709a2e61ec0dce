// docket case list [--workflow W] [--stage S] [--unit U] [--assignee A] [--open] [--sort S]
// [--limit N [--after CURSOR]] [--overdue | --due-within Nd]. Lists every matching case the
// acting user may read (server/case_listing.h, page by page as the API does); with --limit, says
// on standard error when more follow and how to list them.
#include "case_list.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <memory>

#include "case_view.h"
#include "command_support.h"
#include "server/case_listing.h"
#include "sheet_export.h"

namespace docket::cli {
namespace {

// Text and CSV: one row a case, the due date and whether it is overdue in columns of their own.
Table case_table(const std::vector<Case>& cases) {
  Table table{{{"number"},
               {"workflow"},
               {"stage"},
               {"due", false, Moment::date},
               {"overdue"},
               {"unit"},
               {"assignee"},
               {"version", true},
               {"updated_at", false, Moment::time},
               {"title"}},
              {}};
  for (const Case& state : cases) {
    const std::string due = state.deadline ? state.deadline->due : "";
    const std::string overdue = state.deadline && state.deadline->breached ? "overdue" : "";
    table.rows.push_back({state.number, state.workflow_id, state.stage, due, overdue, state.unit, state.assignee,
                          std::to_string(state.version), format_timestamp(state.updated_at), state.title});
  }
  return table;
}

// JSON: the cases as the API lists them (case_json without details), in an array.
void print_cases(Context& context, Workspace& workspace, const std::vector<Case>& cases) {
  if (context.format != OutputFormat::json) {
    print_table(context.out, case_table(cases), context.format, context.style);
    return;
  }
  context.out << "[";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& state = cases[i];
    context.out << (i > 0 ? "," : "")
                << case_json(state, workspace.catalog().find(state.workflow_id, state.workflow_version), false);
  }
  context.out << "]\n";
}

struct ListOptions {
  bool overdue = false;
  std::string due_within;  // "3d"
  std::string sort;        // "number", "due", "-due", ...
  std::string after;       // the cursor a cut list printed
  int limit = 0;           // 0: every case
};

// --due-within "3d" -> 3 days; a usage error for anything else.
int parse_window(const std::string& text) {
  int days = -1;
  const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (problem != std::errc{} || std::string_view(end) != "d" || days < 0 || days > 3660) {
    throw CLI::ValidationError("--due-within", "expected a number of days such as 3d, got \"" + text + "\"");
  }
  return days;
}

server::CaseListing listing_of(const CaseFilter& filter, const ListOptions& options) {
  server::CaseListing listing;
  listing.filter = filter;
  listing.filter.after_number = options.after;
  listing.overdue = options.overdue;
  if (!options.due_within.empty()) listing.due_within = parse_window(options.due_within);
  const bool descending = !options.sort.empty() && options.sort.front() == '-';
  listing.order = options.sort == "due" || options.sort == "-due" ? CaseOrder::due : CaseOrder::number;
  listing.descending = descending;
  return listing;
}

// Every case the listing selects that `reader` may read, page after page (list_readable, as
// the API pages), up to `limit` when it is not 0. `next` is the cursor after the last one
// returned when the limit cut the list.
Result<std::vector<Case>> read_all(Workspace& workspace, const Reader& reader, server::CaseListing listing, int limit,
                                   std::string& next) {
  constexpr int kPage = 500;
  std::vector<Case> cases;
  for (;;) {
    const int left = limit > 0 ? limit - static_cast<int>(cases.size()) : kPage;
    listing.limit = std::min(kPage, left);
    auto page = server::list_readable(workspace, reader, listing);
    if (!page) return page.error();
    for (Case& c : page->cases) cases.push_back(std::move(c));
    if (!page->more) return cases;
    if (limit > 0 && static_cast<int>(cases.size()) >= limit) {
      next = page->next_cursor;
      return cases;
    }
    listing.filter.after_number = page->next_cursor;
  }
}

}  // namespace

Result<std::vector<Case>> readable_cases(Workspace& workspace, const Reader& reader, const CaseFilter& filter) {
  std::string next;
  return read_all(workspace, reader, listing_of(filter, ListOptions{}), 0, next);
}

void add_case_list_command(CLI::App& cases, Context& context) {
  auto filter = std::make_shared<CaseFilter>();
  auto options = std::make_shared<ListOptions>();
  auto sheet = std::make_shared<SheetOutput>();
  CLI::App* command = cases.add_subcommand("list", "List cases, by number or by due date");
  command->add_option("--workflow", filter->workflow, "Only cases of this workflow");
  command->add_option("--stage", filter->stage, "Only cases at this stage");
  command->add_option("--unit", filter->unit, "Only cases of this organisation unit");
  command->add_option("--assignee", filter->assignee, "Only cases assigned to this user");
  command->add_flag("--open", filter->open_only, "Only cases not in a terminal stage");
  command->add_option("--limit", options->limit, "At most this many cases (default: all)")->check(CLI::PositiveNumber);
  command->add_option("--after", options->after, "Continue a list cut by --limit (the cursor it printed)");
  command
      ->add_option("--sort", options->sort, "number (default) or due; --sort=-number, --sort=-due: the other way round")
      ->check(CLI::IsMember({"number", "-number", "due", "-due"}));
  command->add_flag("--overdue", options->overdue, "Only open cases whose current stage is past its due date");
  command->add_option("--due-within", options->due_within, "Only open cases due within this many days, e.g. 3d");
  add_sheet_options(*command, context, *sheet);
  command->callback([&context, filter, options, sheet] {
    if (options->overdue && !options->due_within.empty())
      throw CLI::ValidationError("--overdue", "give --overdue or --due-within, not both");
    const bool workbook = writes_workbook(*sheet);
    const server::CaseListing listing = listing_of(*filter, *options);
    read_as_acting_user(context, [&](Workspace& workspace, const Reader& reader) {
      std::string next;
      const auto found = read_all(workspace, reader, listing, options->limit, next);
      if (!found) return Status(found.error());
      if (workbook) {
        if (const Status written = write_workbook(context, case_table(found.value()), "Hồ sơ", *sheet); !written)
          return written;
      } else {
        print_cases(context, workspace, found.value());
      }
      // On standard error, so that the table or JSON on standard output stays whole.
      if (!next.empty())
        context.err << "more cases follow: add --after " << next << " for the next ones (or leave out --limit)\n";
      return Status(Ok{});
    });
  });
}

}  // namespace docket::cli
