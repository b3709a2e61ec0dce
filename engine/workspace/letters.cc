#include "workspace/letters.h"

#include <map>

#include "documents/recommendation_letter.h"

namespace docket {
namespace {

Result<std::string> letter(Workspace& workspace, const Case& current, const LetterSource& source, Date date,
                           const std::string& number) {
  const documents::LetterRequest request{date, number, party_names(workspace, current)};
  return documents::recommendation_letter(current, source.head, request, source.templates);
}

}  // namespace

Result<std::string> draft_letter(Workspace& workspace, const Case& current, const LetterSource& source, Date date) {
  return letter(workspace, current, source, date, "");
}

Result<IssuedDocument> issue_letter(Workspace& workspace, const Reader& reader, const std::string& number,
                                    const LetterSource& source, const std::string& file_name) {
  if (source.head.abbreviations.count(documents::kLetterKind) == 0)
    return make_error(ErrorCode::invalid_argument,
                      "the letterhead has no abbreviation for letters (\"letter\": \"CV\")");
  auto current = workspace.cases().read(number);
  if (!current || !workspace.access().can_read(reader, **current)) return unknown_case(number);
  const IssueRequest request{number,
                             documents::kLetterKind,
                             source.head.abbreviations.at(documents::kLetterKind),
                             source.head.symbol_of(documents::kLetterKind),
                             "Kiến nghị về " + (*current)->title,
                             file_name};
  return issue_document(workspace, reader, request, [&](const Case& state, const std::string& register_number) {
    return letter(workspace, state, source, vietnam_date(workspace.clock().now()), register_number);
  });
}

std::map<std::string, std::string> party_names(Workspace& workspace, const Case& state) {
  std::map<std::string, std::string> names;
  auto add = [&](const std::string& id) {
    if (id.empty() || names.contains(id)) return;
    if (auto user = workspace.directory().user(id)) names[id] = user->name;
  };
  for (const Recommendation& made : state.recommendations) add(made.addressee);
  for (const auto& [field, value] : state.fields) add(value);
  return names;
}

std::string letter_file_name(const std::string& number) { return "kien-nghi-" + number + ".docx"; }

}  // namespace docket
