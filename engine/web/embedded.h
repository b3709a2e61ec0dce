// The files of engine/web compiled into the binary (generated at build time by embed.cmake):
// the page templates (templates/*.mustache), the catalogue of UI strings (strings.json) and the
// static assets (assets/*), so that an install is the binary, the workflows and the database.
// Thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace docket::web {

// The bytes of `name` ("templates/case.mustache", "assets/docket.css"); nullopt when none.
std::optional<std::string_view> embedded_file(std::string_view name);

}  // namespace docket::web
