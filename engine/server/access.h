// Who may see which case. A user reads the cases of a unit where they hold one of the case
// workflow's own roles (not an outside party's); they also read the cases of every unit below
// a unit where they hold one of the workflow's read_below roles. Anyone else with a role at
// the unit (an outside party, or a role only other workflows declare) sees only the cases of
// that unit in which a party field names them. What they may do there the workflow decides.
// Runs on a storage thread with that thread's Runtime.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/report_reader.h"
#include "runtime/runtime.h"

namespace docket::server {

// Who reads. An administrator (`docket user admin`) reads every case, as the audit export
// already gives them every event; what they may do to a case is still their roles' decision.
struct Reader {
  std::string user;
  bool admin = false;
};

bool can_read(Runtime& runtime, const Reader& reader, const Case& current);

// The units whose cases `reader` may see at all (a superset: can_read decides per case);
// nullopt for an administrator: every unit.
std::optional<std::vector<std::string>> readable_units(Runtime& runtime, const Reader& reader);

// A report's scope for `reader`: the units and the cases they may read.
reports::ReportScope reader_scope(Runtime& runtime, const Reader& reader);

}  // namespace docket::server
