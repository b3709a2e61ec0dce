// Who may see which case. A user reads the cases of a unit where they hold one of the case
// workflow's own roles (not an outside party's); they also read the cases of every unit below
// a unit where they hold one of the workflow's read_below roles. Anyone else with a role at
// the unit (an outside party, or a role only other workflows declare) sees only the cases of
// that unit in which a party field names them. What they may do there the workflow decides.
// Runs on a storage thread with that thread's Runtime.
#pragma once

#include <string>
#include <vector>

#include "runtime/runtime.h"

namespace docket::server {

bool can_read(Runtime& runtime, const std::string& user, const Case& current);

// The units whose cases `user` may see at all (a superset: can_read decides per case).
std::vector<std::string> readable_units(Runtime& runtime, const std::string& user);

}  // namespace docket::server
