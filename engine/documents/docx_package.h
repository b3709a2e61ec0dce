// A Word (.docx) file: the Office Open XML package (a zip of XML parts) around a filled
// document body and its styles. The package's fixed parts (content types and relationships)
// are written here; what the document says and how it looks come from templates
// (workflows/documents/, docs/documents.md). Pure apart from libzip's memory; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace docket::documents {

// A picture the body shows: stored as word/media/NAME, reached from the body's
// <a:blip r:embed="ID"/> through the relationship ID.
struct DocxImage {
  std::string relationship_id;  // "rIdImage1"
  std::string name;             // "chart1.png"
  std::string png;              // the PNG bytes
};

// The relationship id of the footer (word/footer1.xml, the page number centred), which each
// template's w:sectPr names in <w:footerReference w:type="default" r:id="rIdFooter"/>.
inline constexpr const char* kFooterRelationship = "rIdFooter";

// The parts a document brings: word/document.xml (the body, page size and margins),
// word/styles.xml (fonts and sizes), both well-formed WordprocessingML, and its pictures.
struct DocxParts {
  std::string document_xml;
  std::string styles_xml;
  std::vector<DocxImage> images;
};

// The bytes of a .docx package holding `parts` with [Content_Types].xml, _rels/.rels,
// word/_rels/document.xml.rels (styles, settings, footer and one relationship per image),
// word/settings.xml and word/footer1.xml (a PAGE field). Errors: internal when libzip fails.
Result<std::string> build_docx(const DocxParts& parts);

}  // namespace docket::documents
