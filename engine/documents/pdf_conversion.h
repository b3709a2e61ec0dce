// A Word document turned into PDF by LibreOffice (`soffice --headless --convert-to pdf`), for
// the committees that print or send PDF. LibreOffice runs as a child process in a private
// temporary folder (its own profile and HOME), so that it neither needs nor disturbs a user's
// LibreOffice, and the folder is removed afterwards. Blocks for the conversion (a few seconds).
// Thread-safe: each call has its own folder and process.
#pragma once

#include <string>

#include "core/result.h"

namespace docket::documents {

// The program run: DOCKET_SOFFICE when set, otherwise "soffice" looked up on PATH.
std::string soffice_program();

// The PDF bytes of the .docx `docx`. Errors: unavailable when LibreOffice is not installed
// (naming the program and the Debian package), internal when the conversion fails (with what
// LibreOffice said) or the temporary folder cannot be used.
Result<std::string> docx_to_pdf(const std::string& docx);

}  // namespace docket::documents
