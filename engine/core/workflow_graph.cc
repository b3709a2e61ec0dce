#include "core/workflow_graph.h"

#include <sstream>

#include "core/deadline.h"

namespace docket {
namespace {

std::string both(const Label& label) { return label.vi + " (" + label.en + ")"; }

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : separator) + item;
  return joined;
}

std::string describe_deadline(const DeadlineSpec& d) {
  std::ostringstream out;
  out << day_count(d.offset, d.unit) << (d.direction == DeadlineDirection::after ? " after " : " before ")
      << (d.anchor == DeadlineSpec::kEntered ? "entering the stage" : d.anchor);
  if (!d.fallback_anchor.empty()) out << " (or " << d.fallback_anchor << " while it is empty)";
  if (d.roll_to_working_day) out << ", rolled to a working day";
  if (!d.reminders.empty()) {
    std::vector<std::string> days;
    for (int r : d.reminders) days.push_back(day_count(r, d.unit));
    out << "; reminders " << join(days) << " before";
  }
  if (d.escalate_after)
    out << "; escalate to " << d.escalate_to << " " << day_count(*d.escalate_after, d.unit) << " after";
  return out.str();
}

std::string from_text(const TransitionDefinition& t) { return t.from_any ? "*" : join(t.from, "|"); }

// Stages a transition leaves from, with "*" expanded.
std::vector<std::string> sources(const WorkflowDefinition& def, const TransitionDefinition& t) {
  std::vector<std::string> result;
  for (const auto& stage : def.stages) {
    if (t.leaves_from(stage.id, stage.terminal)) result.push_back(stage.id);
  }
  return result;
}

std::string escape(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '"')
      escaped += "#quot;";
    else
      escaped += c;
  }
  return escaped;
}

std::string render_text(const WorkflowDefinition& def) {
  std::ostringstream out;
  out << def.id << " v" << def.version << " — " << both(def.title) << "\ncase numbers: " << def.case_prefix
      << "-YYYY-NNNN\n\nStages:\n";
  for (const auto& s : def.stages) {
    out << "  " << s.id << (s.initial ? " [initial]" : "") << (s.terminal ? " [terminal]" : "") << " — "
        << both(s.label) << "\n";
    if (s.deadline) out << "      deadline: " << describe_deadline(*s.deadline) << "\n";
  }
  out << "\nTransitions:\n";
  for (const auto& t : def.transitions) {
    out << "  " << t.id << ": " << from_text(t) << " -> " << t.to << " — " << both(t.label)
        << "\n      roles: " << join(t.roles) << "\n";
    if (!t.sets.empty()) out << "      sets: " << join(t.sets) << "\n";
    const auto& r = t.requires_;
    if (!r.fields.empty()) out << "      requires fields: " << join(r.fields) << "\n";
    for (const auto& c : r.field_values) out << "      requires " << c.field << " in: " << join(c.values) << "\n";
    if (!r.documents.empty()) out << "      requires documents: " << join(r.documents) << "\n";
    if (r.all_recommendations_answered) out << "      requires every recommendation answered\n";
  }
  return out.str();
}

std::string render_mermaid(const WorkflowDefinition& def) {
  std::ostringstream out;
  out << "stateDiagram-v2\n";
  for (const auto& s : def.stages) out << "  " << s.id << " : " << escape(s.label.vi) << "\n";
  for (const auto& s : def.stages) {
    if (s.initial) out << "  [*] --> " << s.id << "\n";
  }
  for (const auto& t : def.transitions) {
    for (const auto& from : sources(def, t))
      out << "  " << from << " --> " << t.to << " : " << escape(t.label.vi) << "\n";
  }
  for (const auto& s : def.stages) {
    if (s.terminal) out << "  " << s.id << " --> [*]\n";
  }
  return out.str();
}

std::string dot_quote(const std::string& text) {
  std::string quoted_text = "\"";
  for (char c : text) {
    if (c == '\n') {
      quoted_text += "\\n";  // a line break inside a dot label
      continue;
    }
    if (c == '"' || c == '\\') quoted_text += '\\';
    quoted_text += c;
  }
  return quoted_text + "\"";
}

std::string render_dot(const WorkflowDefinition& def) {
  std::ostringstream out;
  out << "digraph " << dot_quote(def.id) << " {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n";
  for (const auto& s : def.stages) {
    out << "  " << dot_quote(s.id) << " [label=" << dot_quote(s.label.vi + "\n(" + s.label.en + ")");
    if (s.initial) out << ", style=\"rounded,bold\"";
    if (s.terminal) out << ", peripheries=2";
    out << "];\n";
  }
  for (const auto& t : def.transitions) {
    for (const auto& from : sources(def, t)) {
      out << "  " << dot_quote(from) << " -> " << dot_quote(t.to) << " [label=" << dot_quote(t.label.vi) << "];\n";
    }
  }
  out << "}\n";
  return out.str();
}

}  // namespace

std::string render_workflow(const WorkflowDefinition& definition, GraphFormat format) {
  switch (format) {
    case GraphFormat::mermaid:
      return render_mermaid(definition);
    case GraphFormat::dot:
      return render_dot(definition);
    case GraphFormat::text:
      break;
  }
  return render_text(definition);
}

}  // namespace docket
