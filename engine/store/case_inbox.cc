// CaseStore::inbox: the cases that are a user's turn, read through the kept counts and the
// indexes of migration 12 (store/internal/schema.h) rather than by asking of every open case.
//
// The turn (core/case_actions.h) comes in two kinds. By place: a role held at a unit makes every
// open case of that unit (or of the units directly below it, for a role@above entry) in certain
// stages of a workflow version its holder's turn; those places are counted in open_case_counts,
// so the totals cost one read per place, and a page is read in due-date order from the index.
// By person: the cases assigned to the user, escalated to a role they hold, or holding a
// recommendation addressed to them; few, read whole from their own indexes.
#include <algorithm>
#include <charconv>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "core/case_actions.h"
#include "store/case_store.h"
#include "store/internal/case_rows.h"

namespace docket {
namespace {

// Up to this many cases by place, the page is chosen among all of them; above it, by walking
// the open cases in due-date order, which then reads about limit x (open cases / these) rows.
constexpr std::int64_t kChooseAmongAll = 2000;

// The places (unit, workflow version, stage) that are a user's turn, by unit.
class Places {
 public:
  struct Stage {
    const WorkflowDefinition* definition;
    const StageDefinition* stage;  // of the definition
  };
  // The stages given are the definition's own (the same stage is the same address).
  void add(const std::string& unit, const WorkflowDefinition& definition,
           const std::vector<const StageDefinition*>& stages) {
    if (stages.empty()) return;
    std::vector<Stage>& known = by_unit_[unit];
    for (const StageDefinition* stage : stages) {
      if (std::none_of(known.begin(), known.end(), [&](const Stage& place) { return place.stage == stage; }))
        known.push_back({&definition, stage});
    }
  }
  // The place of a case: its unit (as kept here) and its stage; nullopt when it is not one of these.
  std::optional<std::pair<const std::string*, Stage>> find(std::string_view unit, std::string_view workflow,
                                                           int version, std::string_view stage) const {
    const auto found = by_unit_.find(unit);
    if (found == by_unit_.end()) return std::nullopt;
    for (const Stage& place : found->second) {
      if (place.definition->version == version && place.stage->id == stage && place.definition->id == workflow)
        return std::pair{&found->first, place};
    }
    return std::nullopt;
  }
  bool contains(std::string_view unit, std::string_view workflow, int version, std::string_view stage) const {
    return find(unit, workflow, version, stage).has_value();
  }
  std::size_t units() const { return by_unit_.size(); }
  const auto& by_unit() const { return by_unit_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, std::vector<Stage>, Hash, std::equal_to<>> by_unit_;
};

// The stages of `definition` named by `ids`.
std::vector<const StageDefinition*> stages_named(const WorkflowDefinition& definition,
                                                 const std::vector<std::string>& ids) {
  std::vector<const StageDefinition*> stages;
  for (const std::string& id : ids) {
    if (const StageDefinition* stage = definition.stage(id)) stages.push_back(stage);
  }
  return stages;
}

std::string_view text_of(const SQLite::Column& column) {
  return {column.getText(), static_cast<std::size_t>(column.getBytes())};
}

// A case's place in the inbox's order: due date (none last), then row id (the order of opening).
struct Position {
  std::string due_at;  // empty: no due date
  std::int64_t id = 0;
  bool operator<(const Position& other) const {
    if (due_at.empty() != other.due_at.empty()) return other.due_at.empty();
    return due_at != other.due_at ? due_at < other.due_at : id < other.id;
  }
  bool operator==(const Position&) const = default;
};

std::string cursor_of(const Position& position) {
  return (position.due_at.empty() ? std::string("-") : position.due_at) + "/" + std::to_string(position.id);
}

Result<std::optional<Position>> parse_cursor(const std::string& after) {
  if (after.empty()) return std::optional<Position>{};
  const auto slash = after.rfind('/');
  Position position;
  const char* end = after.data() + after.size();
  if (slash == std::string::npos || slash == 0 ||
      std::from_chars(after.data() + slash + 1, end, position.id).ptr != end || position.id <= 0) {
    return make_error(ErrorCode::invalid_argument, "malformed inbox cursor " + in_quotes(after));
  }
  position.due_at = after.substr(0, slash);
  if (position.due_at == "-") position.due_at.clear();
  return std::optional<Position>{position};
}

}  // namespace

Result<std::map<std::string, OpenCaseCounts>> CaseStore::open_case_counts(const std::vector<std::string>& units) {
  return catch_storage(db_, [&] {
    std::map<std::string, OpenCaseCounts> counts;
    if (units.size() > 64) {  // one pass over the counts costs less than a lookup of each unit
      const std::set<std::string_view> wanted(units.begin(), units.end());
      CachedStatement query_statement =
          db_.prepare("SELECT unit_id, SUM(open), SUM(breached) FROM open_case_counts WHERE open > 0 GROUP BY unit_id");
      SQLite::Statement& query = *query_statement;
      while (query.executeStep()) {
        std::string unit = query.getColumn(0).getString();
        if (wanted.contains(unit))
          counts[std::move(unit)] = {query.getColumn(1).getInt64(), query.getColumn(2).getInt64()};
      }
      return counts;
    }
    CachedStatement query_statement =
        db_.prepare("SELECT SUM(open), SUM(breached) FROM open_case_counts WHERE unit_id = ?");
    SQLite::Statement& query = *query_statement;
    for (const std::string& unit : units) {
      query.reset();
      query.bind(1, unit);
      if (query.executeStep() && query.getColumn(0).getInt64() > 0)
        counts[unit] = {query.getColumn(0).getInt64(), query.getColumn(1).getInt64()};
    }
    return counts;
  });
}

Result<InboxPage> CaseStore::inbox(const std::string& user, const std::string& after, int limit) {
  auto cursor = parse_cursor(after);
  if (!cursor) return cursor.error();
  limit = std::max(limit, 1);
  auto found = directory_.user(user);
  if (!found) return found.error();
  return catch_storage(db_, [&]() -> Result<InboxPage> {
    InboxPage page;
    // The places that are the user's turn, from each role they hold.
    Places places;
    std::map<std::pair<const WorkflowDefinition*, std::string>,
             std::pair<std::vector<const StageDefinition*>, std::vector<const StageDefinition*>>>
        stages_of;  // (definition, role) -> the turn's stages at the unit, and at the units below
    std::map<std::string, std::vector<std::string>> below;  // unit -> the units directly below it
    bool read_units = false;
    const std::vector<const WorkflowDefinition*> definitions = catalog_.all();
    for (const UserRole& held : found->roles) {
      for (const WorkflowDefinition* definition : definitions) {
        auto [known, added] = stages_of.try_emplace({definition, held.role});
        if (added) {
          known->second = {stages_named(*definition, turn_stages(*definition, held.role, RoleScope::unit)),
                           stages_named(*definition, turn_stages(*definition, held.role, RoleScope::above))};
        }
        places.add(held.unit, *definition, known->second.first);
        const std::vector<const StageDefinition*>& stages_below = known->second.second;
        if (stages_below.empty()) continue;
        if (!read_units) {
          auto units = directory_.units();
          if (!units) return units.error();
          for (const OrgUnit& unit : units.value())
            if (!unit.parent.empty()) below[unit.parent].push_back(unit.id);
          read_units = true;
        }
        for (const std::string& child : below[held.unit]) places.add(child, *definition, stages_below);
      }
    }
    // How many cases each place holds, from the kept counts.
    struct Counted {
      const std::string* unit;
      Places::Stage place;
    };
    std::vector<Counted> counted_places;  // places holding a case
    std::int64_t by_place = 0;
    const auto count = [&](std::string_view unit, std::string_view workflow, int version, std::string_view stage,
                           std::int64_t open, std::int64_t breached) {
      if (open <= 0) return;
      const auto place = places.find(unit, workflow, version, stage);
      if (!place) return;
      counted_places.push_back({place->first, place->second});
      by_place += open;
      page.breached += breached;
      page.per_workflow[place->second.definition->id] += open;
    };
    if (places.units() <= 64) {
      CachedStatement query_statement = db_.prepare(
          "SELECT workflow_id, workflow_version, stage, open, breached FROM open_case_counts WHERE unit_id = ?");
      SQLite::Statement& query = *query_statement;
      for (const auto& [unit, stages] : places.by_unit()) {
        query.reset();
        query.bind(1, unit);
        while (query.executeStep()) {
          count(unit, text_of(query.getColumn(0)), query.getColumn(1).getInt(), text_of(query.getColumn(2)),
                query.getColumn(3).getInt64(), query.getColumn(4).getInt64());
        }
      }
    } else {
      CachedStatement query_statement = db_.prepare(
          "SELECT unit_id, workflow_id, workflow_version, stage, open, breached FROM open_case_counts WHERE open > 0");
      SQLite::Statement& query = *query_statement;
      while (query.executeStep()) {
        count(text_of(query.getColumn(0)), text_of(query.getColumn(1)), query.getColumn(2).getInt(),
              text_of(query.getColumn(3)), query.getColumn(4).getInt64(), query.getColumn(5).getInt64());
      }
    }
    page.total = by_place;

    // The cases that are the user's turn as a person, and not already by place.
    std::map<Position, Case> personal;
    const auto consider = [&](SQLite::Statement& query, auto&& keep) {
      while (query.executeStep()) {
        const std::int64_t id = query.getColumn(0).getInt64();
        Case current = rows::read_case_row(query);
        if (places.contains(current.unit, current.workflow_id, current.workflow_version, current.stage)) continue;
        if (!keep(current)) continue;
        Position position{current.deadline ? format_timestamp(current.deadline->due_at) : "", id};
        personal.try_emplace(std::move(position), std::move(current));
      }
    };
    const std::string columns = std::string("SELECT ") + rows::kCaseColumns + " FROM cases ";
    {
      CachedStatement query_statement = db_.prepare(columns + "WHERE assignee = ? AND assignee <> '' AND closed = 0");
      query_statement->bind(1, user);
      consider(*query_statement, [](const Case&) { return true; });
    }
    // Escalated to a role the user holds where it went: asked unit by unit, or, for a user with
    // roles at many units, of every escalated case at once (escalations are few).
    std::map<std::string, std::set<std::string>, std::less<>> roles_at;  // unit -> the roles held there
    for (const UserRole& held : found->roles) roles_at[held.unit].insert(held.role);
    const auto escalated_to_user = [&](const Case& current) {
      if (!current.deadline) return false;
      const auto held = roles_at.find(current.deadline->escalated_to_unit);
      return held != roles_at.end() && held->second.contains(current.deadline->escalated_to_role);
    };
    if (roles_at.size() <= 16) {
      for (const auto& [unit, roles] : roles_at) {
        CachedStatement query_statement =
            db_.prepare(columns + "WHERE closed = 0 AND id IN (SELECT case_id FROM escalated_cases WHERE unit_id = ?)");
        query_statement->bind(1, unit);
        consider(*query_statement, escalated_to_user);
      }
    } else if (!roles_at.empty()) {
      CachedStatement query_statement =
          db_.prepare(columns + "WHERE closed = 0 AND id IN (SELECT case_id FROM escalated_cases)");
      consider(*query_statement, escalated_to_user);
    }
    {
      CachedStatement query_statement = db_.prepare(
          std::string("SELECT ") + rows::kCaseColumns +
          " FROM cases WHERE closed = 0 AND id IN (SELECT case_id FROM recommendations WHERE addressee = ? AND "
          "status IN ('sent', 'unanswered', 'escalated'))");
      query_statement->bind(1, user);
      // Answering needs the answer permission too: asked of the whole case (few are addressed to one body).
      consider(*query_statement, [&](const Case& listed) {
        auto whole = read(listed.number);
        if (!whole) return false;
        auto turn = has_turn(user, **whole);
        return turn && *turn;
      });
    }
    for (const auto& [position, current] : personal) {
      ++page.total;
      page.breached += current.deadline && current.deadline->breached;
      ++page.per_workflow[current.workflow_id];
    }

    // The page: the first `limit` + 1 positions after the cursor, by place or in person.
    std::vector<Position> chosen;
    const auto after_cursor = [&](const Position& position) { return !*cursor || **cursor < position; };
    if (by_place <= kChooseAmongAll) {
      CachedStatement query_statement = db_.prepare(
          "SELECT id, due_at FROM cases INDEXED BY cases_open_place "
          "WHERE unit_id = ? AND workflow_id = ? AND stage = ? AND closed = 0 AND workflow_version = ?");
      SQLite::Statement& query = *query_statement;
      for (const Counted& counted : counted_places) {
        query.reset();
        query.bind(1, *counted.unit);
        query.bind(2, counted.place.definition->id);
        query.bind(3, counted.place.stage->id);
        query.bind(4, counted.place.definition->version);
        while (query.executeStep()) {
          Position position{query.getColumn(1).isNull() ? "" : query.getColumn(1).getString(),
                            query.getColumn(0).getInt64()};
          if (after_cursor(position)) chosen.push_back(std::move(position));
        }
      }
    } else {
      // Walk the open cases in due-date order, then those without a due date, keeping those whose
      // place is the user's turn.
      const auto walk = [&](SQLite::Statement& query) {
        while (static_cast<int>(chosen.size()) <= limit && query.executeStep()) {
          if (!places.contains(text_of(query.getColumn(1)), text_of(query.getColumn(2)), query.getColumn(3).getInt(),
                               text_of(query.getColumn(4))))
            continue;
          chosen.push_back(
              {query.getColumn(5).isNull() ? "" : query.getColumn(5).getString(), query.getColumn(0).getInt64()});
        }
      };
      const char* const kPlace = "SELECT id, unit_id, workflow_id, workflow_version, stage, due_at FROM cases ";
      if (!*cursor || !(*cursor)->due_at.empty()) {
        CachedStatement query_statement = db_.prepare(
            std::string(kPlace) +
            "INDEXED BY cases_due WHERE closed = 0 AND due_at IS NOT NULL AND (due_at > ? OR (due_at = ? AND id > ?)) "
            "ORDER BY due_at, id");
        query_statement->bind(1, *cursor ? (*cursor)->due_at : "");
        query_statement->bind(2, *cursor ? (*cursor)->due_at : "");
        query_statement->bind(3, static_cast<int64_t>(*cursor ? (*cursor)->id : 0));
        walk(*query_statement);
      }
      if (static_cast<int>(chosen.size()) <= limit) {
        CachedStatement query_statement =
            db_.prepare(std::string(kPlace) +
                        "INDEXED BY cases_open_undated WHERE closed = 0 AND due_at IS NULL AND id > ? ORDER BY id");
        query_statement->bind(1, static_cast<int64_t>(*cursor && (*cursor)->due_at.empty() ? (*cursor)->id : 0));
        walk(*query_statement);
      }
    }
    for (const auto& [position, current] : personal) {
      if (after_cursor(position)) chosen.push_back(position);
    }
    std::sort(chosen.begin(), chosen.end());
    chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
    if (static_cast<int>(chosen.size()) > limit) {
      chosen.resize(static_cast<std::size_t>(limit));
      page.next = cursor_of(chosen.back());
    }
    CachedStatement row_statement = db_.prepare(columns + "WHERE id = ?");
    SQLite::Statement& row = *row_statement;
    for (const Position& position : chosen) {
      if (const auto mine = personal.find(position); mine != personal.end()) {
        page.cases.push_back(mine->second);
        continue;
      }
      row.reset();
      row.bind(1, static_cast<int64_t>(position.id));
      if (row.executeStep()) page.cases.push_back(rows::read_case_row(row));
    }
    return page;
  });
}

}  // namespace docket
