// The documents library without LibreOffice: the package it writes, XML templates (escaping,
// mistakes located), the committee's letterhead file, and the recommendation letter's content.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "documents/docx_package.h"
#include "documents/letterhead.h"
#include "documents/recommendation_letter.h"
#include "documents/xml_template.h"
#include "docx_test_support.h"

namespace docket::documents {
namespace {

using documents_test::package_parts;
using documents_test::paragraphs;
using documents_test::part;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Letterhead example_letterhead() {
  auto head = load_letterhead(DOCKET_SOURCE_DIR "/config/documents.example.json", {kLetterKind});
  EXPECT_TRUE(head.ok()) << head.error().message;
  return head.ok() ? *head : Letterhead{};
}

Case case_with_recommendations() {
  Case state;
  state.number = "GS-2026-0003";
  state.workflow_id = "supervision";
  state.title = "Giám sát việc bình xét hộ nghèo năm 2026";
  state.recommendations = {
      {1, "ubnd-xa", "Rà soát lại danh sách hộ nghèo & hộ cận nghèo", {}, {}, {}, {}, {}},
      {2, "Phòng Lao động <huyện>", "Công khai kết quả bình xét tại nhà văn hóa thôn", {}, {}, {}, {}, {}},
      {3, "ubnd-xa", "Báo cáo kết quả khắc phục trước ngày 30/01/2027", {}, {}, {}, {}, {}}};
  return state;
}

TEST(DocxPackage, HoldsTheContentTypesTheRelationshipsAndTheTwoPartsAsWellFormedXml) {
  auto bytes = build_docx({"<w:document xmlns:w=\"x\"><w:body/></w:document>", "<w:styles xmlns:w=\"x\"/>", {}});
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  const auto parts = package_parts(*bytes);
  std::vector<std::string> names;
  for (const auto& [name, content] : parts) {
    names.push_back(name);
    pugi::xml_document parsed;
    EXPECT_TRUE(parsed.load_buffer(content.data(), content.size())) << name << " is not well-formed XML";
  }
  EXPECT_EQ(names, (std::vector<std::string>{"[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
                                             "word/document.xml", "word/styles.xml", "word/settings.xml",
                                             "word/footer1.xml"}));
  // The page number: a PAGE field in the footer the templates name.
  EXPECT_TRUE(contains(part(*bytes, "word/footer1.xml"), "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"));
  EXPECT_TRUE(contains(part(*bytes, "word/_rels/document.xml.rels"), "Id=\"rIdFooter\""));
  EXPECT_EQ(part(*bytes, "word/document.xml"), "<w:document xmlns:w=\"x\"><w:body/></w:document>");
  EXPECT_TRUE(contains(part(*bytes, "[Content_Types].xml"), "wordprocessingml.document.main+xml"));
  EXPECT_TRUE(contains(part(*bytes, "_rels/.rels"), "Target=\"word/document.xml\""));
}

TEST(XmlTemplate, EscapesValuesSoThatTheyReadBackAsTyped) {
  TemplateData data;
  data.set("value", std::string("Sở A & B <ban> \"trích\" 'dẫn'\x01"));
  auto filled = fill_xml_template("<w:t xmlns:w=\"x\">{{value}}</w:t>", "t.xml", data);
  ASSERT_TRUE(filled.ok()) << filled.error().message;
  pugi::xml_document parsed;
  ASSERT_TRUE(parsed.load_string(filled->c_str()));
  EXPECT_EQ(std::string(parsed.first_child().text().get()), "Sở A & B <ban> \"trích\" 'dẫn'");
}

TEST(XmlTemplate, AMustacheMistakeNamesTheTemplateLineAndColumn) {
  auto filled = fill_xml_template("<a>\n<b/>\n  {{#items}}<c/>\n</a>", "letter.xml", TemplateData{});
  ASSERT_FALSE(filled.ok());
  EXPECT_EQ(filled.error().code, ErrorCode::invalid_argument);
  EXPECT_TRUE(contains(filled.error().message, "letter.xml: line 3, column 3: ")) << filled.error().message;
  EXPECT_TRUE(contains(filled.error().message, "items")) << filled.error().message;
}

TEST(XmlTemplate, AResultThatIsNotWellFormedXmlIsRefusedNamingTheTemplate) {
  TemplateData data;
  data.set("raw", std::string("<b>"));
  auto filled = fill_xml_template("<a>\n{{{raw}}}</a>", "letter.xml", data);
  ASSERT_FALSE(filled.ok());
  EXPECT_TRUE(contains(filled.error().message, "letter.xml: the filled document is not well-formed XML at line 2"))
      << filled.error().message;
}

TEST(RecommendationLetter, TheDateLineWritesDaysAndTheFirstTwoMonthsWithTwoDigits) {
  using namespace std::chrono;
  EXPECT_EQ(date_line("Ninh Bình", 2026y / 12 / 7), "Ninh Bình, ngày 07 tháng 12 năm 2026");
  EXPECT_EQ(date_line("Ninh Bình", 2027y / 2 / 5), "Ninh Bình, ngày 05 tháng 02 năm 2027");
  EXPECT_EQ(date_line("Hà Nội", 2027y / 4 / 15), "Hà Nội, ngày 15 tháng 4 năm 2027");
}

TEST(Letterhead, EveryProblemOfTheFileIsNamedWithItsPath) {
  auto head = parse_letterhead(
      R"({"issuing_body": ["BAN THƯỜNG TRỰC", " "], "issuer_in_text": "Ban Thường trực", "place": "",
          "symbol": "MTTQ-BTT", "abbreviations": {"report": "BC"}, "signer": {"authority": "TM. BAN THƯỜNG TRỰC",
          "title": "CHỦ TỊCH"}, "colour": "red"})",
      "documents.json", {kLetterKind});
  ASSERT_FALSE(head.ok());
  const std::string& message = head.error().message;
  EXPECT_TRUE(contains(message, "documents.json: ")) << message;
  EXPECT_TRUE(contains(message, "$.colour: unknown key \"colour\"")) << message;
  auto again = parse_letterhead(
      R"({"issuing_body": ["BAN THƯỜNG TRỰC", " "], "issuer_in_text": "Ban Thường trực", "place": "",
          "symbol": "MTTQ-BTT", "abbreviations": {"report": "BC"}, "signer": {"authority": "TM. BAN THƯỜNG TRỰC",
          "title": "CHỦ TỊCH"}})",
      "documents.json", {kLetterKind});
  ASSERT_FALSE(again.ok());
  for (const char* expected :
       {"$.issuing_body[1]: empty line", "$.place: must not be empty",
        "$.abbreviations: missing the abbreviation of \"letter\"", "$.signer: missing required key \"name\""}) {
    EXPECT_TRUE(contains(again.error().message, expected)) << again.error().message;
  }
  auto malformed = parse_letterhead("{\n  \"place\": }", "documents.json", {});
  ASSERT_FALSE(malformed.ok());
  EXPECT_TRUE(contains(malformed.error().message, "documents.json: malformed JSON at line 2"))
      << malformed.error().message;
}

