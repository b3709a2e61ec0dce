#include "loader/json_reader.h"

#include <algorithm>
#include <cstring>

namespace docket {

bool JsonReader::object(const Value& v, const std::string& path, std::initializer_list<const char*> allowed,
                        std::initializer_list<const char*> required) {
  if (!v.IsObject()) {
    error(path, "expected an object");
    return false;
  }
  bool sound = true;
  for (const auto& member : v.GetObject()) {
    const char* name = member.name.GetString();
    const bool known =
        std::any_of(allowed.begin(), allowed.end(), [&](const char* key) { return std::strcmp(key, name) == 0; });
    if (!known) {
      std::string keys;
      for (const char* key : allowed) keys += (keys.empty() ? "" : ", ") + std::string(key);
      error(path + "." + name, "unknown key " + in_quotes(name) + " (allowed here: " + keys + ")");
      sound = false;
    }
  }
  for (const char* key : required) {
    if (!v.HasMember(key)) {
      error(path, "missing required key " + in_quotes(key));
      sound = false;
    }
  }
  return sound;
}

std::string JsonReader::string(const Value& v, const char* key, const std::string& path) {
  if (!v.HasMember(key)) return {};
  const Value& member = v[key];
  if (!member.IsString()) {
    error(path + "." + key, "expected a string");
    return {};
  }
  return std::string(member.GetString(), member.GetStringLength());
}

std::optional<int> JsonReader::integer(const Value& v, const char* key, const std::string& path) {
  if (!v.HasMember(key)) return std::nullopt;
  const Value& member = v[key];
  if (!member.IsInt()) {
    error(path + "." + key, "expected an integer");
    return std::nullopt;
  }
  return member.GetInt();
}

bool JsonReader::boolean(const Value& v, const char* key, const std::string& path) {
  if (!v.HasMember(key)) return false;
  const Value& member = v[key];
  if (!member.IsBool()) {
    error(path + "." + key, "expected true or false");
    return false;
  }
  return member.GetBool();
}

Label JsonReader::label(const Value& v, const char* key, const std::string& path) {
  Label label;
  if (!v.HasMember(key)) return label;
  const std::string where = path + "." + key;
  const Value& member = v[key];
  if (!object(member, where, {"vi", "en"}, {})) return label;
  for (const char* language : {"vi", "en"}) {
    if (!member.HasMember(language)) {
      error(where, std::string("label is missing its \"") + language + "\" text");
    } else if (member[language].IsString() && member[language].GetStringLength() == 0) {
      error(where + "." + language, "label text must not be empty");
    }
  }
  label.vi = string(member, "vi", where);
  label.en = string(member, "en", where);
  return label;
}

std::vector<std::string> JsonReader::strings(const Value& v, const char* key, const std::string& path) {
  return list<std::string>(v, key, path, [&](const Value& element, const std::string& where) {
    if (!element.IsString()) {
      error(where, "expected a string");
      return std::string();
    }
    return std::string(element.GetString(), element.GetStringLength());
  });
}

}  // namespace docket
