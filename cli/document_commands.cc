// docket document letter|report|supervision|critique: the documents a committee signs, as Word
// files in the layout of Decree 30/2020 or as PDF (docs/documents.md): read as the acting user
// (--as) may read the case or the unit, with the committee's letterhead from the documents
// configuration (--documents-config) and the templates of the documents folder. Each file is
// written beside the target and renamed, so that a refusal leaves no half-written file.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "app.h"
#include "case_view.h"
#include "command_support.h"
#include "core/text.h"
#include "documents/case_documents.h"
#include "documents/pdf_conversion.h"
#include "documents/recommendation_letter.h"
#include "documents/report_document.h"
#include "reports/report_reader.h"
#include "reports/vietnamese.h"
#include "workspace/letters.h"

namespace docket::cli {
namespace {

namespace fs = std::filesystem;

// What every document command takes.
struct DocumentOptions {
  std::string out;
  std::string format;     // docx or pdf; empty: by the extension of --out
  std::string config;     // --documents-config, DOCKET_DOCUMENTS_CONFIG
  std::string templates;  // empty: the documents folder beside the workflows
  std::string date;       // empty: today in Vietnam
  std::string number;     // the outgoing register's number; empty: left blank
};

struct CaseOptions : DocumentOptions {
  std::string case_number;
  bool issue = false;  // take the register's number and keep the document with the case
};

// The report of a unit and period, or (--case) of the periodic-report case that names them.
struct ReportOptions : CaseOptions {
  std::string unit;
  std::string period;
  bool rollup = false;
  std::string as_of;
};

bool wants_pdf(const DocumentOptions& options) {
  if (!options.format.empty()) return options.format == "pdf";
  return fs::path(options.out).extension() == ".pdf";
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

// The .docx, or its PDF, written to --out; says what was written.
// `detail` goes in the parentheses before the size: "2 recommendation(s), ".
Status deliver(Context& context, const DocumentOptions& options, Result<std::string> docx, const std::string& what,
               const std::string& detail = "") {
  if (!docx) return docx.error();
  const bool pdf = wants_pdf(options);
  std::string bytes = std::move(*docx);
  if (pdf) {
    auto converted = documents::docx_to_pdf(bytes);
    if (!converted) return converted.error();
    bytes = std::move(*converted);
  }
  if (Status written = write_output(options.out, bytes); !written) return written;
  context.out << "wrote " << options.out << ": " << what << " (" << detail << (pdf ? "PDF, " : "") << bytes.size()
              << " bytes)\n";
  return Ok{};
}

fs::path templates_of(const Context& context, const DocumentOptions& options) {
  return options.templates.empty() ? fs::path(context.workflows_dir) / "documents" : fs::path(options.templates);
}

Date date_of(Workspace& workspace, const DocumentOptions& options) {
  return options.date.empty() ? vietnam_date(workspace.clock().now()) : *parse_date(options.date);
}

// What the CLI says it wrote: "the recommendation letter of PB-2026-0001".
std::string described(CaseDocument which, const std::string& number) {
  switch (which) {
    case CaseDocument::letter:
      return "the recommendation letter of " + number;
    case CaseDocument::supervision:
      return "the supervision results report of " + number;
    case CaseDocument::critique:
      return "the critique document of " + number;
    case CaseDocument::periodic_report:
      return "the report of " + number;
  }
  return number;
}

// A document of a case as a draft: the number left blank unless --number gives one.
Status write_case_document(Context& context, Workspace& workspace, const Reader& reader, const CaseOptions& options,
                           CaseDocument which) {
  DOCKET_TRY(state, readable_case(workspace, reader, options.case_number));
  DOCKET_TRY(head, documents::load_letterhead(options.config, {letterhead_kind(which)}));
  const documents::Issue issue{date_of(workspace, options), options.number};
  const std::string detail =
      which == CaseDocument::letter ? std::to_string(state->recommendations.size()) + " recommendation(s), " : "";
  return deliver(
      context, options,
      draft_document(workspace, reader, *state, which, DocumentSource{*head, templates_of(context, options)}, issue),
      described(which, state->number), detail);
}

Status write_report(Context& context, Workspace& workspace, const Reader& reader, const ReportOptions& options) {
  DOCKET_TRY(period, reports::parse_period(options.period));
  DOCKET_TRY(as_of, reports::parse_as_of(options.as_of, workspace.clock().now()));
  if (Status started = reports::check_period_started(*period, *as_of); !started) return started;
  DOCKET_TRY(head, documents::load_letterhead(options.config, {documents::kReportKind}));
  const reports::ReportRequest request{*period, *as_of, options.unit, options.rollup};
  DOCKET_TRY(report, reports::read_report(workspace.cases(), workspace.directory(), workspace.catalog(), request,
                                          reports::reader_scope(workspace.access(), reader)));
  const documents::Issue issue{date_of(workspace, options), options.number};
  return deliver(context, options, documents::report_document(*report, *head, issue, templates_of(context, options)),
                 "the report of " + report->unit_name + ", " + reports::period_in_words(*period) +
                     (options.rollup ? ", with the units below" : ""));
}

// Issues a document of a case: the register's next number printed on it, the file kept with
// the case, in one transaction (workspace/issue_document.h); then writes the file.
Status issue(Context& context, Workspace& workspace, const std::string& user, const CaseOptions& options,
             CaseDocument which) {
  DOCKET_TRY(reader, workspace.access().reader(user));
  DOCKET_TRY(head, documents::load_letterhead(options.config, {letterhead_kind(which)}));
  const std::string file_name = fs::path(options.out).filename().string();
  DOCKET_TRY(issued, issue_case_document(workspace, *reader, options.case_number, which,
                                         DocumentSource{*head, templates_of(context, options)}, file_name));
  context.out << "issued " << issued->reference << ": " << described(which, options.case_number)
              << ", kept with the case as " << file_name << "\n";
  if (Status written = write_output(options.out, issued->content); !written) {
    return make_error(written.error().code, written.error().message + " (the document was issued and is kept " +
                                                "with the case: docket case show " + options.case_number + ")");
  }
  context.out << "wrote " << options.out << " (" << issued->content.size() << " bytes)\n";
  return Ok{};
}

void add_common_options(CLI::App* command, DocumentOptions& options) {
  command->add_option("--out", options.out, "The file to write: .docx, or .pdf (through LibreOffice)")->required();
  command->add_option("--format", options.format, "docx or pdf (default: by the extension of --out)")
      ->check(CLI::IsMember({"docx", "pdf"}));
  command
      ->add_option("--documents-config", options.config,
                   "The committee's letterhead, signer and recipients (config/documents.example.json)")
      ->envname("DOCKET_DOCUMENTS_CONFIG")
      ->required();
  command->add_option("--templates", options.templates,
                      "Folder of the document templates (default: documents/ in the workflows folder)");
  command->add_option("--date", options.date, "The date on the document, YYYY-MM-DD (default: today in Vietnam)");
  command->add_option("--number", options.number, "The number from the outgoing register (default: left blank)");
}

void check_date(const DocumentOptions& options) {
  if (!options.date.empty() && !parse_date(options.date))
    throw CLI::ValidationError("--date", "expected a date YYYY-MM-DD, got " + in_quotes(options.date));
}

// The --issue flag and what it refuses, then the draft or the issue of `which`.
void add_issue_flag(CLI::App* command, CaseOptions& options) {
  command->add_flag("--issue", options.issue,
                    "Issue it: take the next number of the unit's outgoing register, print it and keep the "
                    "document with the case (dated today; docs/outgoing-register.md)");
}

void run_case_document(Context& context, const CaseOptions& options, CaseDocument which) {
  check_date(options);
  if (!options.issue) {
    read_as_acting_user(context, [&](Workspace& workspace, const Reader& reader) {
      return write_case_document(context, workspace, reader, options, which);
    });
    return;
  }
  if (!options.date.empty())
    throw CLI::ValidationError("--date", "an issued document is dated the day it is issued; leave out --date");
  if (!options.number.empty())
    throw CLI::ValidationError("--number", "an issued document takes its number from the register; leave out --number");
  if (wants_pdf(options))
    throw CLI::ValidationError("--out", "an issued document is kept as .docx, to be edited and signed");
  const std::string& user = require_acting_user(context);
  with_workspace(context, [&](Workspace& workspace) { return issue(context, workspace, user, options, which); });
}

void add_case_document(CLI::App* documents, Context& context, const char* name, const char* description,
                       CaseDocument which) {
  auto options = std::make_shared<CaseOptions>();
  CLI::App* command = documents->add_subcommand(name, description);
  command->add_option("number", options->case_number, "Case number")->required();
  add_common_options(command, *options);
  add_issue_flag(command, *options);
  command->callback([&context, options, which] { run_case_document(context, *options, which); });
}

void add_report_document(CLI::App* documents, Context& context) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* command =
      documents->add_subcommand("report", "The six-monthly or yearly review report of a unit (docs/documents.md)");
  CLI::Option* unit = command->add_option("--unit", options->unit, "The organisation unit");
  CLI::Option* period =
      command->add_option("--period", options->period, "2026-H1, 2026-H2, 2026 or FROM..TO (YYYY-MM-DD..YYYY-MM-DD)");
  CLI::Option* rollup =
      command->add_flag("--rollup", options->rollup, "Also each unit below, one row each, and the total");
  CLI::Option* as_of =
      command->add_option("--as-of", options->as_of, "The figures as they stood on this date (YYYY-MM-DD)");
  command
      ->add_option("--case", options->case_number,
                   "A periodic-report case: the report of its unit, with the units below, for the period it names")
      ->excludes(unit)
      ->excludes(period)
      ->excludes(rollup)
      ->excludes(as_of);
  add_common_options(command, *options);
  add_issue_flag(command, *options);
  command->callback([&context, options] {
    if (!options->case_number.empty()) {
      run_case_document(context, *options, CaseDocument::periodic_report);
      return;
    }
    if (options->issue)
      throw CLI::ValidationError("--issue", "a report is issued from its periodic-report case: give --case");
    if (options->unit.empty() || options->period.empty())
      throw CLI::ValidationError("--unit", "give --unit and --period, or --case");
    check_date(*options);
    if (auto parsed = reports::parse_period(options->period); !parsed)
      throw CLI::ValidationError("--period", parsed.error().message);
    if (!options->as_of.empty() && !parse_date(options->as_of) && !parse_datetime(options->as_of))
      throw CLI::ValidationError("--as-of", "expected a date YYYY-MM-DD, got " + in_quotes(options->as_of));
    read_as_acting_user(context, [&](Workspace& workspace, const Reader& reader) {
      return write_report(context, workspace, reader, *options);
    });
  });
}

}  // namespace

void add_document_commands(CLI::App& app, Context& context) {
  CLI::App* documents = app.add_subcommand("document", "Word or PDF documents a committee signs (docs/documents.md)");
  documents->require_subcommand(1);
  add_case_document(documents, context, "letter", "The recommendation letter of a case", CaseDocument::letter);
  add_case_document(documents, context, "supervision", "The results report of a supervision case",
                    CaseDocument::supervision);
  add_case_document(documents, context, "critique", "The critique document of a social-critique case",
                    CaseDocument::critique);
  add_report_document(documents, context);
}

}  // namespace docket::cli
