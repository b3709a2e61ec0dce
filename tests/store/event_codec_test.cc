// The JSON a case row keeps its fields and deadline in (store/event_codec.h).
#include "store/internal/event_codec.h"

#include <gtest/gtest.h>

namespace docket {
namespace {

TEST(FieldsCodec, VietnameseTextQuotesAndControlCharactersReadBackAsWritten) {
  const std::map<std::string, std::string> fields{
      {"drafting_body", "Sở Lao động – Thương binh và Xã hội"},
      {"note", "dòng 1\ndòng 2 \"trích dẫn\" \\ cuối\t"},
      {"empty", ""},
  };
  EXPECT_EQ(decode_fields(encode_fields(fields)), fields);
}

TEST(FieldsCodec, WritesCompactJsonWithKeysInByteOrder) {
  // Hashed bytes depend on it: the same fields always encode to the same text.
  EXPECT_EQ(encode_fields({{"b", "2"}, {"a", "1"}, {"Đ", "x"}, {"Z", "y"}}), R"({"Z":"y","a":"1","b":"2","Đ":"x"})");
  EXPECT_EQ(encode_fields({}), "{}");
  EXPECT_EQ(canonicalize_json(R"({ "b":"2",  "a":"1" })").value(), encode_fields({{"b", "2"}, {"a", "1"}}));
}

TEST(FieldsCodec, KeepsOnlyTheTopLevelStringMembers) {
  const auto fields =
      decode_fields(R"({"a":"1","n":5,"t":true,"z":null,"o":{"a":"inner","b":"x"},"l":["x","y"],"b":"2"})");
  EXPECT_EQ(fields, (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
}

TEST(FieldsCodec, AnythingButAWellFormedObjectReadsAsNoFields) {
  EXPECT_TRUE(decode_fields("").empty());
  EXPECT_TRUE(decode_fields(R"(["a","b"])").empty());
  EXPECT_TRUE(decode_fields(R"("text")").empty());
  EXPECT_TRUE(decode_fields(R"({"a":"1","b":)").empty());  // cut off after a member was read
  EXPECT_TRUE(decode_fields(R"({"a":"1"} {"b":"2"})").empty());
}

}  // namespace
}  // namespace docket
