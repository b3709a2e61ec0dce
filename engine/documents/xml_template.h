// WordprocessingML templates: mustache files (kainjow) whose values are escaped for XML, and
// whose result must be well-formed XML before it goes into a package. A template error names the
// template file and the line and column of the mistake. Thread-safe (no shared state).
#pragma once

#include <kainjow/mustache.hpp>

#include <filesystem>
#include <string>

#include "core/result.h"

namespace docket::documents {

using TemplateData = kainjow::mustache::data;

// The text of the file at `path`, called `what` in messages ("template", "documents
// configuration"). Errors: not_found "no WHAT file PATH" when there is no such file,
// invalid_argument when it cannot be read or is not UTF-8.
Result<std::string> read_text_file(const std::filesystem::path& path, const std::string& what);

// `source` (the template called `name` in messages, usually its path) filled with `data`:
// {{value}} is escaped for XML (& < > " ' and the control characters XML 1.0 forbids dropped),
// {{{value}}} is not. Errors: invalid_argument "NAME: line L, column C: ..." when the template
// is not valid mustache or its result is not well-formed XML.
Result<std::string> fill_xml_template(const std::string& source, const std::string& name, const TemplateData& data);

// The lines of `text` (split at "\n", a "\r" before it dropped) as a template list: each item
// has {{text}} and, from the second on, the flag {{#br}} for a line break (<w:br/>) before it,
// so that a recommendation written on several lines keeps them in Word.
TemplateData text_lines(const std::string& text);

// `text` with & < > " ' written as character references (core/html.h) and the characters XML
// 1.0 cannot hold (the controls other than tab, newline and carriage return) dropped.
std::string escape_xml(const std::string& text);

}  // namespace docket::documents
