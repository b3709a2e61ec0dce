// The recommendation letter of a case, as the CLI and the web app make it: a draft (the number
// left blank, any date) or issued (numbered from the outgoing register, dated today, kept with
// the case: issue_document.h). Addressees that are users are printed by name.
// Thread-safety: as the Workspace.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "documents/letterhead.h"
#include "workspace/issue_document.h"

namespace docket {

// Where the letters come from: the committee's letterhead and the templates folder.
struct LetterSource {
  const documents::Letterhead& head;
  std::filesystem::path templates;
};

// The draft letter of `current` dated `date`, as .docx bytes. Errors: documents::recommendation_letter's.
Result<std::string> draft_letter(Workspace& workspace, const Case& current, const LetterSource& source, Date date);

// Issues the letter of case `number` as `reader` and returns it with its number; the file is
// kept with the case as `file_name`. Errors: issue_document's and draft_letter's.
Result<IssuedDocument> issue_letter(Workspace& workspace, const Reader& reader, const std::string& number,
                                    const LetterSource& source, const std::string& file_name);

// The names to print for parties that are users (a party's account): the addressees of the
// recommendations and the case's fields, id -> name; others are printed as they were written.
std::map<std::string, std::string> party_names(Workspace& workspace, const Case& state);

// "kien-nghi-PB-2026-0001.docx": the file name a letter is offered under.
std::string letter_file_name(const std::string& number);

}  // namespace docket
