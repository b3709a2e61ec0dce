// Where text a person typed enters the core: a command with each of its texts in NFC
// (core/text.h to_nfc), so that a case holds one byte form of each word whichever keyboard,
// client or pasted document it came from. decide() (state_machine.h) applies it to every
// command, so the API, the web application and the CLI all store NFC. Pure; thread-safe.
#pragma once

#include "core/command.h"

namespace docket {

// `command` with its title, field values, comment, recommendation and answer texts, addressee
// and file name in NFC. Ids (units, users, transitions, kinds, statuses) are ASCII codes and are
// left as they are; so is text that is not valid UTF-8, which decide() refuses naming it.
Command with_nfc_text(Command command);

}  // namespace docket
