// docket demo: drives one case of each built-in workflow from its initial stage to a terminal
// stage through the state machine, in memory, and prints the timeline. It shows the engine at
// work until the case store and the server exist.
#include <CLI/CLI.hpp>

#include <functional>
#include <iomanip>
#include <set>
#include <vector>

#include "app.h"
#include "core/state_machine.h"
#include "loader/workflow_loader.h"

namespace docket::cli {
namespace {

// The main route: depth-first in file order, transitions from "*" (withdraw, decline) last.
bool main_route(const WorkflowDefinition& def, const std::string& stage, std::set<std::string>& seen,
                std::vector<const TransitionDefinition*>& route) {
  if (def.stage(stage)->terminal) return true;
  auto options = def.transitions_from(stage);
  std::stable_partition(options.begin(), options.end(), [](const auto* t) { return !t->from_any; });
  for (const TransitionDefinition* transition : options) {
    if (!seen.insert(transition->to).second) continue;
    route.push_back(transition);
    if (main_route(def, transition->to, seen, route)) return true;
    route.pop_back();
  }
  return false;
}

std::string sample_value(const FieldDefinition& field, const Requirements* requires_) {
  if (requires_ != nullptr) {
    for (const auto& condition : requires_->field_values) {
      if (condition.field == field.id) return condition.values.front();
    }
  }
  switch (field.type) {
    case FieldType::date:
      return "2026-06-15";
    case FieldType::datetime:
      return "2026-06-15T08:00";
    case FieldType::integer:
      return "12";
    case FieldType::enumeration:
      return field.values.front().id;
    default:
      return field.label.vi + " (mẫu)";
  }
}

class Demo {
 public:
  Demo(Context& context, const WorkflowDefinition& def) : context_(context), def_(def) {
    for (const auto& role : def.roles) actor_.roles.push_back(role.id);
    actor_.roles_above = actor_.roles;  // the demo acts at every level: `role@above` entries too
  }

  void run() {
    context_.out << "\n== " << def_.title.vi << " (" << def_.title.en << ") ==\n";
    std::set<std::string> seen{def_.initial_stage()->id};
    std::vector<const TransitionDefinition*> route;
    main_route(def_, def_.initial_stage()->id, seen, route);
    if (!open()) return;
    if (!def_.permissions.recommend.empty()) {
      step(AddRecommendation{"Cơ quan chủ trì soạn thảo", "Bổ sung tiêu chí xác định hộ nghèo đa chiều"});
      step(AddRecommendation{"Cơ quan ban hành", "Công khai danh sách hộ nghèo tại nhà văn hóa thôn"});
    }
    for (const TransitionDefinition* transition : route) {
      if (!move(*transition)) return;
    }
    context_.out << "-> case " << state_.number << " ended in stage " << in_quotes(state_.stage) << " after "
                 << state_.version << " events\n";
  }

 private:
  bool open() {
    OpenCase command{
        def_.case_prefix + "-2026-0001", "Dự thảo Kế hoạch giảm nghèo bền vững giai đoạn 2026-2030", "ninh-binh", {}};
    for (const auto& field : def_.fields) {
      if (field.required_at_open) command.fields[field.id] = sample_value(field, nullptr);
    }
    actor_.user = "can.bo";
    return step(command);
  }

  bool move(const TransitionDefinition& transition) {
    for (const auto& kind : transition.requires_.documents) {
      if (!state_.has_document(kind))
        step(AttachDocument{kind, kind + ".pdf", std::string(64, 'a'), 1024, "application/pdf"});
    }
    if (transition.requires_.all_recommendations_answered) {
      // Each step replaces state_: the numbers to answer are taken before the first one.
      std::vector<int> unanswered;
      for (const auto& recommendation : state_.recommendations) {
        if (!is_answered(recommendation.status)) unanswered.push_back(recommendation.number);
      }
      for (const int number : unanswered) step(AnswerRecommendation{number, "accepted", "Tiếp thu", ""});
    }
    MoveCase command{transition.id, {}, ""};
    for (const auto& id : transition.sets) command.fields[id] = sample_value(*def_.field(id), &transition.requires_);
    for (const auto& id : transition.requires_.fields) {
      if (!state_.fields.count(id) && !command.fields.count(id))
        step(SetFields{{{id, sample_value(*def_.field(id), nullptr)}}});
    }
    for (const auto& condition : transition.requires_.field_values) {
      if (!command.fields.count(condition.field)) step(SetFields{{{condition.field, condition.values.front()}}});
    }
    return step(command);
  }

  bool step(const Command& command) {
    now_ += std::chrono::hours{24};
    auto outcome = execute(def_, state_, actor_, now_, command);
    if (!outcome) {
      context_.err << "demo: " << to_string(outcome.error().code) << ": " << outcome.error().message << "\n";
      context_.exit_code = 1;
      return false;
    }
    for (const auto& event : outcome->events) print(event, outcome->state);
    state_ = std::move(outcome->state);
    return true;
  }

  void print(const Event& event, const Case& after) {
    context_.out << format_timestamp(event.at) << "  " << std::left << std::setw(26) << event_type(event.payload);
    if (const auto* changed = std::get_if<StageChanged>(&event.payload)) {
      context_.out << changed->from << " -> " << changed->to << "  (" << def_.stage(changed->to)->label.vi << ")";
    } else if (std::holds_alternative<CaseOpened>(event.payload)) {
      context_.out << after.number << " at stage " << after.stage;
    } else if (const auto* added = std::get_if<RecommendationAdded>(&event.payload)) {
      context_.out << "#" << added->number << " " << added->text;
    } else if (const auto* answered = std::get_if<RecommendationAnswered>(&event.payload)) {
      context_.out << "#" << answered->number << " " << to_string(answered->status);
    } else if (const auto* attached = std::get_if<DocumentAttached>(&event.payload)) {
      context_.out << attached->kind << " " << attached->file_name;
    } else if (const auto* set = std::get_if<FieldsSet>(&event.payload)) {
      for (const auto& [id, value] : set->fields) context_.out << id << "=" << value << " ";
    }
    context_.out << "\n";
  }

  Context& context_;
  const WorkflowDefinition& def_;
  Actor actor_;
  Case state_;
  Timestamp now_ = std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} + std::chrono::hours{1};
};

}  // namespace

void add_demo_command(CLI::App& app, Context& context) {
  app.add_subcommand("demo", "Run one case of each built-in workflow from start to end, in memory")
      ->callback([&context] {
        WorkflowCatalog catalog;
        const auto errors = load_workflow_directory(context.workflows_dir, catalog);
        for (const auto& error : errors) context.err << error << "\n";
        if (!errors.empty()) {
          context.exit_code = 1;
          return;
        }
        for (const WorkflowDefinition* definition : catalog.latest_of_each()) Demo(context, *definition).run();
      });
}

}  // namespace docket::cli
