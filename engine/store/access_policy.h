// Who may read which case, as every reader asks it: the API, the CLI (`case show/list/history`,
// `search`, `report` with --as), the reports' scope and CaseStore::execute_as_reader. The rule itself is
// core/read_access.h; this class gathers its facts (roles, units above, the administrator flag)
// from the directory and the installed workflows, and only as far as the answer needs them.
//
// Thread-safety: as the Directory it is given (one thread at a time).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/case.h"
#include "core/result.h"
#include "core/workflow_catalog.h"
#include "store/directory.h"

namespace docket {

// Who reads. An administrator (`docket user admin`) reads every case, as the audit export
// already gives them every event; what they may do to a case is still their roles' decision.
struct Reader {
  std::string user;
  bool admin = false;
};

// What anyone is told about a case that is not there, or that they may not read: the same
// words, so a refusal gives no hint that the case exists.
Error unknown_case(const std::string& number);
// Whether `error` is unknown_case(number).
bool is_unknown_case(const Error& error, const std::string& number);

class AccessPolicy {
 public:
  // Both must outlive the policy.
  AccessPolicy(Directory& directory, const WorkflowCatalog& catalog) : directory_(directory), catalog_(catalog) {}

  // `user` as a reader, with their administrator flag. Errors: not_found (no such user), storage.
  Result<Reader> reader(const std::string& user);

  // Whether `reader` may read `current`. False for a case whose workflow version is not installed,
  // and when a lookup of the reader's roles fails (a storage fault grants nothing).
  bool can_read(const Reader& reader, const Case& current);

  // Whether `reader` may read every case of `unit` that follows `definition`, whatever the
  // case holds (can_read is then true for each): an administrator, a member of the unit, or a
  // role that reads it from above. False leaves the answer to can_read, case by case (parties
  // named by a case, the unit a case is escalated to), and when a lookup fails.
  bool reads_every_case(const Reader& reader, const std::string& unit, const WorkflowDefinition& definition);

  // The units whose cases `reader` may see at all (a superset: can_read decides per case),
  // sorted; empty for an unknown user; nullopt for an administrator: every unit. A unit whose
  // subtree cannot be read adds nothing below it.
  std::optional<std::vector<std::string>> readable_units(const Reader& reader);

 private:
  Result<std::vector<std::string>> units_directly_below(const std::string& unit);
  // Whether a role `reader` holds above `unit` reads its cases of `definition` (reads_from_above
  // at any unit above, acts_from_above at its parent).
  bool reads_from_units_above(const Reader& reader, const std::string& unit, const WorkflowDefinition& definition);

  Directory& directory_;
  const WorkflowCatalog& catalog_;
};

}  // namespace docket
