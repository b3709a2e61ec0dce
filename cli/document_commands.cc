// docket document letter: the recommendation letter of a case as a Word file (docs/documents.md),
// read as the acting user (--as) may read the case, with the committee's letterhead from the
// documents configuration (--documents-config) and the templates of the documents folder.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <memory>

#include "app.h"
#include "case_view.h"
#include "command_support.h"
#include "core/text.h"
#include "documents/recommendation_letter.h"
#include "workspace/letters.h"

namespace docket::cli {
namespace {

namespace fs = std::filesystem;

struct LetterOptions {
  std::string number;
  std::string out;
  std::string config;     // --documents-config, DOCKET_DOCUMENTS_CONFIG
  std::string templates;  // empty: the documents folder beside the workflows
  std::string date;       // empty: today in Vietnam
  bool issue = false;     // take the register's number and keep the letter with the case
};

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

fs::path templates_folder(const Context& context, const LetterOptions& options) {
  return options.templates.empty() ? fs::path(context.workflows_dir) / "documents" : fs::path(options.templates);
}

Status write_letter(Context& context, Workspace& workspace, const Reader& reader, const LetterOptions& options) {
  DOCKET_TRY(state, readable_case(workspace, reader, options.number));
  DOCKET_TRY(head, documents::load_letterhead(options.config, {documents::kLetterKind}));
  const Date date = options.date.empty() ? vietnam_date(workspace.clock().now()) : *parse_date(options.date);
  DOCKET_TRY(docx, draft_letter(workspace, *state, LetterSource{*head, templates_folder(context, options)}, date));
  if (Status written = write_output(options.out, *docx); !written) return written;
  context.out << "wrote " << options.out << ": the recommendation letter of " << state->number << " ("
              << state->recommendations.size() << " recommendation(s), " << docx->size() << " bytes)\n";
  return Ok{};
}

// Issues the letter: the register's next number printed on it, the file kept with the case, in
// one transaction (workspace/issue_document.h); then writes the file.
Status issue(Context& context, Workspace& workspace, const std::string& user, const LetterOptions& options) {
  DOCKET_TRY(reader, workspace.access().reader(user));
  DOCKET_TRY(head, documents::load_letterhead(options.config, {documents::kLetterKind}));
  const std::string file_name = fs::path(options.out).filename().string();
  DOCKET_TRY(issued, issue_letter(workspace, *reader, options.number,
                                  LetterSource{*head, templates_folder(context, options)}, file_name));
  context.out << "issued " << issued->reference << ": the recommendation letter of " << options.number
              << ", kept with the case as " << file_name << "\n";
  if (Status written = write_output(options.out, issued->content); !written) {
    return make_error(written.error().code, written.error().message + " (the letter was issued and is kept with " +
                                                "the case: docket case show " + options.number + ")");
  }
  context.out << "wrote " << options.out << " (" << issued->content.size() << " bytes)\n";
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
  letter->add_flag("--issue", options->issue,
                   "Issue it: take the next number of the unit's outgoing register, print it and keep the "
                   "letter with the case (dated today)");
  letter->callback([&context, options] {
    if (!options->date.empty() && !parse_date(options->date))
      throw CLI::ValidationError("--date", "expected a date YYYY-MM-DD, got " + in_quotes(options->date));
    if (options->issue && !options->date.empty())
      throw CLI::ValidationError("--date", "an issued letter is dated the day it is issued; leave out --date");
    if (options->issue) {
      const std::string& user = require_acting_user(context);
      with_workspace(context, [&](Workspace& workspace) { return issue(context, workspace, user, *options); });
      return;
    }
    read_as_acting_user(context, [&](Workspace& workspace, const Reader& reader) {
      return write_letter(context, workspace, reader, *options);
    });
  });
}

}  // namespace docket::cli
