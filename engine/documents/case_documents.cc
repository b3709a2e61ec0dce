#include "documents/case_documents.h"

#include <vector>

#include "core/text.h"
#include "documents/recommendation_letter.h"
#include "documents/report_document.h"
#include "reports/vietnamese.h"

namespace docket::documents {
namespace {

using kainjow::mustache::data;

constexpr const char* kSupervision = "supervision";
constexpr const char* kSocialCritique = "social-critique";

// "08:00 ngày 10/04/2026" in Vietnam time; the text as it is when it is not a time.
std::string time_in_words(const std::string& text) {
  const auto at = parse_datetime(text);
  if (!at) return text;
  const std::string local = format_timestamp(*at + kVietnamOffset);  // YYYY-MM-DDTHH:MM:SSZ
  return local.substr(11, 5) + " ngày " + reports::vietnamese_date(vietnam_date(*at));
}

// A field's value as people read it.
std::string printed_value(const FieldDefinition& field, const std::string& value,
                          const std::map<std::string, std::string>& names) {
  switch (field.type) {
    case FieldType::enumeration:
      for (const Choice& choice : field.values) {
        if (choice.id == value) return choice.label.vi;
      }
      return value;
    case FieldType::date:
      if (const auto day = parse_date(value)) return reports::vietnamese_date(*day);
      return value;
    case FieldType::datetime:
      return time_in_words(value);
    case FieldType::party: {
      const auto name = names.find(value);
      return name != names.end() ? name->second : value;
    }
    default:
      return value;
  }
}

// Which document a case's workflow has, for the message refusing another one.
std::string wrong_kind(const Case& state, const WorkflowDefinition& definition, const std::string& wanted) {
  const std::string command = state.workflow_id == kSupervision      ? "docket document supervision"
                              : state.workflow_id == kSocialCritique ? "docket document critique"
                                                                     : "docket document letter";
  return "case " + state.number + " is a " + definition.title.en + " (" + state.workflow_id + "), not a " + wanted +
         ": its document is `" + command + " " + state.number + "`";
}

Status check_kind(const Letterhead& head, const std::string& kind) {
  if (head.abbreviations.contains(kind)) return Ok{};
  return make_error(ErrorCode::invalid_argument, "the documents configuration has no abbreviation for " +
                                                     in_quotes(kind) + " (add it under \"abbreviations\")");
}

}  // namespace

TemplateData case_document_data(const Case& state, const WorkflowDefinition& definition, const Letterhead& head,
                                const std::string& kind, const CaseDocumentRequest& request) {
  data values = letterhead_data(head, kind, request.issue);
  values.set("case_number", state.number);
  values.set("case_title", state.title);
  for (const FieldDefinition& field : definition.fields) {
    const auto value = state.fields.find(field.id);
    if (value == state.fields.end() || value->second.empty()) continue;
    const std::string printed = printed_value(field, value->second, request.party_names);
    values.set("field_" + field.id, field.type == FieldType::long_text ? text_lines(printed) : data(printed));
    values.set("has_field_" + field.id, data::type::bool_true);
  }
  if (const FieldDefinition* form = definition.form_field()) {
    if (const auto chosen = state.fields.find(form->id); chosen != state.fields.end())
      values.set("form_" + chosen->second, data::type::bool_true);
  }
  std::vector<std::string> addressees;
  values.set("groups", recommendation_groups(state, request.party_names, addressees));
  values.set("addressees", lines_data(addressees));
  values.set("has_recommendations", state.recommendations.empty() ? data::type::bool_false : data::type::bool_true);
  values.set(addressees.size() > 1 ? "several_addressees" : "one_addressee", data::type::bool_true);
  return values;
}

Status supervision_report_applies(const Case& state, const WorkflowDefinition& definition) {
  if (state.workflow_id != kSupervision)
    return make_error(ErrorCode::invalid_argument, wrong_kind(state, definition, "supervision"));
  return Ok{};
}

Status critique_document_applies(const Case& state, const WorkflowDefinition& definition) {
  if (state.workflow_id != kSocialCritique)
    return make_error(ErrorCode::invalid_argument, wrong_kind(state, definition, "social critique"));
  if (state.recommendations.empty())
    return make_error(ErrorCode::invalid_argument, "case " + state.number +
                                                       " has no recommendations to put in a critique document "
                                                       "(docket case recommend)");
  return Ok{};
}

Result<std::string> supervision_report(const Case& state, const WorkflowDefinition& definition, const Letterhead& head,
                                       const CaseDocumentRequest& request,
                                       const std::filesystem::path& templates_folder) {
  if (Status applies = supervision_report_applies(state, definition); !applies) return applies.error();
  if (Status known = check_kind(head, kReportKind); !known) return known.error();
  return fill_document(templates_folder, kSupervisionReportTemplate,
                       case_document_data(state, definition, head, kReportKind, request));
}

Result<std::string> critique_document(const Case& state, const WorkflowDefinition& definition, const Letterhead& head,
                                      const CaseDocumentRequest& request,
                                      const std::filesystem::path& templates_folder) {
  if (Status applies = critique_document_applies(state, definition); !applies) return applies.error();
  if (Status known = check_kind(head, kCritiqueKind); !known) return known.error();
  return fill_document(templates_folder, kCritiqueTemplate,
                       case_document_data(state, definition, head, kCritiqueKind, request));
}

}  // namespace docket::documents
