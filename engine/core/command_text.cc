#include "core/command_text.h"

#include <type_traits>

#include "core/text.h"

namespace docket {
namespace {

void normalise(std::string& text) { text = to_nfc(text); }

void normalise(FieldValues& fields) {
  for (auto& [id, value] : fields) normalise(value);
}

}  // namespace

Command with_nfc_text(Command command) {
  std::visit(
      [](auto& typed) {
        using Type = std::decay_t<decltype(typed)>;
        if constexpr (std::is_same_v<Type, OpenCase>) {
          normalise(typed.title);
          normalise(typed.fields);
        } else if constexpr (std::is_same_v<Type, MoveCase>) {
          normalise(typed.fields);
          normalise(typed.comment);
        } else if constexpr (std::is_same_v<Type, SetFields>) {
          normalise(typed.fields);
        } else if constexpr (std::is_same_v<Type, AddComment>) {
          normalise(typed.text);
        } else if constexpr (std::is_same_v<Type, AttachDocument>) {
          normalise(typed.file_name);
        } else if constexpr (std::is_same_v<Type, IssueDocument>) {
          normalise(typed.file_name);
          normalise(typed.title);
        } else if constexpr (std::is_same_v<Type, AddRecommendation>) {
          normalise(typed.addressee);
          normalise(typed.text);
        } else if constexpr (std::is_same_v<Type, AnswerRecommendation>) {
          normalise(typed.text);
        }
      },
      command);
  return command;
}

}  // namespace docket
