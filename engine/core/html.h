// Text put into HTML that Docket builds itself (the printable report, the SVG charts of the web
// pages). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace docket {

// `text` safe inside an HTML element or a quoted attribute: & < > " ' as entities.
std::string escape_html(std::string_view text);

}  // namespace docket
