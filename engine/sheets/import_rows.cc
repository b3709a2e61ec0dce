#include "sheets/import_rows.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/field_value.h"
#include "core/text.h"

namespace docket::sheets {
namespace {

std::string join_problems(const std::vector<std::string>& problems) {
  std::string message;
  for (std::size_t i = 0; i < problems.size(); ++i) message += (i > 0 ? "; " : "") + problems[i];
  return message;
}

std::string field_ids(const WorkflowDefinition& definition) {
  std::string ids;
  for (const FieldDefinition& field : definition.fields) ids += (ids.empty() ? "" : ", ") + field.id;
  return ids;
}

std::string lower_ascii(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string choices_of(const FieldDefinition& field) {
  std::string list;
  for (const Choice& choice : field.values)
    list += (list.empty() ? "" : ", ") + choice.id + " (" + choice.label.vi + ")";
  return list;
}

// "15/01/2027 08:30" (Vietnam time) -> "2027-01-15T08:30:00+07:00".
std::optional<std::string> people_time(std::string_view text) {
  const auto space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto date = parse_people_date(text.substr(0, space));
  int hours = -1, minutes = -1;
  const std::string clock(text.substr(space + 1));
  if (!date || std::sscanf(clock.c_str(), "%2d:%2d", &hours, &minutes) != 2 || hours > 23 || minutes > 59)
    return std::nullopt;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:00+07:00", format_date(*date).c_str(), hours, minutes);
  return buffer;
}

// An Excel serial day with a time of day (Vietnam time) -> the ISO time.
std::optional<std::string> serial_time(double serial) {
  const auto date = date_of_serial(serial);
  if (!date) return std::nullopt;
  const auto minutes = static_cast<int>(std::lround((serial - std::floor(serial)) * 1440));
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:00+07:00", format_date(*date).c_str(), minutes / 60 % 24,
                minutes % 60);
  return buffer;
}

}  // namespace

std::string RowProblem::text() const {
  return "row " + std::to_string(row) + (column.empty() ? "" : ", " + column) + ": " + message;
}

std::optional<Date> parse_people_date(std::string_view text) {
  if (auto iso = parse_date(text)) return iso;
  unsigned day = 0, month = 0;
  int year = 0, used = 0;
  const std::string copy(text);
  char first = 0, second = 0;
  if (std::sscanf(copy.c_str(), "%2u%c%2u%c%4d%n", &day, &first, &month, &second, &year, &used) != 5)
    return std::nullopt;
  if (static_cast<std::size_t>(used) != copy.size() || first != second ||
      std::string_view("/-.").find(first) == std::string_view::npos)
    return std::nullopt;
  if (year < 1000) return std::nullopt;
  const Date date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!date.ok()) return std::nullopt;
  return parse_date(format_date(date));  // within the years the store accepts
}

Result<RowReader> RowReader::make(const Grid& grid, const ImportMapping& mapping, const WorkflowDefinition& definition,
                                  const std::vector<OrgUnit>& units, const std::string& default_unit) {
  RowReader reader(grid, mapping, definition);
  std::vector<std::string> problems;
  const auto locate = [&](const std::string& given, const std::string& what) -> std::optional<MappedColumn> {
    auto column = find_column(grid, mapping.header_row, given, what);
    if (!column) {
      problems.push_back(column.error().message);
      return std::nullopt;
    }
    return *column;
  };
  if (auto column = locate(mapping.reference, "the external reference")) reader.reference_ = *column;
  if (auto column = locate(mapping.title, "the title")) reader.title_ = *column;
  if (!mapping.unit.empty()) reader.unit_ = locate(mapping.unit, "the unit");
  if (!mapping.opened.empty()) reader.opened_ = locate(mapping.opened, "the day the case was opened");
  for (const auto& [id, given] : mapping.fields) {
    const FieldDefinition* field = definition.field(id);
    if (field == nullptr) {
      problems.push_back("the mapping names field " + in_quotes(id) + ", which workflow " + definition.id +
                         " does not have (its fields: " + field_ids(definition) + ")");
      continue;
    }
    if (auto column = locate(given, "field " + id)) reader.fields_.emplace_back(field, *column);
  }
  for (const FieldDefinition& field : definition.fields) {
    const bool mapped = std::any_of(mapping.fields.begin(), mapping.fields.end(),
                                    [&](const auto& entry) { return entry.first == field.id; });
    if (field.required_at_open && !mapped) {
      problems.push_back("workflow " + definition.id + " requires field " + field.id + " (" + field.label.vi +
                         ") to open a case: map a column to it under \"fields\"");
    }
  }
  for (const OrgUnit& unit : units) {
    reader.unit_ids_[unit.id] = unit.id;
    const auto [place, added] = reader.unit_names_.emplace(to_nfc(unit.name), unit.id);
    if (!added) place->second.clear();  // two units by that name: only the id tells them apart
  }
  if (mapping.unit.empty()) {
    if (default_unit.empty()) {
      problems.push_back("no unit: name the unit column in the mapping (\"unit\") or give every row's unit (--unit)");
    } else if (!reader.unit_ids_.contains(default_unit)) {
      problems.push_back("unknown unit " + in_quotes(default_unit));
    }
    reader.default_unit_ = default_unit;
  }
  if (!problems.empty()) return make_error(ErrorCode::invalid_argument, join_problems(problems));
  return reader;
}

