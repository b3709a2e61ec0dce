// The recommendation letter (văn bản kiến nghị) of a case as a Word file in the layout of
// Decree 30/2020/NĐ-CP: the committee's letterhead (letterhead.h), the number from the outgoing
// register (blank in a draft), place and date, "Kính gửi" the addressees, the case's numbered
// recommendations grouped by addressee, the signature block and "Nơi nhận". Wording, fonts,
// sizes and margins are in the templates of the documents folder (workflows/documents/), not
// here. Reads the two template files; otherwise pure. Thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/case.h"
#include "core/time.h"
#include "documents/letterhead.h"
#include "documents/xml_template.h"

namespace docket::documents {

// The kind whose abbreviation (Letterhead::abbreviations) the letter's symbol takes.
inline constexpr const char* kLetterKind = "letter";
// The templates, in the documents folder.
inline constexpr const char* kLetterTemplate = "recommendation-letter.document.xml";
inline constexpr const char* kStylesTemplate = "styles.xml";

struct LetterRequest {
  Date date;  // the date printed after the place (Vietnam's calendar)
  // How each addressee is printed when it is not its own words: a user id -> the user's name.
  std::map<std::string, std::string> addressee_names;
  // The number the outgoing register gave the letter ("15"); empty: the number is left blank.
  std::string register_number = {};
};

// "Ninh Bình, ngày 07 tháng 12 năm 2026": days below 10 and the months January and February
// take a leading zero, as Decree 30 asks ("ngày 05 tháng 02", "tháng 4").
std::string date_line(const std::string& place, Date date);

// The values the letter's template sees (documented in docs/documents.md).
TemplateData letter_data(const Case& state, const Letterhead& head, const LetterRequest& request);

// The .docx bytes of the letter of `state` from the templates in `templates_folder`. Errors:
// invalid_argument when the case has no recommendations, when the letterhead has no
// abbreviation for kLetterKind, or naming the template and the position of its mistake;
// not_found naming a missing template file; internal when the package cannot be written.
Result<std::string> recommendation_letter(const Case& state, const Letterhead& head, const LetterRequest& request,
                                          const std::filesystem::path& templates_folder);

}  // namespace docket::documents
