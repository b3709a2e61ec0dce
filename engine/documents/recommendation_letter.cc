#include "documents/recommendation_letter.h"

#include <algorithm>
#include <vector>

#include "core/text.h"

namespace docket::documents {
namespace {

using kainjow::mustache::data;

std::string printed_addressee(const std::string& addressee, const std::map<std::string, std::string>& names) {
  const auto name = names.find(addressee);
  return name != names.end() ? name->second : addressee;
}

// How a committee names the answer it got to a recommendation.
const char* answer_in_words(RecommendationStatus status) {
  switch (status) {
    case RecommendationStatus::accepted:
      return "Tiếp thu";
    case RecommendationStatus::partly_accepted:
      return "Tiếp thu một phần";
    case RecommendationStatus::not_accepted:
      return "Không tiếp thu";
    case RecommendationStatus::escalated:
      return "Chưa trả lời, đã chuyển cấp trên";
    case RecommendationStatus::unanswered:
    case RecommendationStatus::sent:
    case RecommendationStatus::draft:
      break;
  }
  return "Chưa trả lời";
}

data recommendation_item(const Recommendation& made) {
  data item;
  item.set("number", std::to_string(made.number));
  item.set("lines", text_lines(made.text));
  item.set("status", answer_in_words(made.status));
  const bool answered = is_answered(made.status) || made.status == RecommendationStatus::escalated;
  item.set("answered", answered ? data::type::bool_true : data::type::bool_false);
  if (!made.answer_text.empty()) item.set("answer", text_lines(made.answer_text));
  return item;
}

}  // namespace

data recommendation_groups(const Case& state, const std::map<std::string, std::string>& names,
                           std::vector<std::string>& addressees) {
  std::vector<std::vector<const Recommendation*>> grouped;
  for (const Recommendation& made : state.recommendations) {
    const std::string to = printed_addressee(made.addressee, names);
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
    for (const Recommendation* made : grouped[i]) items.push_back(recommendation_item(*made));
    data group;
    group.set("addressee", addressees[i]);
    group.set("recommendations", items);
    groups.push_back(group);
  }
  return groups;
}

std::string workflow_key(const std::string& workflow_id) {
  std::string key = "workflow_" + workflow_id;
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

TemplateData letter_data(const Case& state, const Letterhead& head, const LetterRequest& request) {
  data values = letterhead_data(head, kLetterKind, Issue{request.date, request.number});
  values.set("case_number", state.number);
  values.set("case_title", state.title);
  values.set(workflow_key(state.workflow_id), data::type::bool_true);
  std::vector<std::string> addressees;
  values.set("groups", recommendation_groups(state, request.addressee_names, addressees));
  values.set("addressees", lines_data(addressees));
  values.set(addressees.size() > 1 ? "several_addressees" : "one_addressee", data::type::bool_true);
  return values;
}

Result<std::string> fill_document(const std::filesystem::path& templates_folder, const std::string& body_template,
                                  const TemplateData& values, std::vector<DocxImage> images) {
  const std::filesystem::path body_path = templates_folder / body_template;
  const std::filesystem::path styles_path = templates_folder / kStylesTemplate;
  DOCKET_TRY(body, read_text_file(body_path, "template"));
  DOCKET_TRY(styles, read_text_file(styles_path, "template"));
  DOCKET_TRY(filled_body, fill_xml_template(*body, body_path.string(), values));
  DOCKET_TRY(filled_styles, fill_xml_template(*styles, styles_path.string(), data{}));
  DocxParts parts;
  parts.document_xml = std::move(*filled_body);
  parts.styles_xml = std::move(*filled_styles);
  parts.images = std::move(images);
  return build_docx(parts);
}

Result<std::string> recommendation_letter(const Case& state, const Letterhead& head, const LetterRequest& request,
                                          const std::filesystem::path& templates_folder) {
  if (state.recommendations.empty())
    return make_error(ErrorCode::invalid_argument,
                      "case " + state.number + " has no recommendations to put in a letter (docket case recommend)");
  if (!head.abbreviations.contains(kLetterKind))
    return make_error(ErrorCode::invalid_argument,
                      "the documents configuration has no abbreviation for " + in_quotes(kLetterKind));
  return fill_document(templates_folder, kLetterTemplate, letter_data(state, head, request));
}

}  // namespace docket::documents
