// Issuing a document of a case (the recommendation letter, a critique, a report...): it takes
// the next number of the outgoing register of the case's unit (store/outgoing_register.h), the
// number is printed on the file, and the file is stored with the case by a document.issued
// event, all in one transaction. The CLI, and later the API and web app, issue through this.
// Thread-safety: as the Workspace.
#pragma once

#include <functional>
#include <string>

#include "core/case.h"
#include "core/result.h"
#include "store/access_policy.h"
#include "workspace/workspace.h"

namespace docket {

struct IssueRequest {
  std::string case_number;
  std::string kind;           // "letter"
  std::string register_kind;  // "CV"
  std::string symbol;         // "CV-MTTQ-BTT"
  std::string title;          // what the register lists it as
  std::string file_name;      // the name the case keeps it under: "kien-nghi.docx"
};

struct IssuedDocument {
  std::string reference;  // "15/CV-MTTQ-BTT"
  std::string content;    // the file, with its number
  Case state;             // the case after the document.issued event
};

// The file of `current` with `number` ("15") printed on it.
using RenderIssued = std::function<Result<std::string>(const Case& current, const std::string& number)>;

// Renders the document with the register's next number and issues it as `reader`, who must be
// able to read the case and hold a role that may add recommendations to it. When another issuer
// takes that number first, renders again with the next (a few times, then conflict).
// Errors: not_found (unknown case), role_not_allowed, conflict, the renderer's, busy, storage.
Result<IssuedDocument> issue_document(Workspace& workspace, const Reader& reader, const IssueRequest& request,
                                      const RenderIssued& render);

}  // namespace docket
