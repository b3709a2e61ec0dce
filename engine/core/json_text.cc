#include "core/json_text.h"

#include <rapidjson/error/en.h>

namespace docket {
namespace {

// The byte offset of the array or object that opens level `limit` + 1; nullopt when none does.
std::optional<std::size_t> too_deep(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

JsonProblem located(std::string_view text, std::size_t offset, std::string reason) {
  JsonProblem problem{1, 1, offset, std::move(reason)};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++problem.line;
      problem.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++problem.column;
    }
  }
  return problem;
}

}  // namespace

std::optional<JsonProblem> parse_json(std::string_view text, rapidjson::Document& document, int max_depth) {
  if (const auto deep = too_deep(text, max_depth)) {
    return located(text, *deep, "nested more than " + std::to_string(max_depth) + " arrays and objects deep");
  }
  document.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  if (!document.HasParseError()) return std::nullopt;
  return located(text, document.GetErrorOffset(), rapidjson::GetParseError_En(document.GetParseError()));
}

}  // namespace docket
