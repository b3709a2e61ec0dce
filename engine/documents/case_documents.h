// The two documents a case produces besides its recommendation letter, as Word files in the
// layout of Decree 30/2020/NĐ-CP: the supervision results report (báo cáo kết quả giám sát) of
// a supervision case, and the critique document (văn bản phản biện xã hội) of a social-critique
// case, built from the case's fields and its numbered recommendations. The parts an officer
// writes (the assessment, the general remarks) are left as dotted lines to fill in Word.
// Wording and layout are in the templates of workflows/documents/. Reads the template files;
// otherwise pure. Thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/case.h"
#include "core/workflow.h"
#include "documents/letterhead.h"
#include "documents/xml_template.h"

namespace docket::documents {

// The kinds whose abbreviations (Letterhead::abbreviations) the symbols take: "BC", "PBXH".
inline constexpr const char* kCritiqueKind = "critique";
inline constexpr const char* kSupervisionReportTemplate = "supervision-report.document.xml";
inline constexpr const char* kCritiqueTemplate = "critique.document.xml";

struct CaseDocumentRequest {
  Issue issue;
  // How a party (a field of type party, an addressee) is printed when it is a user: id -> name.
  std::map<std::string, std::string> party_names;
};

// The values a case document's template sees (docs/documents.md): the letterhead's, the case's
// number and title, field_ID (and the flag has_field_ID) for each field that is set, as people read it (an enumeration
// by its Vietnamese label, a date as dd/mm/yyyy, a time as "08:00 ngày 10/04/2026", a party by its name), form_VALUE
// for the form chosen, the recommendations as recommendation_groups gives them.
TemplateData case_document_data(const Case& state, const WorkflowDefinition& definition, const Letterhead& head,
                                const std::string& kind, const CaseDocumentRequest& request);

// Whether `state` is a case that has a supervision results report: Ok for a supervision, else
// the invalid_argument supervision_report returns (naming its workflow and the command to use).
Status supervision_report_applies(const Case& state, const WorkflowDefinition& definition);

// Whether `state` is a case that has a critique document: Ok for a social critique with
// recommendations, else the invalid_argument critique_document returns.
Status critique_document_applies(const Case& state, const WorkflowDefinition& definition);

// The results report of the supervision `state` (under `definition`). Errors: invalid_argument
// when the case is not a supervision (naming its workflow and the command to use), when the
// letterhead has no abbreviation for "report", or naming a template mistake; not_found naming a
// missing template file; internal when the package cannot be written.
Result<std::string> supervision_report(const Case& state, const WorkflowDefinition& definition, const Letterhead& head,
                                       const CaseDocumentRequest& request,
                                       const std::filesystem::path& templates_folder);

// The critique document of the social critique `state`. Errors: as supervision_report, and
// invalid_argument when the case has no recommendations yet or the letterhead no abbreviation
// for kCritiqueKind.
Result<std::string> critique_document(const Case& state, const WorkflowDefinition& definition, const Letterhead& head,
                                      const CaseDocumentRequest& request,
                                      const std::filesystem::path& templates_folder);

}  // namespace docket::documents
