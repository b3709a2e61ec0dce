// Message templates: text with {placeholder} fields, "{{" and "}}" for literal braces.
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace docket {

// The placeholder names `text` uses, in order of appearance. invalid_argument when the text
// is malformed: a '{' never closed, a '}' never opened, or a name that is empty or not made of
// a-z, 0-9 and '_' (the message says which and at which character).
Result<std::vector<std::string>> template_placeholders(std::string_view text);

// `text` with each placeholder replaced by its value. A placeholder without a value is left
// as written ("{name}"): the loader makes sure that cannot happen for a loaded template.
std::string render_template(std::string_view text, const std::map<std::string, std::string>& values);

}  // namespace docket