bool RowReader::blank(int row) const {
  if (static_cast<std::size_t>(row) > grid_->rows.size()) return true;
  for (const Cell& cell : grid_->rows[static_cast<std::size_t>(row - 1)]) {
    if (!tidy(shown(cell)).empty()) return false;
  }
  return true;
}

std::optional<std::string> RowReader::unit_of(int row, std::vector<RowProblem>& problems) const {
  if (!unit_) return default_unit_;
  const std::string text = tidy(shown(grid_->at(row, unit_->index)));
  if (text.empty()) {
    problems.push_back({row, unit_->name(), "the unit is empty"});
    return std::nullopt;
  }
  std::string wanted = text;
  if (const auto words = mapping_.values.find("unit"); words != mapping_.values.end()) {
    if (const auto found = words->second.find(text); found != words->second.end()) wanted = found->second;
  }
  if (unit_ids_.contains(wanted)) return wanted;
  if (const auto named = unit_names_.find(wanted); named != unit_names_.end()) {
    if (!named->second.empty()) return named->second;
    problems.push_back({row, unit_->name(), "several units are named " + in_quotes(text) + ": give the unit's id"});
    return std::nullopt;
  }
  problems.push_back({row, unit_->name(), "unknown unit " + in_quotes(text) + " (give a unit's id or its full name)"});
  return std::nullopt;
}

std::optional<std::string> RowReader::field_value(int row, const FieldDefinition& field, const MappedColumn& column,
                                                  std::vector<RowProblem>& problems) const {
  const Cell& cell = grid_->at(row, column.index);
  const std::string text = tidy(shown(cell));
  if (text.empty()) return std::string();
  std::string raw = text;
  const auto problem = [&](const std::string& message) {
    problems.push_back({row, column.name(), message});
    return std::nullopt;
  };
  if (const auto words = mapping_.values.find(field.id); words != mapping_.values.end()) {
    if (const auto found = words->second.find(text); found != words->second.end()) raw = found->second;
  }
  switch (field.type) {
    case FieldType::date: {
      const auto date = cell.kind == Cell::Kind::number ? date_of_serial(cell.number) : parse_people_date(raw);
      if (!date) return problem(in_quotes(text) + " is not a date (dd/mm/yyyy)");
      raw = format_date(*date);
      break;
    }
    case FieldType::datetime: {
      auto time = cell.kind == Cell::Kind::number ? serial_time(cell.number) : people_time(raw);
      if (time)
        raw = *time;
      else if (cell.kind == Cell::Kind::number || !parse_datetime(raw))
        return problem(in_quotes(text) + " is not a date and time (dd/mm/yyyy hh:mm)");
      break;
    }
    case FieldType::enumeration: {
      if (field.allows_value(raw)) break;
      for (const Choice& choice : field.values) {
        if (to_nfc(choice.label.vi) == raw || lower_ascii(choice.label.en) == lower_ascii(raw) ||
            lower_ascii(choice.id) == lower_ascii(raw))
          raw = choice.id;
      }
      if (!field.allows_value(raw)) return problem(in_quotes(text) + " is not one of: " + choices_of(field));
      break;
    }
    default:
      break;
  }
  auto canonical = canonical_field_value(field, raw);
  if (!canonical) return problem(canonical.error().message);
  return *canonical;
}

std::optional<RowValues> RowReader::read(int row, std::vector<RowProblem>& problems) const {
  const std::size_t before = problems.size();
  RowValues values;
  values.reference = tidy(shown(grid_->at(row, reference_.index)));
  if (values.reference.empty()) problems.push_back({row, reference_.name(), "the external reference is empty"});
  values.title = tidy(shown(grid_->at(row, title_.index)));
  if (values.title.empty())
    problems.push_back({row, title_.name(), "the title is empty"});
  else if (const Status title = check_text("the title", values.title, kMaxShortText, false); !title)
    problems.push_back({row, title_.name(), title.error().message});
  if (auto unit = unit_of(row, problems)) values.unit = std::move(*unit);
  if (opened_) {
    const Cell& cell = grid_->at(row, opened_->index);
    const std::string text = tidy(shown(cell));
    const auto date = cell.kind == Cell::Kind::number ? date_of_serial(cell.number) : parse_people_date(text);
    if (date)
      values.opened = format_date(*date);
    else if (!text.empty())
      problems.push_back({row, opened_->name(), in_quotes(text) + " is not a date (dd/mm/yyyy)"});
  }
  for (const auto& [field, column] : fields_) {
    auto value = field_value(row, *field, column, problems);
    if (!value) continue;
    if (value->empty() && field->required_at_open) {
      problems.push_back({row, column.name(), "empty, but " + field->id + " (" + field->label.vi + ") is required"});
    } else if (!value->empty()) {
      values.fields[field->id] = std::move(*value);
    }
  }
  if (problems.size() == before) return values;
  // One column mapped twice (the opening day and a date field) tells its problem once.
  for (std::size_t i = before + 1; i < problems.size(); ++i) {
    for (std::size_t j = before; j < i; ++j) {
      if (problems[j].column == problems[i].column && problems[j].message == problems[i].message) {
        problems.erase(problems.begin() + static_cast<std::ptrdiff_t>(i--));
        break;
      }
    }
  }
  return std::nullopt;
}

}  // namespace docket::sheets
