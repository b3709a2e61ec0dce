#include "web/page.h"

#include <rapidjson/document.h>

#include <map>
#include <memory>
#include <unordered_map>

#include "web/embedded.h"

namespace docket::web {
namespace {

using Mustache = kainjow::mustache::mustache;

// strings.json: {"key": {"vi": "...", "en": "..."}, ...}, read once.
struct Catalogue {
  std::map<std::string, std::string, std::less<>> vi, en;
};

const Catalogue& catalogue() {
  static const Catalogue loaded = [] {
    Catalogue strings;
    rapidjson::Document json;
    const std::string_view file = embedded_file("strings.json").value_or("{}");
    json.Parse(file.data(), file.size());
    if (json.HasParseError() || !json.IsObject()) return strings;
    for (const auto& entry : json.GetObject()) {
      if (!entry.value.IsObject()) continue;
      const std::string key = entry.name.GetString();
      if (entry.value.HasMember("vi") && entry.value["vi"].IsString()) strings.vi[key] = entry.value["vi"].GetString();
      if (entry.value.HasMember("en") && entry.value["en"].IsString()) strings.en[key] = entry.value["en"].GetString();
    }
    return strings;
  }();
  return loaded;
}

// The catalogue of one language as template data: {{t.key}}.
const Data& strings_data(const Language& language) {
  static const auto make = [](const std::map<std::string, std::string, std::less<>>& strings) {
    Data all;
    for (const auto& [key, value] : strings) all.set(key, value);
    return all;
  };
  static const Data vi = make(catalogue().vi), en = make(catalogue().en);
  return language.english() ? en : vi;
}

// The parsed template `name`, one copy per thread (rendering changes a template's state).
Mustache* parsed(const std::string& name) {
  thread_local std::unordered_map<std::string, std::unique_ptr<Mustache>> templates;
  auto& slot = templates[name];
  if (!slot) {
    const auto source = embedded_file("templates/" + name + ".mustache");
    if (!source) return nullptr;
    slot = std::make_unique<Mustache>(std::string(*source));
  }
  return slot->is_valid() ? slot.get() : nullptr;
}

std::string render(const std::string& name, const Data& data) {
  Mustache* page = parsed(name);
  if (page == nullptr) return "<p>internal error: template " + escape_html(name) + " is missing or invalid</p>";
  return page->render(data);
}

std::string two(unsigned value) { return (value < 10 ? "0" : "") + std::to_string(value); }

}  // namespace

const std::string& text(const Language& language, std::string_view key) {
  const auto& strings = language.english() ? catalogue().en : catalogue().vi;
  if (const auto found = strings.find(key); found != strings.end()) return found->second;
  thread_local std::string missing;
  missing = std::string(key);
  return missing;
}

bool in_catalogue(const Language& language, std::string_view key) {
  const auto& strings = language.english() ? catalogue().en : catalogue().vi;
  return strings.find(key) != strings.end();
}

const std::string& recommendation_status_text(const Language& language, RecommendationStatus status) {
  return text(language, std::string("rec_") + to_string(status));
}

const std::string& label(const Language& language, const Label& label) {
  return language.english() && !label.en.empty() ? label.en : label.vi;
}

std::string render_page(const std::string& name, Data data, const Language& language, const Viewer& viewer,
                        const std::string& title, const std::string& path) {
  const Data& strings = strings_data(language);
  data.set("t", strings);
  data.set("csrf", viewer.csrf);
  Data layout;
  layout.set("t", strings);
  layout.set("lang", language.code);
  layout.set("title", title);
  layout.set("body", render(name, data));
  layout.set("csrf", viewer.csrf);
  layout.set("path", path);
  layout.set("other_lang", language.english() ? "vi" : "en");
  layout.set("other_lang_name", language.english() ? "Tiếng Việt" : "English");
  if (!viewer.user.empty()) {
    Data user;
    user.set("id", viewer.user);
    user.set("name", viewer.name.empty() ? viewer.user : viewer.name);
    if (viewer.admin) user.set("admin", true);
    layout.set("user", user);
  }
  return render("layout", layout);
}

std::string show_date(Date day) {
  return two(static_cast<unsigned>(day.day())) + "/" + two(static_cast<unsigned>(day.month())) + "/" +
         std::to_string(static_cast<int>(day.year()));
}

std::string show_date(const std::string& iso_day) {
  const auto day = parse_date(iso_day);
  return day ? show_date(*day) : iso_day;
}

std::string show_time(Timestamp at) {
  const auto local = at + kVietnamOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss clock(local - day);
  return show_date(Date(day)) + " " + two(static_cast<unsigned>(clock.hours().count())) + ":" +
         two(static_cast<unsigned>(clock.minutes().count()));
}

}  // namespace docket::web
