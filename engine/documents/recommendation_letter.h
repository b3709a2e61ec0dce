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
#include <vector>

#include "core/case.h"
#include "core/time.h"
#include "documents/docx_package.h"
#include "documents/letterhead.h"
#include "documents/xml_template.h"

namespace docket::documents {

// The kind whose abbreviation (Letterhead::abbreviations) the letter's symbol takes.
inline constexpr const char* kLetterKind = "letter";
// The templates, in the documents folder.
inline constexpr const char* kLetterTemplate = "recommendation-letter.document.xml";
inline constexpr const char* kStylesTemplate = "styles.xml";

struct LetterRequest {
  Date date;           // the date printed after the place (Vietnam's calendar)
  std::string number;  // the outgoing register's number; empty: left blank
  // How each addressee is printed when it is not its own words: a user id -> the user's name.
  std::map<std::string, std::string> addressee_names;
};

// The values the letter's template sees (documented in docs/documents.md).
TemplateData letter_data(const Case& state, const Letterhead& head, const LetterRequest& request);

// The case's recommendations by addressee, in the order each addressee is first named, each
// printed by its name in `names` when it has one; `addressees` receives those printed names.
// Each group has {{addressee}} and {{recommendations}} (each {{number}}, {{lines}} as
// text_lines gives them, {{status}} and {{answer}} when answered).
TemplateData recommendation_groups(const Case& state, const std::map<std::string, std::string>& names,
                                   std::vector<std::string>& addressees);

// {{workflow_supervision}}, {{workflow_social_critique}}: the key a template words its subject
// by, for the workflow `workflow_id`.
std::string workflow_key(const std::string& workflow_id);

// Reads `body_template` and styles.xml from `templates_folder`, fills them with `values`, and
// packages them with `images`. Errors: not_found naming a missing template, invalid_argument
// naming the template and the position of its mistake, internal from the package.
Result<std::string> fill_document(const std::filesystem::path& templates_folder, const std::string& body_template,
                                  const TemplateData& values, std::vector<DocxImage> images = {});

// The .docx bytes of the letter of `state` from the templates in `templates_folder`. Errors:
// invalid_argument when the case has no recommendations, when the letterhead has no
// abbreviation for kLetterKind, or naming the template and the position of its mistake;
// not_found naming a missing template file; internal when the package cannot be written.
Result<std::string> recommendation_letter(const Case& state, const Letterhead& head, const LetterRequest& request,
                                          const std::filesystem::path& templates_folder);

}  // namespace docket::documents
