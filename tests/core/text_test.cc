// core/text.h: NFC at the door, display widths for aligned text; core/command_text.h: which
// texts of a command are normalised.
#include "core/text.h"

#include <gtest/gtest.h>

#include "core/command_text.h"

namespace docket {
namespace {

// "Hưng" typed decomposed (as macOS keyboards and many PDFs give it): u + U+031B HORN.
const std::string kHungNfd = "Gia Hu\u031Bng";
const std::string kHungNfc = "Gia H\u01B0ng";
// "Đề nghị" with each mark decomposed: e + U+0302 + U+0300, i + U+0323.
const std::string kDeNghiNfd = "\u0110e\u0302\u0300 nghi\u0323";
const std::string kDeNghiNfc = "\u0110\u1EC1 ngh\u1ECB";

TEST(Text, NfcComposesDecomposedVietnamese) {
  EXPECT_EQ(to_nfc(kHungNfd), kHungNfc);
  EXPECT_EQ(to_nfc(kDeNghiNfd), kDeNghiNfc);
  EXPECT_EQ(to_nfc("e\u0301"), "\u00E9");
}

TEST(Text, NfcLeavesComposedAsciiAndInvalidTextAsItIs) {
  EXPECT_EQ(to_nfc(kDeNghiNfc), kDeNghiNfc);
  EXPECT_EQ(to_nfc("PB-2026-0001\t\n"), "PB-2026-0001\t\n");
  EXPECT_EQ(to_nfc(""), "");
  const std::string invalid = "ab\xC3(";
  EXPECT_EQ(to_nfc(invalid), invalid);
}

TEST(Text, DisplayWidthCountsColumnsNotBytesOrCodePoints) {
  EXPECT_EQ(display_width(kHungNfc), 8u);
  EXPECT_EQ(display_width(kHungNfd), 8u);  // the horn takes no column of its own
  EXPECT_EQ(display_width(kDeNghiNfd), 7u);
  EXPECT_EQ(display_width("\u6F22\u5B57"), 4u);  // two wide (CJK) characters
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("a\xFF"
                          "b"),
            3u);  // an invalid byte counts one column
}

TEST(CommandText, PeoplesTextBecomesNfcAndIdsStayAsGiven) {
  const Command open = with_nfc_text(OpenCase{"", kHungNfd, "gia-hung", {{"drafting_body", kDeNghiNfd}}});
  EXPECT_EQ(std::get<OpenCase>(open).title, kHungNfc);
  EXPECT_EQ(std::get<OpenCase>(open).fields.at("drafting_body"), kDeNghiNfc);
  EXPECT_EQ(std::get<OpenCase>(open).unit, "gia-hung");
  const Command move = with_nfc_text(MoveCase{"assign", {{"document_title", kHungNfd}}, kDeNghiNfd});
  EXPECT_EQ(std::get<MoveCase>(move).fields.at("document_title"), kHungNfc);
  EXPECT_EQ(std::get<MoveCase>(move).comment, kDeNghiNfc);
  EXPECT_EQ(std::get<AddComment>(with_nfc_text(AddComment{kHungNfd})).text, kHungNfc);
  const Command recommend = with_nfc_text(AddRecommendation{kHungNfd, kDeNghiNfd});
  EXPECT_EQ(std::get<AddRecommendation>(recommend).addressee, kHungNfc);
  EXPECT_EQ(std::get<AddRecommendation>(recommend).text, kDeNghiNfc);
  EXPECT_EQ(std::get<AnswerRecommendation>(with_nfc_text(AnswerRecommendation{1, "accepted", kHungNfd, ""})).text,
            kHungNfc);
  EXPECT_EQ(std::get<SetFields>(with_nfc_text(SetFields{{{"basis", kDeNghiNfd}}})).fields.at("basis"), kDeNghiNfc);
}

}  // namespace
}  // namespace docket
