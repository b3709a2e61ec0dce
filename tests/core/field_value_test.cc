#include "core/field_value.h"

#include <gtest/gtest.h>

namespace docket {
namespace {

FieldDefinition field(FieldType type) {
  FieldDefinition f{"f", {"vi", "en"}, type, false, {}};
  if (type == FieldType::enumeration)
    f.values = {{"conference", {"Hội nghị", "Conference"}}, {"dialogue", {"Đối thoại", "Dialogue"}}};
  return f;
}

std::string canonical(FieldType type, std::string_view raw) {
  auto value = canonical_field_value(field(type), raw);
  return value.ok() ? value.value() : "ERROR " + value.error().message;
}

TEST(FieldValueTest, ValuesAreStoredInCanonicalForm) {
  EXPECT_EQ(canonical(FieldType::date, "2026-09-02"), "2026-09-02");
  EXPECT_EQ(canonical(FieldType::datetime, "2026-09-02T07:00"), "2026-09-02T00:00:00Z");
  EXPECT_EQ(canonical(FieldType::integer, "-15"), "-15");
  EXPECT_EQ(canonical(FieldType::enumeration, "dialogue"), "dialogue");
  EXPECT_EQ(canonical(FieldType::text, "Sở Lao động – Thương binh và Xã hội"), "Sở Lao động – Thương binh và Xã hội");
}

TEST(FieldValueTest, WrongValuesNameTheFieldAndWhatWasExpected) {
  EXPECT_EQ(canonical(FieldType::date, "02/09/2026"), "ERROR field \"f\": \"02/09/2026\" is not a date (YYYY-MM-DD)");
  EXPECT_NE(canonical(FieldType::integer, "12.5").find("is not an integer"), std::string::npos);
  EXPECT_NE(canonical(FieldType::integer, "99999999999999999999").find("is not an integer"), std::string::npos);
  EXPECT_NE(canonical(FieldType::enumeration, "seminar").find("conference, dialogue"), std::string::npos);
  EXPECT_NE(canonical(FieldType::text, "a\nb").find("control character"), std::string::npos);
  EXPECT_EQ(canonical(FieldType::long_text, "dòng 1\ndòng 2"), "dòng 1\ndòng 2");
  EXPECT_NE(canonical(FieldType::text, "\xE1\xBA").find("UTF-8"), std::string::npos);  // truncated "ạ"
}

TEST(FieldValueTest, Utf8CheckRejectsOverlongsAndSurrogates) {
  EXPECT_TRUE(is_valid_utf8("Giảm nghèo bền vững – Đắk Lắk 🇻🇳"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong "/"
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_EQ(first_invalid_utf8("ab\xFF"), 2u);
}

}  // namespace
}  // namespace docket
