#include "web/stage_graph.h"

#include <algorithm>
#include <deque>
#include <map>

namespace docket::web {
namespace {

constexpr int kWidth = 170, kHeight = 40, kColumn = 220, kRow = 58, kMargin = 12;

struct Place {
  int column = 0, row = 0;
  int x() const { return kMargin + column * kColumn; }
  int y() const { return kMargin + row * kRow; }
};

// Each stage's column: its distance (in transitions) from the initial stage; stages no
// transition reaches go in a last column.
std::map<std::string, Place> layout(const WorkflowDefinition& definition) {
  std::map<std::string, int> depth;
  std::deque<std::string> queue;
  if (const StageDefinition* initial = definition.initial_stage()) {
    depth[initial->id] = 0;
    queue.push_back(initial->id);
  }
  while (!queue.empty()) {
    const std::string stage = queue.front();
    queue.pop_front();
    for (const TransitionDefinition* transition : definition.transitions_from(stage)) {
      if (transition->from_any) continue;  // "from every stage": drawn, but not a step forward
      if (depth.emplace(transition->to, depth[stage] + 1).second) queue.push_back(transition->to);
    }
  }
  int last = 0;
  for (const auto& [stage, column] : depth) last = std::max(last, column);
  std::map<int, int> rows;
  std::map<std::string, Place> places;
  for (const StageDefinition& stage : definition.stages) {
    const auto found = depth.find(stage.id);
    const int column = found == depth.end() ? last + 1 : found->second;
    places[stage.id] = Place{column, rows[column]++};
  }
  return places;
}

}  // namespace

std::string stage_graph_svg(const WorkflowDefinition& definition, const Language& language, const std::string& current,
                            const std::set<std::string>& visited) {
  const auto places = layout(definition);
  int columns = 1, rows = 1;
  for (const auto& [stage, place] : places) {
    columns = std::max(columns, place.column + 1);
    rows = std::max(rows, place.row + 1);
  }
  const int width = 2 * kMargin + (columns - 1) * kColumn + kWidth;
  const int height = 2 * kMargin + (rows - 1) * kRow + kHeight;
  std::string svg = "<svg class=\"graph\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(height) + "\" width=\"" + std::to_string(width) +
                    "\" aria-label=\"" + escape_html(label(language, definition.title)) + "\">";
  svg +=
      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
      "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#5b6878\"/></marker></defs>";
  for (const TransitionDefinition& transition : definition.transitions) {
    if (transition.from_any) continue;
    const auto to = places.find(transition.to);
    for (const std::string& from_id : transition.from) {
      const auto from = places.find(from_id);
      if (from == places.end() || to == places.end()) continue;
      const bool forward = to->second.column > from->second.column;
      const int x1 = from->second.x() + (forward ? kWidth : kWidth / 2);
      const int y1 = from->second.y() + (forward ? kHeight / 2 : kHeight);
      const int x2 = to->second.x() + (forward ? 0 : kWidth / 2);
      const int y2 = to->second.y() + (forward ? kHeight / 2 : 0);
      svg += "<line x1=\"" + std::to_string(x1) + "\" y1=\"" + std::to_string(y1) + "\" x2=\"" + std::to_string(x2) +
             "\" y2=\"" + std::to_string(y2) + "\" stroke=\"#98a2ae\" marker-end=\"url(#arrow)\"><title>" +
             escape_html(label(language, transition.label)) + "</title></line>";
    }
  }
  for (const StageDefinition& stage : definition.stages) {
    const Place& place = places.at(stage.id);
    const bool is_current = stage.id == current;
    const char* fill = is_current ? "#a3181f" : visited.count(stage.id) ? "#e3f4e6" : "#ffffff";
    svg += "<g class=\"stage" + std::string(is_current ? " current" : "") + "\"><rect x=\"" +
           std::to_string(place.x()) + "\" y=\"" + std::to_string(place.y()) + "\" width=\"" + std::to_string(kWidth) +
           "\" height=\"" + std::to_string(kHeight) + "\" rx=\"6\" fill=\"" + fill + "\" stroke=\"" +
           (stage.terminal ? "#1d2733" : "#98a2ae") + "\" stroke-width=\"" + (stage.terminal ? "2" : "1") +
           "\"/><text x=\"" + std::to_string(place.x() + kWidth / 2) + "\" y=\"" +
           std::to_string(place.y() + kHeight / 2 + 5) + "\" text-anchor=\"middle\" font-size=\"13\" fill=\"" +
           (is_current ? "#ffffff" : "#1d2733") + "\">" + escape_html(label(language, stage.label)) + "</text></g>";
  }
  return svg + "</svg>";
}

}  // namespace docket::web
