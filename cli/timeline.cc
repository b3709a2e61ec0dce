#include "timeline.h"

#include <type_traits>
#include <variant>

#include "core/deadline.h"

namespace docket::cli {
namespace {

std::string stage_name(const std::string& stage, const WorkflowDefinition* definition) {
  const StageDefinition* found = definition != nullptr ? definition->stage(stage) : nullptr;
  return found != nullptr ? stage + " (" + found->label.vi + ")" : stage;
}

// "k=v, k2=v2"; a cleared field shows as "k=(cleared)".
std::string field_list(const std::map<std::string, std::string>& fields) {
  std::string text;
  for (const auto& [id, value] : fields)
    text += (text.empty() ? "" : ", ") + id + "=" + (value.empty() ? "(cleared)" : value);
  return text;
}

std::string with_fields(std::string text, const std::map<std::string, std::string>& fields) {
  return fields.empty() ? text : text + "; " + field_list(fields);
}

std::string describe(const CaseOpened& opened, const WorkflowDefinition* definition) {
  return with_fields("opened " + opened.number + " at " + stage_name(opened.stage, definition) + ": " + opened.title,
                     opened.fields);
}

std::string describe(const CaseAssigned& assigned, const WorkflowDefinition*) {
  return "assigned to " + assigned.assignee + (assigned.previous.empty() ? "" : " (was " + assigned.previous + ")");
}

std::string describe(const CaseUnassigned& unassigned, const WorkflowDefinition*) {
  return "unassigned (was " + unassigned.previous + ")";
}

std::string describe(const StageChanged& changed, const WorkflowDefinition* definition) {
  return with_fields(changed.transition + ": " + changed.from + " -> " + stage_name(changed.to, definition),
                     changed.fields);
}

std::string describe(const CommentAdded& comment, const WorkflowDefinition*) { return comment.text; }

std::string describe(const FieldsSet& set, const WorkflowDefinition*) { return field_list(set.fields); }

std::string describe(const DocumentAttached& attached, const WorkflowDefinition*) {
  return attached.kind + " v" + std::to_string(attached.version) + ": " + attached.file_name + " (" +
         std::to_string(attached.size) + " bytes, sha256 " + attached.sha256.substr(0, 12) + ")";
}

std::string describe(const DocumentIssued& issued, const WorkflowDefinition*) {
  return issued.reference + " " + issued.title + ": " + issued.file_name + " (" + std::to_string(issued.size) +
         " bytes, sha256 " + issued.sha256.substr(0, 12) + ")";
}

std::string describe(const RecommendationAdded& added, const WorkflowDefinition*) {
  return "#" + std::to_string(added.number) + (added.draft ? " (draft)" : "") + " to " + added.addressee + ": " +
         added.text;
}

std::string describe(const RecommendationsIssued& issued, const WorkflowDefinition*) {
  std::string numbers;
  for (const int number : issued.numbers) numbers += (numbers.empty() ? "#" : ", #") + std::to_string(number);
  return numbers + " issued";
}

std::string describe(const RecommendationAnswered& answered, const WorkflowDefinition*) {
  std::string text = "#" + std::to_string(answered.number) + " " + to_string(answered.status);
  if (!answered.recorded_for.empty()) text += " (recorded for " + answered.recorded_for + ")";
  if (!answered.text.empty()) text += ": " + answered.text;
  if (!answered.reply_document.empty()) text += " (reply sha256 " + answered.reply_document.substr(0, 12) + ")";
  return text;
}

std::string describe(const RecommendationUnanswered& unanswered, const WorkflowDefinition*) {
  return "#" + std::to_string(unanswered.number) + " unanswered by its deadline";
}

std::string describe(const RecommendationEscalated& escalated, const WorkflowDefinition*) {
  return "#" + std::to_string(escalated.number) + " escalated";
}

std::string describe(const DeadlineSet& set, const WorkflowDefinition*) {
  std::string text = set.due.empty() ? set.stage + ": no due date" : set.stage + " due " + set.due;
  if (!set.previous_due.empty()) text += " (was " + set.previous_due + ")";
  if (!set.reason.empty()) text += "; " + set.reason;
  return set.provisional.empty() ? text : text + "; provisional: " + set.provisional;
}

// The unit the deadline of `stage` counts in: its reminders say "3 working days", not "3 days".
DeadlineUnit unit_of(const std::string& stage, const WorkflowDefinition* definition) {
  const StageDefinition* found = definition != nullptr ? definition->stage(stage) : nullptr;
  return found != nullptr && found->deadline ? found->deadline->unit : DeadlineUnit::days;
}

std::string describe(const DeadlineReminded& reminded, const WorkflowDefinition* definition) {
  const DeadlineUnit unit = unit_of(reminded.stage, definition);
  if (!reminded.skipped.empty()) {
    return reminded.stage + " reminder " + day_count(reminded.days_before, unit) + " before " + reminded.due +
           " skipped: " + reminded.skipped;
  }
  const int left = reminded.days_left.value_or(reminded.days_before);
  return reminded.stage + " due " + reminded.due + (left == 0 ? " today" : " in " + day_count(left, unit));
}

std::string describe(const DeadlineBreached& breached, const WorkflowDefinition*) {
  return breached.stage + " was due " + breached.due;
}

std::string describe(const CaseEscalated& escalated, const WorkflowDefinition*) {
  return escalated.stage + " was due " + escalated.due + "; escalated to " + escalated.role + " @ " + escalated.unit;
}

std::string describe(const NotificationDelivered& delivered, const WorkflowDefinition*) {
  return delivered.channel + " to " + delivered.recipient + " delivered (attempt " +
         std::to_string(delivered.attempts) + ")";
}

std::string describe(const NotificationFailed& failed, const WorkflowDefinition*) {
  return failed.channel + " to " + failed.recipient + " failed after " + std::to_string(failed.attempts) +
         " attempt(s): " + failed.error;
}

// An event type added to the core after this file: its details are its payload JSON
// (see timeline_table), until it is described here.
template <typename Payload>
std::string describe(const Payload&, const WorkflowDefinition*) {
  return {};
}

std::string details(const StoredEvent& stored, const WorkflowDefinition* definition) {
  std::string text = describe_event(stored.event, definition);
  return text.empty() ? stored.payload_json : text;
}

}  // namespace

std::string describe_event(const Event& event, const WorkflowDefinition* definition) {
  return std::visit([definition](const auto& payload) { return describe(payload, definition); }, event.payload);
}

Table timeline_table(const std::vector<StoredEvent>& events, const WorkflowDefinition* definition, bool hashes) {
  Table table{{{"seq", true}, {"at", false, Moment::time}, {"actor"}, {"type"}}, {}};
  if (hashes) table.columns.push_back({"hash"});
  table.columns.push_back({"details"});  // last: the widest column, so nothing after it is pushed far right
  for (const StoredEvent& stored : events) {
    std::vector<std::string> row{std::to_string(stored.case_seq), format_timestamp(stored.event.at), stored.event.actor,
                                 stored.type};
    if (hashes) row.push_back(stored.case_hash);
    row.push_back(details(stored, definition));
    table.rows.push_back(std::move(row));
  }
  return table;
}

void write_timeline(JsonWriter& json, const std::vector<StoredEvent>& events, const WorkflowDefinition* definition) {
  json.StartArray();
  for (const StoredEvent& stored : events) {
    json.StartObject();
    write_member(json, "seq", stored.case_seq);
    write_member(json, "log_seq", stored.seq);
    write_member(json, "at", format_timestamp(stored.event.at));
    write_member(json, "actor", stored.event.actor);
    write_member(json, "type", stored.type);
    write_member(json, "details", details(stored, definition));
    write_string(json, "payload");
    json.RawValue(stored.payload_json.data(), stored.payload_json.size(), rapidjson::kObjectType);
    write_member(json, "prev_hash", stored.case_prev_hash);
    write_member(json, "hash", stored.case_hash);
    json.EndObject();
  }
  json.EndArray();
}

}  // namespace docket::cli
