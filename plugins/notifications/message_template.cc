#include "notifications/message_template.h"

#include <algorithm>

namespace docket {
namespace {

bool is_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Walks `text`, calling `literal(piece)` for plain text and `field(name)` for placeholders.
// Returns an error message for malformed text, empty when it is well formed.
template <typename Literal, typename Field>
std::string walk(std::string_view text, Literal literal, Field field) {
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal(text.substr(i, 1));
      i += 2;
    } else if (c == '}') {
      return "'}' at character " + std::to_string(i + 1) + " closes nothing (write \"}}\" for a brace)";
    } else if (c == '{') {
      const std::size_t close = text.find('}', i);
      if (close == std::string_view::npos) return "'{' at character " + std::to_string(i + 1) + " is never closed";
      const std::string_view name = text.substr(i + 1, close - i - 1);
      if (!is_name(name)) {
        return "{" + std::string(name) + "} at character " + std::to_string(i + 1) +
               " is not a placeholder name (a-z, 0-9, '_'; write \"{{\" for a brace)";
      }
      field(name);
      i = close + 1;
    } else {
      const std::size_t next = text.find_first_of("{}", i);
      const std::size_t end = next == std::string_view::npos ? text.size() : next;
      literal(text.substr(i, end - i));
      i = end;
    }
  }
  return "";
}

}  // namespace

Result<std::vector<std::string>> template_placeholders(std::string_view text) {
  std::vector<std::string> names;
  const std::string problem = walk(
      text, [](std::string_view) {}, [&](std::string_view name) { names.emplace_back(name); });
  if (!problem.empty()) return make_error(ErrorCode::invalid_argument, problem);
  return names;
}

std::string render_template(std::string_view text, const std::map<std::string, std::string>& values) {
  std::string rendered;
  walk(
      text, [&](std::string_view piece) { rendered += piece; },
      [&](std::string_view name) {
        const auto value = values.find(std::string(name));
        rendered += value != values.end() ? value->second : "{" + std::string(name) + "}";
      });
  return rendered;
}

}  // namespace docket
