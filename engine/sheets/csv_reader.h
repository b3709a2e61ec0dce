// Reading a CSV file that a committee saved from Excel or LibreOffice: UTF-8 with or without a
// byte order mark, fields separated by commas or by semicolons (what Excel writes where the
// decimal mark is a comma, as in Vietnam), quoted as RFC 4180 says (quotes doubled, commas and
// line breaks inside quotes), lines ending in LF or CRLF. Every cell is text. Thread-safe.
#pragma once

#include <string_view>

#include "sheets/grid.h"

namespace docket::sheets {

// The separator is the one of ',' and ';' the first line holds more of outside quotes (',' on a
// tie). Errors: invalid_argument naming the line for text that is not UTF-8 (a file saved in a
// legacy code page: save it as "CSV UTF-8") and for a quote left open at the end of the file.
Result<Grid> read_csv(std::string_view bytes);

}  // namespace docket::sheets
