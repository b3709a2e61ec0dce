#include "workspace/letters.h"

#include <map>

#include "core/text.h"
#include "documents/case_documents.h"
#include "documents/recommendation_letter.h"
#include "documents/report_document.h"
#include "reports/report_reader.h"

namespace docket {
namespace {

constexpr const char* kPeriodicReport = "periodic-report";

// What each document is: the letterhead's kind (its abbreviation in the register), the kind of
// document the case keeps it as (the one its workflow's transitions ask for: supervision's
// issue_recommendations needs the recommendation_letter), and the start of its file name.
struct Description {
  const char* name;  // document_name()
  const char* letterhead_kind;
  const char* case_kind;
  const char* file_prefix;
};

Description describe(CaseDocument which) {
  switch (which) {
    case CaseDocument::letter:
      return {"letter", documents::kLetterKind, "recommendation_letter", "kien-nghi-"};
    case CaseDocument::supervision:
      return {"supervision", documents::kReportKind, "results_report", "bao-cao-giam-sat-"};
    case CaseDocument::critique:
      return {"critique", documents::kCritiqueKind, "critique", "phan-bien-"};
    case CaseDocument::periodic_report:
      return {"report", documents::kReportKind, "report", "bao-cao-"};
  }
  return {"letter", documents::kLetterKind, "recommendation_letter", "kien-nghi-"};
}

// What the register lists the document as.
std::string register_title(CaseDocument which, const Case& current) {
  switch (which) {
    case CaseDocument::letter:
      return "Kiến nghị về " + current.title;
    case CaseDocument::supervision:
      return "Báo cáo kết quả giám sát: " + current.title;
    case CaseDocument::critique:
      return "Văn bản phản biện xã hội: " + current.title;
    case CaseDocument::periodic_report:
      return current.title;
  }
  return current.title;
}

Status periodic_report_applies(const Case& current) {
  if (current.workflow_id == kPeriodicReport) return Ok{};
  return make_error(ErrorCode::invalid_argument,
                    "case " + current.number + " is not a periodic report (workflow " + in_quotes(current.workflow_id) +
                        "); docket document report --unit U --period P makes the " + "report of any unit and period");
}

Result<const WorkflowDefinition*> definition_of(Workspace& workspace, const Case& current) {
  const WorkflowDefinition* definition = workspace.catalog().find(current.workflow_id, current.workflow_version);
  if (definition == nullptr)
    return make_error(ErrorCode::not_found, "case " + current.number + ": unknown workflow " +
                                                in_quotes(current.workflow_id) + " version " +
                                                std::to_string(current.workflow_version));
  return definition;
}

std::string field(const Case& current, const std::string& id) {
  const auto found = current.fields.find(id);
  return found == current.fields.end() ? "" : found->second;
}

// The report a periodic-report case is about: its unit, with the units below, over the period
// its fields "period" (h1 or year) and "year" name, as the figures stand now.
Result<std::string> periodic_report(Workspace& workspace, const Reader& reader, const Case& current,
                                    const DocumentSource& source, const documents::Issue& issue) {
  if (Status applies = periodic_report_applies(current); !applies) return applies.error();
  const std::string half = field(current, "period");
  const std::string year = field(current, "year");
  if ((half != "h1" && half != "year") || year.empty())
    return make_error(ErrorCode::invalid_argument,
                      "case " + current.number + " does not name its reporting period (fields period and year)");
  DOCKET_TRY(period, reports::parse_period(half == "h1" ? year + "-H1" : year));
  DOCKET_TRY(as_of, reports::parse_as_of("", workspace.clock().now()));
  if (Status started = reports::check_period_started(*period, *as_of); !started) return started.error();
  const reports::ReportRequest request{*period, *as_of, current.unit, true};
  DOCKET_TRY(report, reports::read_report(workspace.cases(), workspace.directory(), workspace.catalog(), request,
                                          reports::reader_scope(workspace.access(), reader)));
  return documents::report_document(*report, source.head, issue, source.templates);
}

Result<std::string> render(Workspace& workspace, const Reader& reader, const Case& current, CaseDocument which,
                           const DocumentSource& source, const documents::Issue& issue) {
  if (which == CaseDocument::letter) {
    const documents::LetterRequest request{issue.date, issue.number, party_names(workspace, current)};
    return documents::recommendation_letter(current, source.head, request, source.templates);
  }
  if (which == CaseDocument::periodic_report) return periodic_report(workspace, reader, current, source, issue);
  DOCKET_TRY(definition, definition_of(workspace, current));
  const documents::CaseDocumentRequest request{issue, party_names(workspace, current)};
  if (which == CaseDocument::critique)
    return documents::critique_document(current, **definition, source.head, request, source.templates);
  return documents::supervision_report(current, **definition, source.head, request, source.templates);
}

}  // namespace

const char* letterhead_kind(CaseDocument which) { return describe(which).letterhead_kind; }

const char* document_name(CaseDocument which) { return describe(which).name; }

std::optional<CaseDocument> case_document_named(std::string_view name) {
  for (const CaseDocument which : kCaseDocuments) {
    if (name == document_name(which)) return which;
  }
  return std::nullopt;
}

Status document_applies(Workspace& workspace, const Case& current, CaseDocument which) {
  switch (which) {
    case CaseDocument::letter:
      if (!current.recommendations.empty()) return Ok{};
      return make_error(ErrorCode::invalid_argument, "case " + current.number + " has no recommendations for a letter");
    case CaseDocument::periodic_report:
      return periodic_report_applies(current);
    case CaseDocument::supervision:
    case CaseDocument::critique:
      break;
  }
  DOCKET_TRY(definition, definition_of(workspace, current));
  return which == CaseDocument::supervision ? documents::supervision_report_applies(current, **definition)
                                            : documents::critique_document_applies(current, **definition);
}

Result<std::string> draft_document(Workspace& workspace, const Reader& reader, const Case& current, CaseDocument which,
                                   const DocumentSource& source, const documents::Issue& issue) {
  return render(workspace, reader, current, which, source, issue);
}

Result<IssuedDocument> issue_case_document(Workspace& workspace, const Reader& reader, const std::string& number,
                                           CaseDocument which, const DocumentSource& source,
                                           const std::string& file_name) {
  const Description description = describe(which);
  if (source.head.abbreviations.count(description.letterhead_kind) == 0)
    return make_error(ErrorCode::invalid_argument, std::string("the letterhead has no abbreviation for ") +
                                                       description.letterhead_kind + " documents (\"" +
                                                       description.letterhead_kind + "\": ...)");
  auto current = workspace.cases().read(number);
  if (!current || !workspace.access().can_read(reader, **current)) return unknown_case(number);
  const IssueRequest request{number,
                             description.case_kind,
                             source.head.abbreviations.at(description.letterhead_kind),
                             source.head.symbol_of(description.letterhead_kind),
                             register_title(which, **current),
                             file_name};
  return issue_document(workspace, reader, request, [&](const Case& state, const std::string& register_number) {
    return render(workspace, reader, state, which, source,
                  documents::Issue{vietnam_date(workspace.clock().now()), register_number});
  });
}

std::map<std::string, std::string> party_names(Workspace& workspace, const Case& state) {
  std::map<std::string, std::string> names;
  auto add = [&](const std::string& id) {
    if (id.empty() || names.contains(id)) return;
    if (auto user = workspace.directory().user(id)) names[id] = user->name;
  };
  for (const Recommendation& made : state.recommendations) add(made.addressee);
  for (const auto& [field, value] : state.fields) add(value);
  return names;
}

std::string document_file_name(CaseDocument which, const std::string& number) {
  return describe(which).file_prefix + number + ".docx";
}

}  // namespace docket
