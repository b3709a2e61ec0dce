#include "web/event_text.h"

#include "web/case_data.h"

namespace docket::web {
namespace {

std::string stage_label(const WorkflowDefinition& definition, const std::string& id, const Language& language) {
  const StageDefinition* stage = definition.stage(id);
  return stage ? label(language, stage->label) : id;
}

std::string fields_text(Workspace& workspace, const WorkflowDefinition& definition,
                        const std::map<std::string, std::string>& fields, const Language& language) {
  std::string out;
  for (const auto& [id, value] : fields) {
    const FieldDefinition* field = definition.field(id);
    out += (out.empty() ? "" : "; ") + (field ? label(language, field->label) : id) + ": " +
           (field ? field_text(workspace, *field, value, language) : value);
  }
  return out;
}

struct Describer {
  Workspace& workspace;
  const WorkflowDefinition& definition;
  const Language& language;

  std::string t(const char* key) const { return text(language, key); }
  std::string operator()(const CaseOpened& e) const {
    return t("ev_opened") + ": " + e.title + " (" + unit_name(workspace, e.unit) + ")";
  }
  std::string operator()(const CaseAssigned& e) const {
    return t("ev_assigned") + " " + user_name(workspace, e.assignee);
  }
  std::string operator()(const CaseUnassigned& e) const {
    return t("ev_unassigned") + " " + user_name(workspace, e.previous);
  }
  std::string operator()(const StageChanged& e) const {
    const TransitionDefinition* transition = definition.transition(e.transition);
    std::string out = (transition ? label(language, transition->label) : e.transition) + ": " +
                      stage_label(definition, e.from, language) + " → " + stage_label(definition, e.to, language);
    if (!e.fields.empty()) out += " (" + fields_text(workspace, definition, e.fields, language) + ")";
    return out;
  }
  std::string operator()(const CommentAdded& e) const { return t("ev_comment") + ": " + e.text; }
  std::string operator()(const FieldsSet& e) const {
    return t("ev_fields") + ": " + fields_text(workspace, definition, e.fields, language);
  }
  std::string operator()(const DocumentAttached& e) const {
    const Choice* kind = definition.document_kind(e.kind);
    return t("ev_document") + " " + (kind ? label(language, kind->label) : e.kind) + ": " + e.file_name + " (" +
           t("version") + " " + std::to_string(e.version) + ")";
  }
  std::string operator()(const DocumentIssued& e) const {
    return t("ev_document_issued") + " " + e.reference + ": " + e.title + " (" + e.file_name + ")";
  }
  std::string operator()(const RecommendationAdded& e) const {
    return t(e.draft ? "ev_recommendation_draft" : "ev_recommendation") + " " + std::to_string(e.number) + " → " +
           user_name(workspace, e.addressee) + ": " + e.text;
  }
  std::string operator()(const RecommendationsIssued& e) const {
    std::string numbers;
    for (const int number : e.numbers) numbers += (numbers.empty() ? "" : ", ") + std::to_string(number);
    return t("ev_issued") + " " + numbers;
  }
  std::string operator()(const RecommendationAnswered& e) const {
    std::string out =
        t("ev_answered") + " " + std::to_string(e.number) + ": " + recommendation_status_text(language, e.status);
    if (!e.recorded_for.empty()) out += " (" + t("recorded_for") + " " + user_name(workspace, e.recorded_for) + ")";
    return out + (e.text.empty() ? "" : " — " + e.text);
  }
  std::string operator()(const RecommendationUnanswered& e) const {
    return t("ev_unanswered") + " " + std::to_string(e.number);
  }
  std::string operator()(const RecommendationEscalated& e) const {
    return t("ev_rec_escalated") + " " + std::to_string(e.number);
  }
  std::string operator()(const DeadlineSet& e) const {
    if (e.due.empty()) return t("ev_deadline_cleared");
    std::string out = t("ev_deadline") + " " + show_date(e.due);
    if (!e.previous_due.empty()) out += " (" + t("was") + " " + show_date(e.previous_due) + ")";
    return out;
  }
  std::string operator()(const DeadlineReminded& e) const {
    return t(e.skipped.empty() ? "ev_reminded" : "ev_reminder_skipped") + " " + show_date(e.due);
  }
  std::string operator()(const DeadlineBreached& e) const { return t("ev_breached") + " " + show_date(e.due); }
  std::string operator()(const CaseEscalated& e) const {
    const Choice* role = definition.role(e.role);
    return t("ev_escalated") + " " + (role ? label(language, role->label) : e.role) + " — " +
           unit_name(workspace, e.unit);
  }
  std::string operator()(const NotificationDelivered& e) const {
    return t("ev_notified") + " " + e.recipient + " (" + e.channel + ")";
  }
  std::string operator()(const NotificationFailed& e) const {
    return t("ev_notify_failed") + " " + e.recipient + " (" + e.channel + "): " + e.error;
  }
};

Data item_of(Workspace& workspace, const WorkflowDefinition& definition, const StoredEvent& stored,
             const Language& language) {
  Data item;
  item.set("at", show_time(stored.event.at));
  item.set("actor", user_name(workspace, stored.event.actor));
  item.set("text", describe(workspace, definition, stored.event, language));
  return item;
}

}  // namespace

std::string describe(Workspace& workspace, const WorkflowDefinition& definition, const Event& event,
                     const Language& language) {
  return std::visit(Describer{workspace, definition, language}, event.payload);
}

List timeline_data(Workspace& workspace, const WorkflowDefinition& definition, const std::vector<StoredEvent>& history,
                   const Language& language) {
  List list{Data::type::list};
  for (const StoredEvent& stored : history) list.push_back(item_of(workspace, definition, stored, language));
  return list;
}

List changes_since(Workspace& workspace, const WorkflowDefinition& definition, const std::vector<StoredEvent>& history,
                   std::int64_t since, const Language& language) {
  List list{Data::type::list};
  for (const StoredEvent& stored : history) {
    if (stored.case_seq > since) list.push_back(item_of(workspace, definition, stored, language));
  }
  return list;
}

}  // namespace docket::web
