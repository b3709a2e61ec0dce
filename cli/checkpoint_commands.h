// docket audit keygen|checkpoint and `audit verify --checkpoints`: signed checkpoints of the
// audit chains (store/checkpoint.h, docs/audit.md "Signed checkpoints").
#pragma once

#include <string>

#include "app.h"
#include "workspace/workspace.h"

namespace docket::cli {

// Adds `keygen` and `checkpoint` to the `audit` command.
void add_checkpoint_commands(CLI::App& audit, Context& context);

// Checks every checkpoint file in `folder` (names "checkpoint-*.json", in name order): its
// signature against the public key in `public_key_file` (when given) and each head it records
// against the database. Prints how many were checked; on the first that fails, prints
// "docket: audit_broken: checkpoint FILE: CHAIN: PROBLEM" and sets exit code 1. Errors:
// not_found / invalid_argument for a missing folder, a folder without checkpoints, an unreadable
// key or a file that is not a checkpoint (naming it), busy, storage.
Status verify_checkpoints(Context& context, Workspace& workspace, const std::string& folder,
                          const std::string& public_key_file);

}  // namespace docket::cli
