// Renders the web application's pages: a template of templates/ (embedded.h) filled with a
// page's data and put into the layout (header, navigation, search box, sign-out, language
// switch), with the catalogue of UI strings (strings.json) of the page's language under `t`.
// Templates escape every value ({{x}}); only HTML this file made ({{{body}}}) goes unescaped.
// Times are shown in Vietnam time as dd/mm/yyyy (HH:MM). Thread-safe (each thread keeps its
// own parsed templates).
#pragma once

#include <kainjow/mustache.hpp>

#include <string>
#include <string_view>

#include "core/case.h"
#include "core/html.h"
#include "core/time.h"
#include "core/workflow.h"

namespace docket::web {

using Data = kainjow::mustache::data;
using List = kainjow::mustache::data;  // a Data made with List{Data::type::list}

// "vi" (the default) or "en".
struct Language {
  std::string code = "vi";
  bool english() const { return code == "en"; }
};

// Who is looking at the page, for the layout.
struct Viewer {
  std::string user;  // empty before sign-in
  std::string name;
  bool admin = false;
  std::string csrf;  // every form of the page carries it
};

// The catalogue's text for `key` in `language`; the key itself when the catalogue lacks it (a
// test checks that every key the templates use is there).
const std::string& text(const Language& language, std::string_view key);
// Whether the catalogue has `key` in `language`.
bool in_catalogue(const Language& language, std::string_view key);
// A recommendation's status in `language` as the pages word it ("Tiếp thu" for accepted): the
// catalogue's rec_<status>. The CLI's recommendation tracker shows the same words.
const std::string& recommendation_status_text(const Language& language, RecommendationStatus status);
// A workflow label in `language` (its Vietnamese text when it has no English one).
const std::string& label(const Language& language, const Label& label);

// The page: `name` ("case") rendered with `data`, inside the layout titled `title`. `path` is
// the page's own address (the language switch comes back to it). An unknown template or one
// that does not parse is an internal fault: the page says so instead of its content.
std::string render_page(const std::string& name, Data data, const Language& language, const Viewer& viewer,
                        const std::string& title, const std::string& path);

// "07/01/2027" for a day; "07/01/2027 14:05" for a moment (Vietnam time).
std::string show_date(Date day);
std::string show_date(const std::string& iso_day);  // "2027-01-07" -> "07/01/2027"; as given when not a date
std::string show_time(Timestamp at);

// The few fragments built in C++ (the SVG charts) escape their text with escape_html
// (core/html.h).

}  // namespace docket::web
