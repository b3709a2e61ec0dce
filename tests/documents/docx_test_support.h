// Reading back what the documents library writes: the parts of a .docx package (libzip) and the
// text of its body (pugixml), for tests that check a document without LibreOffice.
#pragma once

#include <zip.h>

#include <pugixml.hpp>

#include <map>
#include <string>
#include <vector>

namespace docket::documents_test {

// Each part of the package `bytes` by name, in the order of the zip's directory; empty when the
// bytes are not a zip.
inline std::vector<std::pair<std::string, std::string>> package_parts(const std::string& bytes) {
  std::vector<std::pair<std::string, std::string>> parts;
  zip_error_t problem;
  zip_error_init(&problem);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &problem);
  if (source == nullptr) return parts;
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &problem);
  if (archive == nullptr) {
    zip_source_free(source);
    return parts;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
    zip_stat_t stat;
    zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat);
    std::string content(stat.size, '\0');
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    if (file == nullptr) continue;
    zip_fread(file, content.data(), stat.size);
    zip_fclose(file);
    parts.emplace_back(stat.name, content);
  }
  zip_discard(archive);
  return parts;
}

inline std::string part(const std::string& bytes, const std::string& name) {
  for (const auto& [found, content] : package_parts(bytes))
    if (found == name) return content;
  return "";
}

// The text of each paragraph (w:p) of a WordprocessingML body, in document order.
inline std::vector<std::string> paragraphs(const std::string& document_xml) {
  pugi::xml_document document;
  std::vector<std::string> texts;
  if (!document.load_buffer(document_xml.data(), document_xml.size())) return texts;
  for (const pugi::xpath_node& paragraph : document.select_nodes("//w:p")) {
    std::string text;
    for (const pugi::xpath_node& run : paragraph.node().select_nodes(".//w:t")) text += run.node().text().get();
    texts.push_back(text);
  }
  return texts;
}

}  // namespace docket::documents_test
