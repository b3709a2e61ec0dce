// docket search WORDS... [--workflow W] [--unit U] [--open] [--limit N]: full-text search over
// the cases the acting user (--as) may read, best match first, each with the passage that
// matched (matched words between « and »). Scoped as the API scopes it (server/case_search.h).
#include <CLI/CLI.hpp>

#include <memory>

#include "app.h"
#include "command_support.h"
#include "server/api_types.h"
#include "server/case_search.h"

namespace docket::cli {
namespace {

struct SearchOptions {
  std::vector<std::string> words;
  SearchQuery query;
  int limit = 20;
};

Table hit_table(const std::vector<SearchHit>& hits) {
  Table table{{{"rank", true}, {"number"}, {"workflow"}, {"unit"}, {"stage"}, {"title"}, {"snippet"}}, {}};
  int rank = 0;
  for (const SearchHit& hit : hits) {
    const Case& found = hit.state;
    table.rows.push_back(
        {std::to_string(++rank), found.number, found.workflow_id, found.unit, found.stage, found.title, hit.snippet});
  }
  return table;
}

Status search(Context& context, Workspace& workspace, const std::string& user, SearchOptions options) {
  auto reader = workspace.access().reader(user);
  if (!reader) return reader.error();
  for (const std::string& word : options.words) options.query.text += (options.query.text.empty() ? "" : " ") + word;
  auto page = server::search_readable(workspace, *reader, options.query, options.limit);
  if (!page) return page.error();
  if (context.format == OutputFormat::json) {  // the API's items: {"case", "snippet", "score"}
    context.out << server::json_text([&](server::Json& json) {
      json.StartArray();
      for (const SearchHit& hit : page->hits) server::write_search_hit(json, workspace, hit);
      json.EndArray();
    }) << "\n";
    return Ok{};
  }
  print_table(context.out, hit_table(page->hits), context.format, context.style);
  return Ok{};
}

}  // namespace

void add_search_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<SearchOptions>();
  CLI::App* command = app.add_subcommand(
      "search", "Find cases by words in their title, fields, comments, recommendations and text documents");
  command
      ->add_option("words", options->words,
                   "Words to look for (all must match; diacritics optional; word* for a prefix)")
      ->required();
  command->add_option("--workflow", options->query.workflow, "Only cases of this workflow");
  command->add_option("--unit", options->query.unit, "Only cases of this organisation unit");
  command->add_flag("--open", options->query.open_only, "Only cases not in a terminal stage");
  command->add_option("--limit", options->limit, "At most this many cases")->check(CLI::Range(1, 1000));
  command->callback([&context, options] {
    const std::string& user = require_acting_user(context);
    with_workspace(context, [&](Workspace& workspace) { return search(context, workspace, user, *options); });
  });
}

}  // namespace docket::cli
