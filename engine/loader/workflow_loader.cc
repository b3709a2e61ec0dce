#include "loader/workflow_loader.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/json_text.h"
#include "loader/json_reader.h"

namespace docket {
namespace {

using rapidjson::Value;

class DefinitionReader {
 public:
  explicit DefinitionReader(std::vector<Diagnostic>& diagnostics) : in_(diagnostics) {}

  WorkflowDefinition read(const Value& root) {
    WorkflowDefinition def;
    if (!in_.object(root, "$",
                    {"id", "version", "title", "description", "case_prefix", "counts_as_work", "late_dossier", "roles",
                     "document_kinds", "permissions", "fields", "stages", "transitions"},
                    {"id", "version", "title", "case_prefix", "roles", "permissions", "stages", "transitions"})) {
      return def;
    }
    def.id = in_.string(root, "id", "$");
    def.version = in_.integer(root, "version", "$").value_or(0);
    def.title = in_.label(root, "title", "$");
    if (root.HasMember("description")) def.description = in_.label(root, "description", "$");
    def.case_prefix = in_.string(root, "case_prefix", "$");
    if (root.HasMember("counts_as_work")) def.counts_as_work = in_.boolean(root, "counts_as_work", "$");
    if (root.HasMember("late_dossier")) def.late_dossier = late_dossier(root["late_dossier"], "$.late_dossier");
    def.roles =
        in_.list<Choice>(root, "roles", "$", [&](const Value& v, const std::string& p) { return choice(v, p); });
    def.document_kinds = in_.list<Choice>(root, "document_kinds", "$",
                                          [&](const Value& v, const std::string& p) { return choice(v, p); });
    def.permissions = permissions(root["permissions"], "$.permissions");
    def.fields = in_.list<FieldDefinition>(root, "fields", "$",
                                           [&](const Value& v, const std::string& p) { return field(v, p); });
    def.stages = in_.list<StageDefinition>(root, "stages", "$",
                                           [&](const Value& v, const std::string& p) { return stage(v, p); });
    def.transitions = in_.list<TransitionDefinition>(
        root, "transitions", "$", [&](const Value& v, const std::string& p) { return transition(v, p); });
    return def;
  }

 private:
  Choice choice(const Value& v, const std::string& path) {
    Choice c;
    if (!in_.object(v, path, {"id", "label"}, {"id", "label"})) return c;
    c.id = in_.string(v, "id", path);
    c.label = in_.label(v, "label", path);
    return c;
  }

  Permissions permissions(const Value& v, const std::string& path) {
    Permissions p;
    if (!in_.object(v, path,
                    {"open", "assign", "comment", "set_fields", "attach", "recommend", "answer", "issue", "read_below",
                     "outside_parties"},
                    {"open", "assign", "comment", "set_fields", "attach", "recommend", "answer"})) {
      return p;
    }
    p.open = in_.strings(v, "open", path);
    p.assign = in_.strings(v, "assign", path);
    p.comment = in_.strings(v, "comment", path);
    p.set_fields = in_.strings(v, "set_fields", path);
    p.attach = in_.strings(v, "attach", path);
    p.recommend = in_.strings(v, "recommend", path);
    p.answer = in_.strings(v, "answer", path);
    p.issue = v.HasMember("issue") ? in_.strings(v, "issue", path) : p.recommend;
    p.read_below = in_.strings(v, "read_below", path);
    p.outside_parties = in_.strings(v, "outside_parties", path);
    return p;
  }

  FieldDefinition field(const Value& v, const std::string& path) {
    FieldDefinition f;
    if (!in_.object(v, path, {"id", "label", "type", "required_at_open", "values", "warn_if_past"},
                    {"id", "label", "type"}))
      return f;
    f.id = in_.string(v, "id", path);
    f.label = in_.label(v, "label", path);
    const std::string type = in_.string(v, "type", path);
    if (const auto parsed = field_type_from_string(type)) {
      f.type = *parsed;
    } else if (v["type"].IsString()) {
      in_.error(path + ".type", "unknown field type " + in_quotes(type) +
                                    " (types: text, long_text, date, datetime, integer, enum, org_unit, party, user)");
    }
    f.required_at_open = in_.boolean(v, "required_at_open", path);
    f.values = in_.list<Choice>(v, "values", path, [&](const Value& e, const std::string& p) { return choice(e, p); });
    f.warn_if_past = in_.boolean(v, "warn_if_past", path);
    return f;
  }

