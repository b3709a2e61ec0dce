// docket case list [--workflow W] [--stage S] [--unit U] [--assignee A] [--open] [--limit N]
// [--overdue | --due-within Nd]. Skips the cases the acting user may not read without
// shortening the list, as the API's pages do.
#include "case_list.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <climits>
#include <functional>
#include <memory>

#include "case_view.h"
#include "command_support.h"

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

struct DueOptions {
  bool overdue = false;
  std::string due_within;  // "3d"
};

// --due-within "3d" -> 3 days; a usage error for anything else.
std::chrono::seconds parse_window(const std::string& text) {
  int days = -1;
  const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (problem != std::errc{} || std::string_view(end) != "d" || days < 0) {
    throw CLI::ValidationError("--due-within", "expected a number of days such as 3d, got \"" + text + "\"");
  }
  return std::chrono::hours{24 * days};
}

using Fetch = std::function<Result<std::vector<Case>>(const CaseFilter&)>;

// The first filter.limit cases `fetch` gives that `reader` may read, in the store's order. The
// store knows nothing of readers, so it is asked again for twice as many until the list is full
// or it has no more; when the reader may read every case the first answer holds, one query.
Result<std::vector<Case>> readable_cases(AccessPolicy& access, const Reader& reader, CaseFilter filter,
                                         const Fetch& fetch) {
  const std::size_t wanted = static_cast<std::size_t>(filter.limit);
  for (;;) {
    auto fetched = fetch(filter);
    if (!fetched) return fetched.error();
    std::vector<Case> cases = std::move(fetched.value());
    const bool exhausted = cases.size() < static_cast<std::size_t>(filter.limit);
    std::erase_if(cases, [&](const Case& found) { return !access.can_read(reader, found); });
    if (cases.size() >= wanted || exhausted) {
      cases.resize(std::min(cases.size(), wanted));
      return cases;
    }
    filter.limit = filter.limit > INT_MAX / 2 ? INT_MAX : filter.limit * 2;
  }
}

// What the options ask the store for: overdue, due within a window, or every case.
Fetch fetch_for(CaseStore& cases, const DueOptions& due, std::chrono::seconds window) {
  if (due.overdue) return [&cases](const CaseFilter& filter) { return cases.overdue(filter); };
  if (window >= std::chrono::seconds{0}) {
    return [&cases, window](const CaseFilter& filter) { return cases.due_within(filter, window); };
  }
  return [&cases](const CaseFilter& filter) { return cases.list(filter); };
}

}  // namespace

void add_case_list_command(CLI::App& cases, Context& context) {
  auto filter = std::make_shared<CaseFilter>();
  auto due = std::make_shared<DueOptions>();
  CLI::App* command = cases.add_subcommand("list", "List cases, oldest first");
  command->add_option("--workflow", filter->workflow, "Only cases of this workflow");
  command->add_option("--stage", filter->stage, "Only cases at this stage");
  command->add_option("--unit", filter->unit, "Only cases of this organisation unit");
  command->add_option("--assignee", filter->assignee, "Only cases assigned to this user");
  command->add_flag("--open", filter->open_only, "Only cases not in a terminal stage");
  command->add_option("--limit", filter->limit, "At most this many cases")->check(CLI::PositiveNumber);
  command->add_flag("--overdue", due->overdue, "Only open cases whose current stage is past its due date");
  command->add_option("--due-within", due->due_within, "Only open cases due within this many days, e.g. 3d");
  command->callback([&context, filter, due] {
    const auto window = due->due_within.empty() ? std::chrono::seconds{-1} : parse_window(due->due_within);
    read_as_acting_user(context, [&](Workspace& workspace, const Reader& reader) {
      const Fetch fetch = fetch_for(workspace.cases(), *due, window);
      const auto found = readable_cases(workspace.access(), reader, *filter, fetch);
      if (!found) return Status(found.error());
      print_cases(context, workspace, found.value());
      return Status(Ok{});
    });
  });
}

}  // namespace docket::cli