TEST(RecommendationLetter, GroupsTheNumberedRecommendationsByAddresseeUnderTheLetterhead) {
  const Letterhead head = example_letterhead();
  LetterRequest request{std::chrono::year{2026} / 12 / 7, "", {{"ubnd-xa", "UBND xã Gia Hưng"}}};
  auto docx =
      recommendation_letter(case_with_recommendations(), head, request, DOCKET_SOURCE_DIR "/workflows/documents");
  ASSERT_TRUE(docx.ok()) << docx.error().message;
  const std::vector<std::string> texts = paragraphs(part(*docx, "word/document.xml"));
  const auto at = [&](const std::string& text) { return std::find(texts.begin(), texts.end(), text) - texts.begin(); };
  const auto count = static_cast<long>(texts.size());
  for (const char* line :
       {"ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM", "BAN THƯỜNG TRỰC", "Số:        /CV-MTTQ-BTT", "V/v kiến nghị sau giám sát",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Ninh Bình, ngày 07 tháng 12 năm 2026",
        "Kính gửi:", "- UBND xã Gia Hưng;", "- Phòng Lao động <huyện>;", "Nơi nhận:", "- Như trên;", "- Lưu: VT.",
        "TM. BAN THƯỜNG TRỰC", "PHÓ CHỦ TỊCH", "Nguyễn Văn Hùng"}) {
    EXPECT_LT(at(line), count) << "no paragraph " << line;
  }
  // Grouped: #1 and #3 under the commune, then #2; numbered as the case numbers them.
  const auto commune = at("Đối với UBND xã Gia Hưng:"), district = at("Đối với Phòng Lao động <huyện>:");
  const auto first = at("1. Rà soát lại danh sách hộ nghèo & hộ cận nghèo");
  const auto third = at("3. Báo cáo kết quả khắc phục trước ngày 30/01/2027");
  const auto second = at("2. Công khai kết quả bình xét tại nhà văn hóa thôn");
  EXPECT_LT(commune, first);
  EXPECT_LT(first, third);
  EXPECT_LT(third, district);
  EXPECT_LT(district, second);
  EXPECT_LT(second, count);
  EXPECT_LT(second, at("TM. BAN THƯỜNG TRỰC"));
}

TEST(RecommendationLetter, OneAddresseeIsNamedOnTheKinhGuiLine) {
  Case state = case_with_recommendations();
  state.recommendations.erase(state.recommendations.begin() + 1);
  auto docx = recommendation_letter(state, example_letterhead(), {std::chrono::year{2026} / 12 / 7, "", {}},
                                    DOCKET_SOURCE_DIR "/workflows/documents");
  ASSERT_TRUE(docx.ok()) << docx.error().message;
  const std::vector<std::string> texts = paragraphs(part(*docx, "word/document.xml"));
  EXPECT_NE(std::find(texts.begin(), texts.end(), "Kính gửi: ubnd-xa"), texts.end());
  EXPECT_EQ(std::find(texts.begin(), texts.end(), "Đối với ubnd-xa:"), texts.end());
}

TEST(RecommendationLetter, ACaseWithoutRecommendationsOrATemplateMissingIsRefused) {
  Case state = case_with_recommendations();
  const Letterhead head = example_letterhead();
  auto missing = recommendation_letter(state, head, {std::chrono::year{2026} / 12 / 7, "", {}}, "/nonexistent");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_TRUE(contains(missing.error().message, "/nonexistent/recommendation-letter.document.xml"));
  state.recommendations.clear();
  auto none = recommendation_letter(state, head, {std::chrono::year{2026} / 12 / 7, "", {}},
                                    DOCKET_SOURCE_DIR "/workflows/documents");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message,
            "case GS-2026-0003 has no recommendations to put in a letter (docket case recommend)");
}

TEST(RecommendationLetter, TheShippedTemplateSetsA4TheDecreeMarginsAndTimesNewRoman) {
  const std::string body = read(DOCKET_SOURCE_DIR "/workflows/documents/recommendation-letter.document.xml");
  EXPECT_TRUE(contains(body, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
  EXPECT_TRUE(contains(body, "w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\""));
  EXPECT_TRUE(contains(read(DOCKET_SOURCE_DIR "/workflows/documents/styles.xml"), "w:ascii=\"Times New Roman\""));
}

}  // namespace
}  // namespace docket::documents
