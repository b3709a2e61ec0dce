// The Directory's org tree: units added and imported, and their changes over time (each a new
// form of the unit from a day on, in org_unit_versions; org_units holds the newest).
#include <algorithm>
#include <optional>
#include <set>

#include "core/field_value.h"
#include "core/text.h"
#include "store/directory.h"
#include "store/internal/directory_rows.h"

namespace docket {
namespace {

constexpr const char* kFirstDay = "0001-01-01";  // the first form of a unit holds since the beginning

constexpr const char* kFormColumns =
    "SELECT v.unit_id, v.valid_from, v.name, o.level, COALESCE(v.parent_id, ''), v.status, "
    "COALESCE(v.merged_into, '') FROM org_unit_versions v JOIN org_units o ON o.id = v.unit_id ";

UnitForm read_form(SQLite::Statement& query) {
  return UnitForm{query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getString(),
                  query.getColumn(3).getString(), query.getColumn(4).getString(), query.getColumn(5).getString(),
                  query.getColumn(6).getString()};
}

std::optional<UnitForm> newest_form(Database& db, const std::string& id) {
  CachedStatement query =
      db.prepare(std::string(kFormColumns) + "WHERE v.unit_id = ? ORDER BY v.valid_from DESC LIMIT 1");
  query->bind(1, id);
  if (!query->executeStep()) return std::nullopt;
  return read_form(*query);
}

void write_form(Database& db, const UnitForm& form) {
  CachedStatement upsert = db.prepare(
      "INSERT INTO org_unit_versions (unit_id, valid_from, name, parent_id, status, merged_into) "
      "VALUES (?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, '')) ON CONFLICT (unit_id, valid_from) DO UPDATE SET "
      "name = excluded.name, parent_id = excluded.parent_id, status = excluded.status, "
      "merged_into = excluded.merged_into");
  upsert->bind(1, form.id);
  upsert->bind(2, form.valid_from);
  upsert->bind(3, form.name);
  upsert->bind(4, form.parent);
  upsert->bind(5, form.status);
  upsert->bind(6, form.merged_into);
  upsert->exec();
  CachedStatement current = db.prepare("UPDATE org_units SET name = ?, parent_id = NULLIF(?, '') WHERE id = ?");
  current->bind(1, form.name);
  current->bind(2, form.parent);
  current->bind(3, form.id);
  current->exec();
}

std::string state_of(const UnitForm& form) {
  if (form.status == "merged") return "merged into " + in_quotes(form.merged_into);
  return form.status;
}

// An open unit, for a change that makes it a parent or a merge target.
Status check_open_target(Database& db, const char* what, const std::string& id) {
  const std::optional<UnitForm> target = newest_form(db, id);
  if (!target) return make_error(ErrorCode::not_found, std::string("unknown ") + what + " unit " + in_quotes(id));
  if (target->status != "open")
    return make_error(ErrorCode::invalid_argument,
                      std::string(what) + " unit " + in_quotes(id) + " is " + state_of(*target));
  return Ok{};
}

// Closing or merging a unit leaves none of the units below it without an open parent.
Status check_no_open_units_below(Database& db, const std::string& id) {
  CachedStatement children = db.prepare("SELECT id FROM org_units WHERE parent_id = ? ORDER BY id");
  children->bind(1, id);
  std::string open;
  while (children->executeStep()) {
    const std::string child = children->getColumn(0).getString();
    if (newest_form(db, child)->status == "open") open += (open.empty() ? "" : ", ") + child;
  }
  if (open.empty()) return Ok{};
  return make_error(ErrorCode::invalid_argument, "unit " + in_quotes(id) + " still has open units below it (" + open +
                                                     "): move, close or merge them first");
}

}  // namespace

Status Directory::insert_unit(const OrgUnit& typed, const std::string& actor) {
  OrgUnit unit = typed;
  unit.name = to_nfc(unit.name);  // names are text people type (core/text.h)
  if (const Status id = rows::check_code("unit", unit.id); !id) return id;
  if (const Status name = check_text("unit name", unit.name, kMaxShortText, false); !name) return name;
  if (const Status level = check_text("unit level", unit.level, 64, false); !level) return level;
  auto& db = db_.sql();
  if (rows::unit_exists(db, unit.id))
    return make_error(ErrorCode::already_exists, "unit " + in_quotes(unit.id) + " already exists");
  if (!unit.parent.empty() && !rows::unit_exists(db, unit.parent)) {
    return make_error(ErrorCode::not_found,
                      "unit " + in_quotes(unit.id) + ": unknown parent unit " + in_quotes(unit.parent));
  }
  CachedStatement insert =
      db_.prepare("INSERT INTO org_units (id, name, level, parent_id) VALUES (?, ?, ?, NULLIF(?, ''))");
  insert->bind(1, unit.id);
  insert->bind(2, unit.name);
  insert->bind(3, unit.level);
  insert->bind(4, unit.parent);
  insert->exec();
  write_form(db_, UnitForm{unit.id, kFirstDay, unit.name, unit.level, unit.parent, "open", ""});
  return record("unit.added", actor,
                {{"unit", unit.id}, {"name", unit.name}, {"level", unit.level}, {"parent", unit.parent}});
}

Status Directory::add_unit(const OrgUnit& unit, const std::string& actor) {
  return db_.write([&] { return insert_unit(unit, actor); });
}

Status Directory::import_units(const std::vector<OrgUnit>& units, const std::string& actor) {
  return db_.write([&]() -> Status {
    // Parents first, whatever the file's order: insert in rounds until nothing is left.
    std::vector<const OrgUnit*> pending;
    for (const auto& unit : units) pending.push_back(&unit);
    std::set<std::string> in_file;
    for (const auto& unit : units) {
      if (!in_file.insert(unit.id).second)
        return make_error(ErrorCode::already_exists, "unit " + in_quotes(unit.id) + " appears twice in the import");
    }
    while (!pending.empty()) {
      std::vector<const OrgUnit*> waiting;
      for (const OrgUnit* unit : pending) {
        const bool parent_later =
            !unit->parent.empty() && in_file.count(unit->parent) && !rows::unit_exists(db_.sql(), unit->parent);
        if (parent_later) {
          waiting.push_back(unit);
        } else if (const Status added = insert_unit(*unit, actor); !added) {
          return added;
        }
      }
      if (waiting.size() == pending.size()) {
        return make_error(ErrorCode::invalid_argument,
                          "unit " + in_quotes(waiting.front()->id) + " is part of a parent cycle");
      }
      pending = std::move(waiting);
    }
    return Ok{};
  });
}

Result<std::vector<OrgUnit>> Directory::units() {
  return catch_storage_errors(db_, [&]() -> Result<std::vector<OrgUnit>> {
    std::vector<OrgUnit> result;
    CachedStatement query = db_.prepare("SELECT id, name, level, COALESCE(parent_id, '') FROM org_units ORDER BY id");
    while (query->executeStep()) {
      result.push_back({query->getColumn(0).getString(), query->getColumn(1).getString(),
                        query->getColumn(2).getString(), query->getColumn(3).getString()});
    }
    return result;
  });
}

Result<OrgUnit> Directory::unit(const std::string& id) {
  return catch_storage_errors(db_, [&]() -> Result<OrgUnit> {
    if (const OrgUnit* kept = memo().units.find(db_, id)) return *kept;
    CachedStatement query = db_.prepare("SELECT id, name, level, COALESCE(parent_id, '') FROM org_units WHERE id = ?");
    query->bind(1, id);
    if (!query->executeStep()) return make_error(ErrorCode::not_found, "unknown unit " + in_quotes(id));
    OrgUnit found{query->getColumn(0).getString(), query->getColumn(1).getString(), query->getColumn(2).getString(),
                  query->getColumn(3).getString()};
    memo().units.keep(id, found);
    return found;
  });
}

Result<std::vector<std::string>> Directory::subtree(const std::string& unit) {
  return catch_storage_errors(db_, [&]() -> Result<std::vector<std::string>> {
    std::vector<std::string> result;
    CachedStatement query = db_.prepare(R"sql(
      WITH RECURSIVE below(id, depth) AS (
        SELECT id, 0 FROM org_units WHERE id = ?
        UNION ALL SELECT o.id, b.depth + 1 FROM org_units o JOIN below b ON o.parent_id = b.id)
      SELECT id FROM below ORDER BY depth, id)sql");
    query->bind(1, unit);
    while (query->executeStep()) result.push_back(query->getColumn(0).getString());
    return result;
  });
}

Status Directory::change_unit(const std::string& id, Date effective, const std::string& actor, std::string_view type,
                              const std::function<Status(UnitForm&, AdminPayload&)>& edit) {
  return db_.write([&]() -> Status {
    const std::optional<UnitForm> newest = newest_form(db_, id);
    if (!newest) return make_error(ErrorCode::not_found, "unknown unit " + in_quotes(id));
    if (newest->status != "open")
      return make_error(ErrorCode::invalid_argument, "unit " + in_quotes(id) + " is " + state_of(*newest) + " since " +
                                                         newest->valid_from + ": it no longer changes");
    const std::string day = format_date(effective);
    const Date today = vietnam_date(clock_.now());
    if (effective > today)
      return make_error(ErrorCode::invalid_argument, "effective date " + day + " is after today (" +
                                                         format_date(today) +
                                                         "): record a change to the tree once it takes effect");
    if (day < newest->valid_from)
      return make_error(ErrorCode::invalid_argument, "unit " + in_quotes(id) + " last changed on " +
                                                         newest->valid_from +
                                                         ": a change cannot take effect before that (" + day + ")");
    UnitForm next = *newest;
    next.valid_from = day;
    AdminPayload details;
    if (const Status edited = edit(next, details); !edited) return edited;
    write_form(db_, next);
    details["unit"] = id;
    details["effective"] = day;
    return record(type, actor, details);
  });
}

Status Directory::rename_unit(const std::string& id, const std::string& typed_name, Date effective,
                              const std::string& actor) {
  const std::string name = to_nfc(typed_name);
  if (const Status valid = check_text("unit name", name, kMaxShortText, false); !valid) return valid;
  return change_unit(id, effective, actor, "unit.renamed", [&](UnitForm& form, AdminPayload& details) -> Status {
    details = {{"name", name}, {"previous_name", form.name}};
    form.name = name;
    return Ok{};
  });
}

Status Directory::move_unit(const std::string& id, const std::string& parent, Date effective,
                            const std::string& actor) {
  return change_unit(id, effective, actor, "unit.moved", [&](UnitForm& form, AdminPayload& details) -> Status {
    if (const Status target = check_open_target(db_, "parent", parent); !target) return target;
    DOCKET_TRY(below, subtree(id));
    if (std::find(below->begin(), below->end(), parent) != below->end())
      return make_error(ErrorCode::invalid_argument, "unit " + in_quotes(id) + " cannot move under " +
                                                         in_quotes(parent) + ", which is itself or below it");
    details = {{"parent", parent}, {"previous_parent", form.parent}};
    form.parent = parent;
    return Ok{};
  });
}

Status Directory::close_unit(const std::string& id, Date effective, const std::string& actor) {
  return change_unit(id, effective, actor, "unit.closed", [&](UnitForm& form, AdminPayload&) -> Status {
    if (const Status leaf = check_no_open_units_below(db_, id); !leaf) return leaf;
    form.status = "closed";
    return Ok{};
  });
}

Status Directory::merge_unit(const std::string& id, const std::string& into, Date effective, const std::string& actor) {
  return change_unit(id, effective, actor, "unit.merged", [&](UnitForm& form, AdminPayload& details) -> Status {
    if (into == id)
      return make_error(ErrorCode::invalid_argument, "unit " + in_quotes(id) + " cannot merge into itself");
    if (const Status target = check_open_target(db_, "target", into); !target) return target;
    if (const Status leaf = check_no_open_units_below(db_, id); !leaf) return leaf;
    details = {{"into", into}};
    form.status = "merged";
    form.merged_into = into;
    return Ok{};
  });
}

Result<std::vector<UnitForm>> Directory::unit_history(const std::string& id) {
  return catch_storage_errors(db_, [&]() -> Result<std::vector<UnitForm>> {
    std::vector<UnitForm> forms;
    CachedStatement query = db_.prepare(std::string(kFormColumns) + "WHERE v.unit_id = ? ORDER BY v.valid_from");
    query->bind(1, id);
    while (query->executeStep()) forms.push_back(read_form(*query));
    if (forms.empty()) return make_error(ErrorCode::not_found, "unknown unit " + in_quotes(id));
    return forms;
  });
}

Result<std::vector<UnitForm>> Directory::tree_on(Date day) {
  return catch_storage_errors(db_, [&]() -> Result<std::vector<UnitForm>> {
    std::vector<UnitForm> forms;
    CachedStatement query = db_.prepare(std::string(kFormColumns) +
                                        "WHERE v.valid_from = (SELECT MAX(w.valid_from) FROM org_unit_versions w "
                                        "WHERE w.unit_id = v.unit_id AND w.valid_from <= ?) ORDER BY v.unit_id");
    query->bind(1, format_date(day));
    while (query->executeStep()) forms.push_back(read_form(*query));
    return forms;
  });
}

Result<bool> Directory::is_open(const std::string& unit) {
  return catch_storage_errors(db_, [&]() -> Result<bool> {
    const std::optional<UnitForm> newest = newest_form(db_, unit);
    if (!newest) return make_error(ErrorCode::not_found, "unknown unit " + in_quotes(unit));
    return newest->status == "open";
  });
}

Status Directory::record(std::string_view type, const std::string& actor, const AdminPayload& payload) {
  return record_admin_event(db_, type, actor, clock_.now(), payload);
}

}  // namespace docket
