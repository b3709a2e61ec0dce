#include "documents/letterhead.h"

#include <rapidjson/document.h>

#include "core/json_text.h"
#include "core/text.h"
#include "documents/xml_template.h"
#include "loader/json_reader.h"

namespace docket::documents {
namespace {

using rapidjson::Value;

std::string two_digits(unsigned value) { return (value < 10 ? "0" : "") + std::to_string(value); }

bool is_blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

class LetterheadReader {
 public:
  explicit LetterheadReader(std::vector<Diagnostic>& out) : in_(out) {}

  Letterhead read(const Value& root, const std::vector<std::string>& kinds) {
    Letterhead head;
    if (!in_.object(root, "$",
                    {"superior_body", "issuing_body", "issuer_in_text", "place", "symbol", "abbreviations", "signer",
                     "recipients", "archive"},
                    {"issuing_body", "issuer_in_text", "place", "symbol", "abbreviations", "signer"})) {
      return head;
    }
    head.superior_body = lines(root, "superior_body", false);
    head.issuing_body = lines(root, "issuing_body", true);
    head.issuer_in_text = text(root, "issuer_in_text", "$");
    head.place = text(root, "place", "$");
    head.symbol = text(root, "symbol", "$");
    head.recipients = lines(root, "recipients", false);
    if (root.HasMember("archive")) head.archive = text(root, "archive", "$");
    head.abbreviations = abbreviations(root["abbreviations"], kinds);
    const Value& signer = root["signer"];
    if (in_.object(signer, "$.signer", {"authority", "title", "name"}, {"authority", "title", "name"})) {
      head.authority = text(signer, "authority", "$.signer");
      head.signer_title = text(signer, "title", "$.signer");
      head.signer_name = text(signer, "name", "$.signer");
    }
    return head;
  }

 private:
  // A string member that must say something.
  std::string text(const Value& v, const char* key, const std::string& path) {
    std::string value = in_.string(v, key, path);
    if (v.HasMember(key) && v[key].IsString() && is_blank(value)) in_.error(path + "." + key, "must not be empty");
    return value;
  }

  std::vector<std::string> lines(const Value& root, const char* key, bool required) {
    std::vector<std::string> found = in_.strings(root, key, "$");
    if (required && root.HasMember(key) && root[key].IsArray() && found.empty())
      in_.error(std::string("$.") + key, "needs at least one line");
    for (std::size_t i = 0; i < found.size(); ++i) {
      if (is_blank(found[i])) in_.error("$." + std::string(key) + "[" + std::to_string(i) + "]", "empty line");
    }
    return found;
  }

  std::map<std::string, std::string> abbreviations(const Value& v, const std::vector<std::string>& kinds) {
    std::map<std::string, std::string> found;
    if (!v.IsObject()) {
      in_.error("$.abbreviations", "expected an object of kind: abbreviation, e.g. {\"letter\": \"CV\"}");
      return found;
    }
    for (const auto& member : v.GetObject())
      found[member.name.GetString()] = text(v, member.name.GetString(), "$.abbreviations");
    for (const std::string& kind : kinds) {
      if (!found.contains(kind)) in_.error("$.abbreviations", "missing the abbreviation of " + in_quotes(kind));
    }
    return found;
  }

  JsonReader in_;
};

std::string described(const std::string& source, const std::vector<Diagnostic>& problems) {
  std::string message = source + ": ";
  for (std::size_t i = 0; i < problems.size(); ++i)
    message += (i == 0 ? "" : "; ") + problems[i].path + ": " + problems[i].message;
  return message;
}

}  // namespace

std::string date_line(const std::string& place, Date date) {
  const auto month = static_cast<unsigned>(date.month());
  return place + ", ngày " + two_digits(static_cast<unsigned>(date.day())) + " tháng " +
         (month <= 2 ? two_digits(month) : std::to_string(month)) + " năm " +
         std::to_string(static_cast<int>(date.year()));
}

TemplateData lines_data(const std::vector<std::string>& texts) {
  TemplateData list{TemplateData::type::list};
  for (const std::string& text : texts) list.push_back(text);
  return list;
}

TemplateData letterhead_data(const Letterhead& head, std::string_view kind, const Issue& issue) {
  TemplateData values;
  values.set("superior_body", lines_data(head.superior_body));
  values.set("issuing_body", lines_data(head.issuing_body));
  values.set("issuer_in_text", head.issuer_in_text);
  values.set("symbol", head.symbol_of(kind));
  // Room for a number of up to four digits written by hand, as on the forms of Decree 30.
  values.set("number_text", issue.number.empty() ? std::string(7, ' ') : issue.number);
  values.set("date_line", date_line(head.place, issue.date));
  values.set("authority", head.authority);
  values.set("signer_title", head.signer_title);
  values.set("signer_name", head.signer_name);
  values.set("recipients", lines_data(head.recipients));
  values.set("archive", head.archive);
  return values;
}

std::string Letterhead::symbol_of(std::string_view kind) const {
  return abbreviations.at(std::string(kind)) + "-" + symbol;
}

Result<Letterhead> parse_letterhead(std::string_view json, const std::string& source,
                                    const std::vector<std::string>& kinds) {
  rapidjson::Document document;
  if (const auto problem = parse_json(json, document)) {
    return make_error(ErrorCode::invalid_argument, source + ": malformed JSON at line " +
                                                       std::to_string(problem->line) + ", column " +
                                                       std::to_string(problem->column) + ": " + problem->reason);
  }
  std::vector<Diagnostic> problems;
  Letterhead head = LetterheadReader(problems).read(document, kinds);
  if (!problems.empty()) return make_error(ErrorCode::invalid_argument, described(source, problems));
  return head;
}

Result<Letterhead> load_letterhead(const std::filesystem::path& path, const std::vector<std::string>& kinds) {
  DOCKET_TRY(text, read_text_file(path, "documents configuration"));
  return parse_letterhead(*text, path.string(), kinds);
}

}  // namespace docket::documents
