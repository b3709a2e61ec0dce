// The documents added for issue #27 without LibreOffice: Vietnamese number and period words,
// line breaks kept inside a recommendation, the review report's package (a chart as a real image
// part, one summary row a unit for 52 units) and the case documents' refusals.
#include <gtest/gtest.h>

#include <algorithm>

#include "documents/case_documents.h"
#include "documents/recommendation_letter.h"
#include "documents/report_document.h"
#include "docx_test_support.h"
#include "reports/vietnamese.h"

namespace docket::documents {
namespace {

using documents_test::paragraphs;
using documents_test::part;

constexpr const char* kTemplates = DOCKET_SOURCE_DIR "/workflows/documents";

bool contains(const std::string& text, const std::string& piece) { return text.find(piece) != std::string::npos; }

Letterhead example_letterhead() {
  auto head = load_letterhead(DOCKET_SOURCE_DIR "/config/documents.example.json", {kLetterKind});
  EXPECT_TRUE(head.ok()) << head.error().message;
  return head.ok() ? *head : Letterhead{};
}

std::size_t occurrences(const std::string& text, const std::string& piece) {
  std::size_t count = 0;
  for (auto at = text.find(piece); at != std::string::npos; at = text.find(piece, at + 1)) ++count;
  return count;
}

TEST(VietnameseFormat, GroupsThousandsWithDotsAndWritesADecimalComma) {
  using reports::vietnamese_decimal;
  using reports::vietnamese_number;
  EXPECT_EQ(vietnamese_number(0), "0");
  EXPECT_EQ(vietnamese_number(999), "999");
  EXPECT_EQ(vietnamese_number(1234), "1.234");
  EXPECT_EQ(vietnamese_number(1000000), "1.000.000");
  EXPECT_EQ(vietnamese_number(-12500), "-12.500");
  EXPECT_EQ(vietnamese_decimal(19.75), "19,8");
  EXPECT_EQ(vietnamese_decimal(8.8), "8,8");
  EXPECT_EQ(vietnamese_decimal(1234.5), "1.234,5");
  EXPECT_EQ(vietnamese_decimal(0), "0,0");
  EXPECT_EQ(reports::vietnamese_average(std::nullopt), "-");
}

TEST(VietnameseFormat, NamesThePeriodInWords) {
  const auto words = [](const char* text) { return reports::period_in_words(*reports::parse_period(text)); };
  EXPECT_EQ(words("2026-H1"), "6 tháng đầu năm 2026");
  EXPECT_EQ(words("2026-H2"), "6 tháng cuối năm 2026");
  EXPECT_EQ(words("2026"), "năm 2026");
  EXPECT_EQ(words("2026-01-01..2026-03-31"), "từ ngày 01/01/2026 đến ngày 31/03/2026");
  EXPECT_TRUE(reports::is_whole_year(*reports::parse_period("2026")));
  EXPECT_FALSE(reports::is_whole_year(*reports::parse_period("2026-H2")));
}

// A supervision with one recommendation to the commune saying `text`.
Case supervision_with(const std::string& text) {
  Case state;
  state.number = "GS-2026-0001";
  state.workflow_id = "supervision";
  state.title = "Giám sát";
  state.recommendations = {{1, "UBND xã", text, {}, {}, {}, {}, {}}};
  return state;
}

TEST(RecommendationLetter, LinesOfARecommendationStayLinesInWord) {
  const Case state = supervision_with("Rà soát danh sách:\n- hộ nghèo;\r\n- hộ cận nghèo.");
  auto docx =
      recommendation_letter(state, example_letterhead(), {std::chrono::year{2026} / 12 / 7, "", {}}, kTemplates);
  ASSERT_TRUE(docx.ok()) << docx.error().message;
  EXPECT_TRUE(contains(part(*docx, "word/document.xml"),
                       "<w:t xml:space=\"preserve\">1. </w:t><w:t xml:space=\"preserve\">Rà soát danh sách:</w:t>"
                       "<w:br/><w:t xml:space=\"preserve\">- hộ nghèo;</w:t><w:br/>"
                       "<w:t xml:space=\"preserve\">- hộ cận nghèo.</w:t>"))
      << part(*docx, "word/document.xml");
}

TEST(RecommendationLetter, PrintsTheRegisterNumberWhenOneIsGiven) {
  Case state;
  state.number = "GS-2026-0001";
  state.workflow_id = "supervision";
  state.recommendations = {{1, "UBND xã", "Rà soát", {}, {}, {}, {}, {}}};
  auto docx =
      recommendation_letter(state, example_letterhead(), {std::chrono::year{2026} / 12 / 7, "15", {}}, kTemplates);
  ASSERT_TRUE(docx.ok()) << docx.error().message;
  const auto texts = paragraphs(part(*docx, "word/document.xml"));
  EXPECT_NE(std::find(texts.begin(), texts.end(), "Số: 15/CV-MTTQ-BTT"), texts.end());
}

// A province with `communes` communes below it, each with one supervision by document review.
reports::Report province_report(int communes) {
  reports::Report report;
  report.request.period = *reports::parse_period("2026-H2");
  report.request.as_of = {"2026-12-31", *parse_datetime("2026-12-31T16:59:59Z")};
  report.request.unit = "ninh-binh";
  report.request.rollup = true;
  report.unit_name = "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình";
  const Label supervision{"Giám sát", "Supervision"}, review{"Nghiên cứu, xem xét văn bản", "Document review"};
  reports::Figures sum;
  auto add_section = [&](const std::string& unit, const std::string& name, bool total, const reports::Figures& f) {
    report.rows.push_back({unit, name, total, "supervision", supervision, "document_review", review, f});
    report.rows.push_back({unit, name, total, "supervision", supervision, reports::kAll, {"Cộng", "All"}, f});
    report.rows.push_back({unit, name, total, reports::kAll, {"Tất cả", "All"}, reports::kAll, {"Cộng", "All"}, f});
  };
  for (int i = 1; i <= communes; ++i) {
    reports::Figures f;
    f.opened = 1200 + i;  // 1.201, 1.202, ...
    f.closed = i;
    f.in_progress = 1200;
    f.recommendations_made = 10;
    f.answered = 7;
    f.accepted = 7;
    f.unanswered = 3;
    f.answer_days = 7 * 19 + 6;  // 139 / 7 = 19.857...: "19,9"
    sum += f;
    add_section("xa-" + std::to_string(i), "Ủy ban MTTQ Việt Nam xã Số " + std::to_string(i), false, f);
  }
  add_section("ninh-binh", report.unit_name, true, sum);
  return report;
}

TEST(ReportDocument, FiftyTwoUnitsMakeOneSummaryRowEachAndTheChartsAreImageParts) {
  auto docx =
      report_document(province_report(52), example_letterhead(), {std::chrono::year{2027} / 1 / 5, ""}, kTemplates);
  ASSERT_TRUE(docx.ok()) << docx.error().message;
  const std::string body = part(*docx, "word/document.xml");
  const auto texts = paragraphs(body);
  const auto has = [&](const std::string& text) { return std::find(texts.begin(), texts.end(), text) != texts.end(); };
  EXPECT_TRUE(has("Số:        /BC-MTTQ-BTT"));
  EXPECT_TRUE(has("Ninh Bình, ngày 05 tháng 01 năm 2027"));
  EXPECT_TRUE(has("Sơ kết công tác giám sát, phản biện xã hội 6 tháng cuối năm 2026"));
  EXPECT_TRUE(has("xã Số 1") && has("xã Số 52")) << "the summary table names each unit";
  EXPECT_TRUE(has("1.201") && has("1.252"));           // opened, in Vietnamese format
  EXPECT_EQ(occurrences(body, "<w:tblHeader/>"), 2u);  // the summary and the figures tables, no table a unit
  EXPECT_EQ(occurrences(body, "<w:tr>") + occurrences(body, "<w:tr "), 2u + 1 + 52 + 1 + 1 + 3) << "rows";
  bool said_average = false;
  for (const std::string& text : texts) said_average |= contains(text, "Thời gian trả lời bình quân 19,9 ngày");
  EXPECT_TRUE(said_average);
  // Two charts, each a PNG part reached through a relationship from an <a:blip>.
  for (const char* n : {"1", "2"}) {
    const std::string png = part(*docx, std::string("word/media/chart") + n + ".png");
    ASSERT_GT(png.size(), 1000u) << "chart " << n;
    EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n");
    EXPECT_TRUE(contains(part(*docx, "word/_rels/document.xml.rels"),
                         std::string("Id=\"rIdChart") + n +
                             "\" Type=\"http://schemas.openxmlformats.org/"
                             "officeDocument/2006/relationships/image\" Target=\"media/chart" +
                             n + ".png\""));
    EXPECT_TRUE(contains(body, std::string("<a:blip r:embed=\"rIdChart") + n + "\"/>"));
  }
  EXPECT_TRUE(contains(part(*docx, "[Content_Types].xml"), "Extension=\"png\" ContentType=\"image/png\""));
  EXPECT_TRUE(contains(body, "<w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>"));
  // A chart draws the 40 units with the largest figures, not all 52, and its title says so.
  EXPECT_TRUE(contains(body, "Vụ việc mở và kết thúc trong kỳ (40 đơn vị có số lớn nhất trong 52 đơn vị)")) << body;
}

// Word moves a row whose every paragraph is "keep with next" to the next row's page: the last
// units' rows go with the total, which never starts a page alone. (LibreOffice 7.4 ignores keep
// with next inside a table, so this is checked in the package, as Word reads it.)
TEST(ReportDocument, TheLastUnitsOfTheSummaryTableKeepWithItsTotalRow) {
  auto docx =
      report_document(province_report(52), example_letterhead(), {std::chrono::year{2027} / 1 / 5, ""}, kTemplates);
  ASSERT_TRUE(docx.ok()) << docx.error().message;
  const std::string body = part(*docx, "word/document.xml");
  pugi::xml_document document;
  ASSERT_TRUE(document.load_buffer(body.data(), body.size()));
  const pugi::xpath_node summary = document.select_node("//w:tbl[w:tr/w:tc/w:p/w:r/w:t = 'STT']");
  ASSERT_TRUE(summary);
  const pugi::xpath_node_set rows = summary.node().select_nodes("w:tr");
  ASSERT_EQ(rows.size(), 1u + 52 + 1) << "heading, a row a unit, total";
  std::vector<std::string> kept;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const pugi::xml_node row = rows[i].node();
    EXPECT_TRUE(row.select_node("w:trPr/w:cantSplit")) << "row " << i << " is never split across pages";
    const std::size_t cells = row.select_nodes("w:tc/w:p").size();
    const std::size_t keeping = row.select_nodes("w:tc/w:p[w:pPr/w:keepNext]").size();
    EXPECT_TRUE(keeping == 0 || keeping == cells) << "row " << i << ": all its paragraphs or none";
    if (keeping > 0) kept.emplace_back(row.select_node("w:tc[2]/w:p/w:r/w:t").node().text().get());
  }
  EXPECT_EQ(kept, (std::vector<std::string>{"xã Số 51", "xã Số 52"})) << "the last two units, not the total";
}

TEST(ReportDocument, AChartOfAFewUnitsShowsThemAll) {
  auto docx =
      report_document(province_report(3), example_letterhead(), {std::chrono::year{2027} / 1 / 5, ""}, kTemplates);
  ASSERT_TRUE(docx.ok()) << docx.error().message;
  const std::string body = part(*docx, "word/document.xml");
  EXPECT_TRUE(contains(body, "Vụ việc mở và kết thúc trong kỳ<")) << body;
  EXPECT_FALSE(contains(body, "đơn vị có số lớn nhất"));
}

TEST(ReportDocument, AYearIsAYearlyReview) {
  reports::Report report = province_report(2);
  report.request.period = *reports::parse_period("2026");
  auto docx = report_document(report, example_letterhead(), {std::chrono::year{2027} / 1 / 5, ""}, kTemplates);
  ASSERT_TRUE(docx.ok()) << docx.error().message;
  const auto texts = paragraphs(part(*docx, "word/document.xml"));
  EXPECT_NE(std::find(texts.begin(), texts.end(), "Tổng kết công tác giám sát, phản biện xã hội năm 2026"),
            texts.end());
}

TEST(CaseDocuments, EachKindOfCaseHasItsOwnDocument) {
  Case critique;
  critique.number = "PB-2026-0001";
  critique.workflow_id = "social-critique";
  WorkflowDefinition definition;
  definition.id = "social-critique";
  definition.title = {"Phản biện xã hội", "social critique"};
  const CaseDocumentRequest request{{std::chrono::year{2026} / 12 / 7, ""}, {}};
  auto refused = supervision_report(critique, definition, example_letterhead(), request, kTemplates);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(refused.error().message,
            "case PB-2026-0001 is a social critique (social-critique), not a supervision: its document is "
            "`docket document critique PB-2026-0001`");
  auto empty = critique_document(critique, definition, example_letterhead(), request, kTemplates);
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(contains(empty.error().message, "has no recommendations to put in a critique document"));
}

}  // namespace
}  // namespace docket::documents
