// A Word (.docx) file: the Office Open XML package (a zip of XML parts) around a filled
// document body and its styles. The package's fixed parts (content types and relationships)
// are written here; what the document says and how it looks come from templates
// (workflows/documents/, docs/documents.md). Pure apart from libzip's memory; thread-safe.
#pragma once

#include <string>

#include "core/result.h"

namespace docket::documents {

// The two parts a document brings: word/document.xml (the body, page size and margins) and
// word/styles.xml (fonts and sizes), both well-formed WordprocessingML.
struct DocxParts {
  std::string document_xml;
  std::string styles_xml;
};

// The bytes of a .docx package holding `parts` with [Content_Types].xml, _rels/.rels,
// word/_rels/document.xml.rels and word/settings.xml. Errors: internal when libzip fails.
Result<std::string> build_docx(const DocxParts& parts);

}  // namespace docket::documents
