// The API's own description: docs/openapi.json as it was when the server was built, served at
// GET /api/v1/openapi.json. Thread-safe (constant text).
#pragma once

#include <string_view>
#include <vector>

namespace docket::server {

struct Route;

// The OpenAPI 3.0 document (JSON text), compiled in from docs/openapi.json.
std::string_view openapi_spec();

// Adds GET /api/v1/openapi.json.
void add_spec_routes(std::vector<Route>& routes);

}  // namespace docket::server
