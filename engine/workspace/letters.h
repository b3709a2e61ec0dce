// The documents a case gives, as the CLI and the web app make them: the recommendation letter,
// the supervision results report, the critique document, and the six-monthly or yearly report
// of a periodic-report case. Each is a draft (the number left blank, any date) or issued
// (numbered from the outgoing register, dated today, kept with the case: issue_document.h).
// Parties that are users are printed by name.
// Thread-safety: as the Workspace.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "documents/letterhead.h"
#include "workspace/issue_document.h"

namespace docket {

enum class CaseDocument {
  letter,           // the case's numbered recommendations, to their addressees (any workflow)
  supervision,      // the results report of a supervision case
  critique,         // the critique document of a social-critique case
  periodic_report,  // the report of the unit and period a periodic-report case names
};

inline constexpr CaseDocument kCaseDocuments[] = {CaseDocument::letter, CaseDocument::supervision,
                                                  CaseDocument::critique, CaseDocument::periodic_report};

// "letter", "supervision", "critique", "report": how paths and forms name `which`.
const char* document_name(CaseDocument which);
// The document `name` names; nullopt for any other text.
std::optional<CaseDocument> case_document_named(std::string_view name);

// Where the documents come from: the committee's letterhead and the templates folder.
struct DocumentSource {
  const documents::Letterhead& head;
  std::filesystem::path templates;
};

// The kind of document whose abbreviation in the letterhead `which` is numbered under: "letter"
// (CV), "report" (BC), "critique" (PBXH).
const char* letterhead_kind(CaseDocument which);

// Whether `current` gives `which`: Ok, or invalid_argument saying why not (the letter and the
// critique need recommendations, the supervision report a supervision, the report a
// periodic-report case). Errors: not_found when the case's workflow version is not installed.
Status document_applies(Workspace& workspace, const Case& current, CaseDocument which);

// The draft `which` of `current` as .docx bytes, with the date and number of `issue` (a number
// left blank until it is issued), read as `reader` (a report counts the cases they may read).
// Errors: invalid_argument when `current` does not give `which` (naming the workflow it needs)
// or the letterhead has no abbreviation for it; the renderers' (documents/).
Result<std::string> draft_document(Workspace& workspace, const Reader& reader, const Case& current, CaseDocument which,
                                   const DocumentSource& source, const documents::Issue& issue);

// Issues `which` of case `number` as `reader` and returns it with its number; the file is kept
// with the case as `file_name`, under the kind of document its workflow asks for ("results_report",
// "critique", "report"; the letter as "recommendation_letter", which the transition that sends the
// recommendations may require). Errors: issue_document's and draft_document's.
Result<IssuedDocument> issue_case_document(Workspace& workspace, const Reader& reader, const std::string& number,
                                           CaseDocument which, const DocumentSource& source,
                                           const std::string& file_name);

// The names to print for parties that are users (a party's account): the addressees of the
// recommendations and the case's fields, id -> name; others are printed as they were written.
std::map<std::string, std::string> party_names(Workspace& workspace, const Case& state);

// "kien-nghi-PB-2026-0001.docx", "bao-cao-giam-sat-GS-2026-0001.docx", ...: the file name a
// document of case `number` is offered and kept under.
std::string document_file_name(CaseDocument which, const std::string& number);

}  // namespace docket
