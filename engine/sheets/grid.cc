#include "sheets/grid.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/text.h"
#include "sheets/csv_reader.h"
#include "sheets/xlsx_reader.h"

namespace docket::sheets {
namespace {

// Excel's day 0 in the 1900 system, counted so that serials after 28 February 1900 come out
// right (day 60 is the 29 February 1900 that never was).
constexpr std::chrono::sys_days kSerialEpoch = std::chrono::sys_days{std::chrono::year{1899} / 12 / 30};

bool ends_with(std::string_view text, std::string_view tail) {
  if (text.size() < tail.size()) return false;
  for (std::size_t i = 0; i < tail.size(); ++i) {
    const char c = text[text.size() - tail.size() + i];
    if (std::tolower(static_cast<unsigned char>(c)) != tail[i]) return false;
  }
  return true;
}

}  // namespace

const Cell& Grid::at(int row, int column) const {
  static const Cell kEmpty;
  if (row < 1 || static_cast<std::size_t>(row) > rows.size()) return kEmpty;
  const auto& cells = rows[static_cast<std::size_t>(row - 1)];
  if (column < 0 || static_cast<std::size_t>(column) >= cells.size()) return kEmpty;
  return cells[static_cast<std::size_t>(column)];
}

std::string column_letters(int column) {
  std::string letters;
  for (int n = column + 1; n > 0; n = (n - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  return letters;
}

std::optional<int> column_index(std::string_view letters) {
  if (letters.empty() || letters.size() > 3) return std::nullopt;
  int index = 0;
  for (const char c : letters) {
    const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper < 'A' || upper > 'Z') return std::nullopt;
    index = index * 26 + (upper - 'A' + 1);
  }
  return index - 1;
}

std::optional<Date> date_of_serial(double serial) {
  if (!(serial >= 1 && serial < 2958466)) return std::nullopt;  // 1900-01-01 .. 9999-12-31
  auto days = static_cast<long>(std::floor(serial));
  if (days == 60) return std::nullopt;  // the phantom 29 February 1900
  if (days < 60) ++days;                // before it, Excel counts one day short
  return Date{kSerialEpoch + std::chrono::days{days}};
}

double serial_of_date(Date date) {
  const long days = (std::chrono::sys_days{date} - kSerialEpoch).count();
  return static_cast<double>(days < 61 ? days - 1 : days);
}

std::string shown(const Cell& cell) {
  if (cell.kind != Cell::Kind::number) return cell.text;
  if (cell.dated) {
    if (const auto date = date_of_serial(cell.number)) {
      char text[16];
      std::snprintf(text, sizeof text, "%02u/%02u/%04d", static_cast<unsigned>(date->day()),
                    static_cast<unsigned>(date->month()), static_cast<int>(date->year()));
      return text;
    }
  }
  if (std::floor(cell.number) == cell.number && std::fabs(cell.number) < 1e15) {
    return std::to_string(static_cast<long long>(cell.number));
  }
  return cell.text;
}

Result<Grid> read_grid(const std::string& file_name, std::string_view bytes, const std::string& sheet) {
  if (ends_with(file_name, ".xlsx")) return read_xlsx(bytes, sheet);
  if (ends_with(file_name, ".csv") || ends_with(file_name, ".txt")) {
    if (!sheet.empty()) {
      return make_error(ErrorCode::invalid_argument,
                        in_quotes(file_name) + " is a CSV file: it has no sheets (leave out the sheet name)");
    }
    return read_csv(bytes);
  }
  return make_error(ErrorCode::invalid_argument, in_quotes(file_name) +
                                                     " is neither an .xlsx workbook nor a .csv file (name it "
                                                     "FILE.xlsx or FILE.csv; .xls files: save them as .xlsx first)");
}

}  // namespace docket::sheets
