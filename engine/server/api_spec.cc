// GET /api/v1/openapi.json: the description an integrator's tools read (client generators,
// validators), exactly the one the server was built with. Signed-in callers only, like every
// /api/v1 route.
#include "server/api_spec.h"

#include "server/api.h"

namespace docket::server {
namespace {

ApiResponse spec(Workspace&, ApiRequest&, RouteContext&) {
  return ApiResponse{http::status::ok, std::string(openapi_spec()), "application/json", {}, {}};
}

}  // namespace

void add_spec_routes(std::vector<Route>& routes) {
  routes.push_back({.method = http::verb::get, .pattern = "/api/v1/openapi.json", .handle = spec});
}

}  // namespace docket::server
