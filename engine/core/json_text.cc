#include "core/json_text.h"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

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

// Builds the document from the parser's events, as Document::Parse does, and stops at the first
// member an object names twice, keeping its JSON path.
class UniqueMembers {
 public:
  using SizeType = rapidjson::SizeType;
  explicit UniqueMembers(rapidjson::Document& document) : document_(document) {}

  bool Null() { return element() && document_.Null(); }
  bool Bool(bool value) { return element() && document_.Bool(value); }
  bool Int(int value) { return element() && document_.Int(value); }
  bool Uint(unsigned value) { return element() && document_.Uint(value); }
  bool Int64(std::int64_t value) { return element() && document_.Int64(value); }
  bool Uint64(std::uint64_t value) { return element() && document_.Uint64(value); }
  bool Double(double value) { return element() && document_.Double(value); }
  bool RawNumber(const char* text, SizeType length, bool copy) {
    return element() && document_.RawNumber(text, length, copy);
  }
  bool String(const char* text, SizeType length, bool copy) {
    return element() && document_.String(text, length, copy);
  }
  bool StartObject() {
    element();
    scopes_.emplace_back().object = true;
    return document_.StartObject();
  }
  bool Key(const char* name, SizeType length, bool copy) {
    Scope& object = scopes_.back();
    object.key.assign(name, length);
    if (!object.names.insert(object.key).second) {
      repeated_ = path();
      return false;
    }
    return document_.Key(name, length, copy);
  }
  bool EndObject(SizeType members) {
    scopes_.pop_back();
    return document_.EndObject(members);
  }
  bool StartArray() {
    element();
    scopes_.emplace_back();
    return document_.StartArray();
  }
  bool EndArray(SizeType elements) {
    scopes_.pop_back();
    return document_.EndArray(elements);
  }

  // The path of the member named twice ("$.stages[3].terminal"); empty while there is none.
  const std::string& repeated() const { return repeated_; }
  const std::string& repeated_name() const { return scopes_.back().key; }

 private:
  struct Scope {
    bool object = false;
    std::set<std::string> names;  // an object's members so far
    std::string key;              // an object's member being read
    std::size_t index = 0;        // an array's elements so far
  };

  bool element() {
    if (!scopes_.empty() && !scopes_.back().object) ++scopes_.back().index;
    return true;
  }

  std::string path() const {
    std::string path = "$";
    for (const Scope& scope : scopes_) {
      if (!scope.object) {
        path += "[" + std::to_string(scope.index - 1) + "]";
      } else if (!scope.key.empty() && std::all_of(scope.key.begin(), scope.key.end(), [](unsigned char c) {
                   return std::isalnum(c) || c == '_' || c == '-';
                 })) {
        path += "." + scope.key;
      } else {
        path += "[\"" + scope.key + "\"]";
      }
    }
    return path;
  }

  rapidjson::Document& document_;
  std::vector<Scope> scopes_;
  std::string repeated_;
};

}  // namespace

std::optional<JsonProblem> parse_json(std::string_view text, rapidjson::Document& document, int max_depth) {
  if (const auto deep = too_deep(text, max_depth)) {
    return located(text, *deep, "nested more than " + std::to_string(max_depth) + " arrays and objects deep");
  }
  UniqueMembers members(document);
  rapidjson::ParseResult parsed;
  auto parse = [&](rapidjson::Document&) {
    rapidjson::MemoryStream bytes(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> input(bytes);
    rapidjson::Reader reader;
    parsed = reader.Parse<rapidjson::kParseValidateEncodingFlag>(input, members);
    return !parsed.IsError();
  };
  document.Populate(parse);
  if (!parsed.IsError()) return std::nullopt;
  if (!members.repeated().empty()) {
    JsonProblem problem = located(
        text, parsed.Offset(), "member \"" + members.repeated_name() + "\" appears more than once in the same object");
    problem.path = members.repeated();
    return problem;
  }
  return located(text, parsed.Offset(), rapidjson::GetParseError_En(parsed.Code()));
}

}  // namespace docket
