// docket document letter: the recommendation letter of a case as a Word file (docs/documents.md),
// read as the acting user (--as) may read the case, with the committee's letterhead from the
// documents configuration (--documents-config) and the templates of the documents folder.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "app.h"
#include "case_view.h"
#include "command_support.h"
#include "core/text.h"
#include "documents/recommendation_letter.h"

namespace docket::cli {
namespace {

namespace fs = std::filesystem;

struct LetterOptions {
  std::string number;
  std::string out;
  std::string config;     // --documents-config, DOCKET_DOCUMENTS_CONFIG
  std::string templates;  // empty: the documents folder beside the workflows
  std::string date;       // empty: today in Vietnam
};

// The names to print for addressees that are users (a party's account); others are printed as
// they were written.
std::map<std::string, std::string> addressee_names(Workspace& workspace, const Case& state) {
  std::map<std::string, std::string> names;
  for (const Recommendation& made : state.recommendations) {
    if (auto user = workspace.directory().user(made.addressee)) names[made.addressee] = user->name;
  }
  return names;
}

// Writes beside the target and renames, so that a failed run leaves no half-written file.
Status write_output(const std::string& path, const std::string& bytes) {
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return make_error(ErrorCode::invalid_argument, "cannot write " + path);
  }
  std::error_code problem;
  fs::rename(partial, path, problem);
  if (problem) return make_error(ErrorCode::invalid_argument, "cannot write " + path + ": " + problem.message());
  return Ok{};
}

Status write_letter(Context& context, Workspace& workspace, const Reader& reader, const LetterOptions& options) {
  DOCKET_TRY(state, readable_case(workspace, reader, options.number));
  DOCKET_TRY(head, documents::load_letterhead(options.config, {documents::kLetterKind}));
  const documents::LetterRequest request{
      options.date.empty() ? vietnam_date(workspace.clock().now()) : *parse_date(options.date),
      addressee_names(workspace, *state)};
  const fs::path templates =
      options.templates.empty() ? fs::path(context.workflows_dir) / "documents" : fs::path(options.templates);
  DOCKET_TRY(docx, documents::recommendation_letter(*state, *head, request, templates));
  if (Status written = write_output(options.out, *docx); !written) return written;
  context.out << "wrote " << options.out << ": the recommendation letter of " << state->number << " ("
              << state->recommendations.size() << " recommendation(s), " << docx->size() << " bytes)\n";
  return Ok{};
}

}  // namespace

void add_document_commands(CLI::App& app, Context& context) {
  CLI::App* documents = app.add_subcommand("document", "Word documents of a case (docs/documents.md)");
  documents->require_subcommand(1);
  auto options = std::make_shared<LetterOptions>();
  CLI::App* letter = documents->add_subcommand("letter", "The recommendation letter of a case as a .docx file");
  letter->add_option("number", options->number, "Case number")->required();
  letter->add_option("--out", options->out, "The .docx file to write")->required();
  letter
      ->add_option("--documents-config", options->config,
                   "The committee's letterhead, signer and recipients (config/documents.example.json)")
      ->envname("DOCKET_DOCUMENTS_CONFIG")
      ->required();
  letter->add_option("--templates", options->templates,
                     "Folder of the document templates (default: documents/ in the workflows folder)");
  letter->add_option("--date", options->date, "The date on the letter, YYYY-MM-DD (default: today in Vietnam)");
  letter->callback([&context, options] {
    if (!options->date.empty() && !parse_date(options->date))
      throw CLI::ValidationError("--date", "expected a date YYYY-MM-DD, got " + in_quotes(options->date));
    read_as_acting_user(context, [&](Workspace& workspace, const Reader& reader) {
      return write_letter(context, workspace, reader, *options);
    });
  });
}

}  // namespace docket::cli
