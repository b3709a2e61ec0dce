#include "documents/recommendation_letter.h"

#include <algorithm>
#include <vector>

#include "core/text.h"
#include "documents/docx_package.h"

namespace docket::documents {
namespace {

using kainjow::mustache::data;

std::string two_digits(unsigned value) { return (value < 10 ? "0" : "") + std::to_string(value); }

data lines(const std::vector<std::string>& texts) {
  data list{data::type::list};
  for (const std::string& text : texts) list.push_back(text);
  return list;
}

std::string printed_addressee(const std::string& addressee, const LetterRequest& request) {
  const auto name = request.addressee_names.find(addressee);
  return name != request.addressee_names.end() ? name->second : addressee;
}

// The recommendations by addressee, in the order each addressee is first named; numbered as
// the case numbers them.
data recommendation_groups(const Case& state, const LetterRequest& request, std::vector<std::string>& addressees) {
  std::vector<std::vector<const Recommendation*>> grouped;
  for (const Recommendation& made : state.recommendations) {
    const std::string to = printed_addressee(made.addressee, request);
    const auto index = static_cast<std::size_t>(
        std::distance(addressees.begin(), std::find(addressees.begin(), addressees.end(), to)));
    if (index == addressees.size()) {
      addressees.push_back(to);
      grouped.emplace_back();
    }
    grouped[index].push_back(&made);
  }
  data groups{data::type::list};
  for (std::size_t i = 0; i < grouped.size(); ++i) {
    data items{data::type::list};
    for (const Recommendation* made : grouped[i]) {
      data item;
      item.set("number", std::to_string(made->number));
      item.set("text", made->text);
      items.push_back(item);
    }
    data group;
    group.set("addressee", addressees[i]);
    group.set("recommendations", items);
    groups.push_back(group);
  }
  return groups;
}

// {{workflow_supervision}}, {{workflow_social_critique}}: a template words its subject per workflow.
std::string workflow_key(const std::string& workflow_id) {
  std::string key = "workflow_" + workflow_id;
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

}  // namespace

std::string date_line(const std::string& place, Date date) {
  const auto month = static_cast<unsigned>(date.month());
  return place + ", ngày " + two_digits(static_cast<unsigned>(date.day())) + " tháng " +
         (month <= 2 ? two_digits(month) : std::to_string(month)) + " năm " +
         std::to_string(static_cast<int>(date.year()));
}

TemplateData letter_data(const Case& state, const Letterhead& head, const LetterRequest& request) {
  data values;
  values.set("superior_body", lines(head.superior_body));
  values.set("issuing_body", lines(head.issuing_body));
  values.set("issuer_in_text", head.issuer_in_text);
  values.set("symbol", head.symbol_of(kLetterKind));
  // A draft leaves room to write the number by hand.
  values.set("register_number", request.register_number.empty() ? std::string(7, ' ') : request.register_number);
  values.set("date_line", date_line(head.place, request.date));
  values.set("case_number", state.number);
  values.set("case_title", state.title);
  values.set(workflow_key(state.workflow_id), data::type::bool_true);
  std::vector<std::string> addressees;
  values.set("groups", recommendation_groups(state, request, addressees));
  values.set("addressees", lines(addressees));
  values.set(addressees.size() > 1 ? "several_addressees" : "one_addressee", data::type::bool_true);
  values.set("authority", head.authority);
  values.set("signer_title", head.signer_title);
  values.set("signer_name", head.signer_name);
  values.set("recipients", lines(head.recipients));
  values.set("archive", head.archive);
  return values;
}

Result<std::string> recommendation_letter(const Case& state, const Letterhead& head, const LetterRequest& request,
                                          const std::filesystem::path& templates_folder) {
  if (state.recommendations.empty())
    return make_error(ErrorCode::invalid_argument,
                      "case " + state.number + " has no recommendations to put in a letter (docket case recommend)");
  if (!head.abbreviations.contains(kLetterKind))
    return make_error(ErrorCode::invalid_argument,
                      "the documents configuration has no abbreviation for " + in_quotes(kLetterKind));
  DocxParts parts;
  const std::filesystem::path body_path = templates_folder / kLetterTemplate;
  const std::filesystem::path styles_path = templates_folder / kStylesTemplate;
  DOCKET_TRY(body, read_text_file(body_path, "template"));
  DOCKET_TRY(styles, read_text_file(styles_path, "template"));
  DOCKET_TRY(filled_body, fill_xml_template(*body, body_path.string(), letter_data(state, head, request)));
  DOCKET_TRY(filled_styles, fill_xml_template(*styles, styles_path.string(), data{}));
  parts.document_xml = std::move(*filled_body);
  parts.styles_xml = std::move(*filled_styles);
  return build_docx(parts);
}

}  // namespace docket::documents