  std::optional<DeadlineSpec> deadline(const Value& v, const std::string& path) {
    if (!in_.object(v, path,
                    {"anchor", "offset", "unit", "direction", "roll_to_working_day", "reminders", "escalate_after",
                     "escalate_to", "fallback_anchor"},
                    {"anchor", "offset", "unit", "direction"})) {
      return std::nullopt;
    }
    DeadlineSpec d;
    d.anchor = in_.string(v, "anchor", path);
    d.offset = in_.integer(v, "offset", path).value_or(0);
    d.unit = in_.one_of<DeadlineUnit>(v, "unit", path,
                                      {{"days", DeadlineUnit::days}, {"working_days", DeadlineUnit::working_days}});
    d.direction = in_.one_of<DeadlineDirection>(
        v, "direction", path, {{"after", DeadlineDirection::after}, {"before", DeadlineDirection::before}});
    d.roll_to_working_day = in_.boolean(v, "roll_to_working_day", path);
    d.reminders = in_.list<int>(v, "reminders", path, [&](const Value& e, const std::string& p) {
      if (!e.IsInt()) in_.error(p, "expected an integer number of days");
      return e.IsInt() ? e.GetInt() : 0;
    });
    if (v.HasMember("escalate_after")) d.escalate_after = in_.integer(v, "escalate_after", path);
    if (v.HasMember("escalate_to")) d.escalate_to = in_.string(v, "escalate_to", path);
    if (v.HasMember("fallback_anchor")) d.fallback_anchor = in_.string(v, "fallback_anchor", path);
    return d;
  }

  StageDefinition stage(const Value& v, const std::string& path) {
    StageDefinition s;
    if (!in_.object(v, path, {"id", "label", "initial", "terminal", "deadline"}, {"id", "label"})) return s;
    s.id = in_.string(v, "id", path);
    s.label = in_.label(v, "label", path);
    s.initial = in_.boolean(v, "initial", path);
    s.terminal = in_.boolean(v, "terminal", path);
    if (v.HasMember("deadline")) s.deadline = deadline(v["deadline"], path + ".deadline");
    return s;
  }

  Requirements requirements(const Value& v, const std::string& path) {
    Requirements r;
    if (!in_.object(v, path, {"fields", "documents", "all_recommendations_answered", "field_values"}, {})) return r;
    r.fields = in_.strings(v, "fields", path);
    r.documents = in_.strings(v, "documents", path);
    r.all_recommendations_answered = in_.boolean(v, "all_recommendations_answered", path);
    if (v.HasMember("field_values")) {
      const Value& conditions = v["field_values"];
      const std::string where = path + ".field_values";
      if (!conditions.IsObject()) {
        in_.error(where, "expected an object of field id -> list of allowed values");
      } else {
        for (const auto& member : conditions.GetObject()) {
          const std::string field = member.name.GetString();
          r.field_values.push_back({field, in_.strings(conditions, field.c_str(), where)});
        }
      }
    }
    return r;
  }

