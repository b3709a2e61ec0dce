#include "documents/docx_package.h"

#include <zip.h>

#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace docket::documents {
namespace {

constexpr std::string_view kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
</Types>)";

constexpr std::string_view kPackageRelationships =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>)";

constexpr std::string_view kDocumentRelationships =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
)";

// The page number, centred at the foot of every page (Decree 30 numbers pages from the second
// on; a committee that wants that sets "different first page" in Word).
constexpr std::string_view kFooter =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:t>1</w:t></w:r><w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p>
</w:ftr>)";

// The document's relationships: the fixed ones, then one per image.
std::string document_relationships(const std::vector<DocxImage>& images) {
  std::string xml(kDocumentRelationships);
  for (const DocxImage& image : images) {
    xml += "<Relationship Id=\"" + image.relationship_id +
           "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/" +
           image.name + "\"/>\n";
  }
  return xml + "</Relationships>";
}

// Vietnamese as the document's language, so that Word checks its spelling as Vietnamese; a
// justified line ending in a line break (a recommendation on several lines) is not stretched.
constexpr std::string_view kSettings =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:defaultTabStop w:val="720"/>
<w:characterSpacingControl w:val="doNotCompress"/>
<w:themeFontLang w:val="vi-VN"/>
<w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
</w:settings>)";

struct ArchiveCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
struct SourceFree {
  void operator()(zip_source_t* source) const { zip_source_free(source); }
};

Error zip_failure(std::string_view step, zip_error_t* problem) {
  return make_error(ErrorCode::internal, "writing the .docx package: " + std::string(step) + ": " +
                                             (problem != nullptr ? zip_error_strerror(problem) : "unknown error"));
}

// `stored`: kept as it is, not deflated (a PNG is compressed already: deflating it again costs
// time and saves nothing).
Status add_part(zip_t* archive, const char* name, std::string_view content, bool stored = false) {
  zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
  if (source == nullptr) return zip_failure(name, zip_get_error(archive));
  const zip_int64_t index = zip_file_add(archive, name, source, ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    zip_source_free(source);
    return zip_failure(name, zip_get_error(archive));
  }
  if (stored && zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) < 0)
    return zip_failure(name, zip_get_error(archive));
  return Ok{};
}

// The bytes the closed archive left in `source`.
Result<std::string> read_all(zip_source_t* source) {
  if (zip_source_open(source) < 0) return zip_failure("reading back", zip_source_error(source));
  std::string bytes;
  std::vector<char> chunk(64 * 1024);
  zip_int64_t got = 0;
  while ((got = zip_source_read(source, chunk.data(), chunk.size())) > 0) bytes.append(chunk.data(), got);
  zip_source_close(source);
  if (got < 0) return zip_failure("reading back", zip_source_error(source));
  return bytes;
}

}  // namespace

Result<std::string> build_docx(const DocxParts& parts) {
  zip_error_t problem;
  zip_error_init(&problem);
  std::unique_ptr<zip_source_t, SourceFree> memory(zip_source_buffer_create(nullptr, 0, 0, &problem));
  if (!memory) return zip_failure("creating the buffer", &problem);
  std::unique_ptr<zip_t, ArchiveCloser> archive(zip_open_from_source(memory.get(), ZIP_TRUNCATE, &problem));
  if (!archive) return zip_failure("opening the archive", &problem);
  zip_source_keep(memory.get());  // the archive releases its reference when it closes
  // [Content_Types].xml first: some readers look for it at the start of the package.
  const std::string relationships = document_relationships(parts.images);
  std::vector<std::pair<std::string, std::string_view>> entries = {{"[Content_Types].xml", kContentTypes},
                                                                   {"_rels/.rels", kPackageRelationships},
                                                                   {"word/_rels/document.xml.rels", relationships},
                                                                   {"word/document.xml", parts.document_xml},
                                                                   {"word/styles.xml", parts.styles_xml},
                                                                   {"word/settings.xml", kSettings},
                                                                   {"word/footer1.xml", kFooter}};
  for (const auto& [name, content] : entries) {
    if (Status added = add_part(archive.get(), name.c_str(), content); !added) return added.error();
  }
  for (const DocxImage& image : parts.images) {
    const std::string name = "word/media/" + image.name;
    if (Status added = add_part(archive.get(), name.c_str(), image.png, true); !added) return added.error();
  }
  if (zip_close(archive.get()) < 0) return zip_failure("closing the archive", zip_get_error(archive.get()));
  archive.release();  // zip_close freed it
  return read_all(memory.get());
}

}  // namespace docket::documents
