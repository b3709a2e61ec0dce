// Reading typed values out of a RapidJSON tree while collecting every problem with its JSON
// path, so one pass over a file reports all its mistakes. Used by the workflow loader.
// Not thread-safe: one reader per document.
#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/text.h"
#include "core/workflow_validator.h"

namespace docket {

class JsonReader {
 public:
  using Value = rapidjson::Value;

  explicit JsonReader(std::vector<Diagnostic>& out) : out_(out) {}

  void error(std::string path, std::string message) {
    out_.push_back({Severity::error, std::move(path), std::move(message)});
  }

  // True when `v` is an object whose keys are all in `allowed`, with every key of `required`.
  // Reports each unknown or missing key (parse_json, core/json_text.h, refuses a repeated one).
  bool object(const Value& v, const std::string& path, std::initializer_list<const char*> allowed,
              std::initializer_list<const char*> required);

  // Members of an object already checked by object(); absent optional members give defaults.
  std::string string(const Value& v, const char* key, const std::string& path);
  std::optional<int> integer(const Value& v, const char* key, const std::string& path);
  bool boolean(const Value& v, const char* key, const std::string& path);
  Label label(const Value& v, const char* key, const std::string& path);
  std::vector<std::string> strings(const Value& v, const char* key, const std::string& path);

  template <typename T>
  T one_of(const Value& v, const char* key, const std::string& path,
           std::initializer_list<std::pair<const char*, T>> choices) {
    const std::string text = string(v, key, path);
    std::string names;
    for (const auto& [name, value] : choices) {
      if (text == name) return value;
      names += (names.empty() ? "" : ", ") + std::string(name);
    }
    if (v.HasMember(key) && v[key].IsString()) error(path + "." + key, in_quotes(text) + " is not one of: " + names);
    return choices.begin()->second;
  }

  // Each element of the array member `key` read by `read_one(element, element_path)`;
  // an absent member is an empty list.
  template <typename T>
  std::vector<T> list(const Value& v, const char* key, const std::string& path,
                      const std::function<T(const Value&, const std::string&)>& read_one) {
    std::vector<T> items;
    if (!v.HasMember(key)) return items;
    const Value& array = v[key];
    const std::string where = path + "." + key;
    if (!array.IsArray()) {
      error(where, "expected a list");
      return items;
    }
    for (rapidjson::SizeType i = 0; i < array.Size(); ++i)
      items.push_back(read_one(array[i], where + "[" + std::to_string(i) + "]"));
    return items;
  }

 private:
  std::vector<Diagnostic>& out_;
};

}  // namespace docket