  TransitionDefinition transition(const Value& v, const std::string& path) {
    TransitionDefinition t;
    if (!in_.object(
            v, path,
            {"id", "label", "from", "to", "roles", "requires", "sets", "held", "stamps", "issues_recommendations"},
            {"id", "label", "from", "to", "roles"})) {
      return t;
    }
    t.id = in_.string(v, "id", path);
    t.label = in_.label(v, "label", path);
    const Value& from = v["from"];
    if (from.IsString() && std::string_view(from.GetString()) == "*") {
      t.from_any = true;
    } else if (from.IsString()) {
      t.from = {from.GetString()};
    } else if (from.IsArray()) {
      t.from = in_.strings(v, "from", path);
      t.from_is_list = true;
      if (t.from.empty()) in_.error(path + ".from", "list of stages is empty");
    } else {
      in_.error(path + ".from", "expected a stage id, a list of stage ids, or \"*\"");
    }
    t.to = in_.string(v, "to", path);
    t.roles = in_.strings(v, "roles", path);
    if (v.HasMember("requires")) t.requires_ = requirements(v["requires"], path + ".requires");
    t.sets = in_.strings(v, "sets", path);
    if (v.HasMember("held")) {
      t.held = in_.one_of<Held>(v, "held", path,
                                {{"dialogue", Held::dialogue}, {"conference", Held::conference}, {"form", Held::form}});
    }
    t.stamps = in_.strings(v, "stamps", path);
    t.issues_recommendations = in_.boolean(v, "issues_recommendations", path);
    return t;
  }

  LateDossierRule late_dossier(const Value& v, const std::string& path) {
    LateDossierRule rule;
    if (!in_.object(v, path, {"received", "due", "days"}, {"received", "due", "days"})) return rule;
    rule.received = in_.string(v, "received", path);
    rule.due = in_.string(v, "due", path);
    rule.days = in_.integer(v, "days", path).value_or(0);
    return rule;
  }

  JsonReader in_;
};

}  // namespace

LoadedWorkflow parse_workflow(std::string_view json, ValidationMode mode) {
  LoadedWorkflow loaded;
  rapidjson::Document document;
  if (const auto problem = parse_json(json, document)) {
    loaded.diagnostics.push_back({Severity::error, problem->path,
                                  "malformed JSON at line " + std::to_string(problem->line) + ", column " +
                                      std::to_string(problem->column) + ": " + problem->reason});
    return loaded;
  }
  WorkflowDefinition definition = DefinitionReader(loaded.diagnostics).read(document);
  if (has_errors(loaded.diagnostics)) return loaded;
  auto semantic = validate_workflow(definition, mode);
  loaded.diagnostics.insert(loaded.diagnostics.end(), semantic.begin(), semantic.end());
  if (!has_errors(loaded.diagnostics)) loaded.definition = std::move(definition);
  return loaded;
}

LoadedWorkflow load_workflow_file(const std::filesystem::path& path) {
  std::error_code problem;
  if (std::filesystem::is_directory(path, problem)) {
    LoadedWorkflow failed;
    failed.diagnostics.push_back({Severity::error, "$", "is a folder, not a workflow file"});
    return failed;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    LoadedWorkflow failed;
    failed.diagnostics.push_back({Severity::error, "$", "cannot read the file (does it exist?)"});
    return failed;
  }
  std::ostringstream text;
  text << file.rdbuf();
  return parse_workflow(text.str());
}

std::string format_diagnostic(const std::filesystem::path& file, const Diagnostic& diagnostic) {
  return file.string() + ": " + (diagnostic.severity == Severity::error ? "error: " : "warning: ") + diagnostic.path +
         ": " + diagnostic.message;
}

std::vector<std::string> load_workflow_directory(const std::filesystem::path& directory, WorkflowCatalog& catalog) {
  std::vector<std::string> errors;
  std::error_code problem;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, problem)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (problem) return {directory.string() + ": error: cannot list workflow directory: " + problem.message()};
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    LoadedWorkflow loaded = load_workflow_file(file);
    for (const auto& diagnostic : loaded.diagnostics) {
      if (diagnostic.severity == Severity::error) errors.push_back(format_diagnostic(file, diagnostic));
    }
    if (!loaded.definition) continue;
    if (const Status added = catalog.add(std::move(*loaded.definition)); !added) {
      errors.push_back(file.string() + ": error: " + added.error().message);
    }
  }
  return errors;
}

}  // namespace docket
