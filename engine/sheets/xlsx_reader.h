// Reading one sheet of an .xlsx workbook (Office Open XML, as Excel and LibreOffice save it)
// with libzip and pugixml: Debian packages no library that reads them. Cells may hold shared
// strings, inline strings, numbers, booleans, formula results (their cached value); a number
// whose cell style has a date format (built-in or custom) is marked as a date. Merged cells,
// comments and formatting other than dates are ignored. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "sheets/grid.h"

namespace docket::sheets {

// Limits: a part of the package (an XML file inside the zip) is read only up to 256 MiB
// uncompressed, so that a crafted file cannot exhaust memory.
inline constexpr std::size_t kMaxXlsxPartBytes = 256u << 20;

// The sheet named `sheet` of the workbook in `bytes`, or its first sheet when `sheet` is empty.
// Errors: invalid_argument when the bytes are not a zip package or not a workbook (naming the
// missing part), when no sheet has that name (listing the sheets there are), or when a part is
// not well-formed XML or too large.
Result<Grid> read_xlsx(std::string_view bytes, const std::string& sheet);

}  // namespace docket::sheets
