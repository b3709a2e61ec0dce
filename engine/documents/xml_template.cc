#include "documents/xml_template.h"

#include <pugixml.hpp>

#include <cstddef>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/html.h"
#include "core/text.h"

namespace docket::documents {
namespace {

// "line L, column C" of byte `offset` in `text`; columns count UTF-8 characters from 1.
std::string position_of(const std::string& text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0) != 0x80) {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// kainjow ends a parse error with "at OFFSET": said as a line and column of the template.
std::string mustache_problem(const std::string& source, const std::string& message) {
  static const std::regex trailing_offset(R"((.*) at (\d+)$)");
  std::smatch found;
  if (!std::regex_match(message, found, trailing_offset)) return message;
  return position_of(source, std::stoul(found[2].str())) + ": " + found[1].str();
}

}  // namespace

Result<std::string> read_text_file(const std::filesystem::path& path, const std::string& what) {
  std::error_code problem;
  if (!std::filesystem::is_regular_file(path, problem))
    return make_error(ErrorCode::not_found, "no " + what + " file " + path.string());
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return make_error(ErrorCode::invalid_argument, "cannot read the " + what + " " + path.string());
  if (!is_valid_utf8(text.str()))
    return make_error(ErrorCode::invalid_argument, "the " + what + " " + path.string() + " is not UTF-8 text");
  return text.str();
}

// The entities of HTML are those of XML too (&#39; for the apostrophe).
std::string escape_xml(const std::string& text) {
  std::string allowed;
  allowed.reserve(text.size());
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') allowed += c;
  }
  return escape_html(allowed);
}

TemplateData text_lines(const std::string& text) {
  TemplateData list{TemplateData::type::list};
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    TemplateData item;
    item.set("text", line);
    item.set("br", start == 0 ? TemplateData::type::bool_false : TemplateData::type::bool_true);
    list.push_back(item);
    if (end == std::string::npos) return list;
    start = end + 1;
  }
}

Result<std::string> fill_xml_template(const std::string& source, const std::string& name, const TemplateData& data) {
  kainjow::mustache::mustache compiled(source);
  if (!compiled.is_valid())
    return make_error(ErrorCode::invalid_argument, name + ": " + mustache_problem(source, compiled.error_message()));
  compiled.set_custom_escape(escape_xml);
  std::string filled = compiled.render(data);
  if (!compiled.is_valid()) return make_error(ErrorCode::invalid_argument, name + ": " + compiled.error_message());
  pugi::xml_document parsed;
  const pugi::xml_parse_result checked =
      parsed.load_buffer(filled.data(), filled.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!checked) {
    // Located in the filled text: a template's sections repeat, so its own offsets differ.
    return make_error(ErrorCode::invalid_argument, name + ": the filled document is not well-formed XML at " +
                                                       position_of(filled, static_cast<std::size_t>(checked.offset)) +
                                                       " of the result: " + checked.description());
  }
  return filled;
}

}  // namespace docket::documents
