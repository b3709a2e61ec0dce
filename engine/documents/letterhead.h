// A committee's letterhead: who issues its documents, where, who signs and who receives them,
// read from a JSON file the committee edits (config/documents.example.json, docs/documents.md),
// so that a new header needs no rebuild. Plain values; thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "documents/xml_template.h"

namespace docket::documents {

struct Letterhead {
  std::vector<std::string> superior_body;  // "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM", "TỈNH NINH BÌNH"
  std::vector<std::string> issuing_body;   // "BAN THƯỜNG TRỰC" (printed in bold, underlined)
  std::string issuer_in_text;              // how the body names itself in a sentence
  std::string place;                       // "Ninh Bình", before the date
  std::string symbol;                      // the issuer's part of the symbol: "MTTQ-BTT"
  std::map<std::string, std::string> abbreviations;  // kind of document -> "CV", "BC", ...
  std::string authority;                             // "TM. BAN THƯỜNG TRỰC"
  std::string signer_title;                          // "PHÓ CHỦ TỊCH"
  std::string signer_name;
  std::vector<std::string> recipients;  // "Nơi nhận" lines before the archive line
  std::string archive = "VT";           // "- Lưu: VT."

  // "CV-MTTQ-BTT" for the kind "letter". REQUIRES: abbreviations holds `kind`.
  std::string symbol_of(std::string_view kind) const;
};

// What differs between two issues of the same document: the date after the place and the
// number the outgoing register gives (empty: left blank, to be written in by hand).
struct Issue {
  Date date;
  std::string number;
};

// "Ninh Bình, ngày 07 tháng 12 năm 2026": days below 10 and the months January and February
// take a leading zero, as Decree 30 asks ("ngày 05 tháng 02", "tháng 4").
std::string date_line(const std::string& place, Date date);

// The values every document's template sees for its head and foot (docs/documents.md):
// superior_body, issuing_body (lists of lines), issuer_in_text, symbol (of `kind`),
// number_text (the number, or spaces for one written by hand), date_line, authority,
// signer_title, signer_name, recipients, archive. REQUIRES: head.abbreviations holds `kind`.
TemplateData letterhead_data(const Letterhead& head, std::string_view kind, const Issue& issue);

// `texts` as a template list, each line {{.}}.
TemplateData lines_data(const std::vector<std::string>& texts);

// The letterhead in `json`, read from the file called `source` in messages. Errors:
// invalid_argument "SOURCE: $.path: problem; ..." listing every problem (malformed JSON with its
// line and column, an unknown or missing key, an empty line, a kind without its abbreviation).
// `kinds` are the document kinds whose abbreviation must be given.
Result<Letterhead> parse_letterhead(std::string_view json, const std::string& source,
                                    const std::vector<std::string>& kinds);

// The letterhead in the file at `path`. Errors: not_found naming the file when it does not
// exist, and those of parse_letterhead.
Result<Letterhead> load_letterhead(const std::filesystem::path& path, const std::vector<std::string>& kinds);

}  // namespace docket::documents
