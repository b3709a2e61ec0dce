// parse_json (core/json_text.h): depth-limited, located parsing of JSON from outside.
#include "core/json_text.h"

#include <gtest/gtest.h>

#include <string>

namespace docket {
namespace {

std::string nested(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']');
}

TEST(JsonText, SixtyFourLevelsParseAndTheSixtyFifthIsRefusedWhereItOpens) {
  rapidjson::Document document;
  EXPECT_FALSE(parse_json(nested(kMaxJsonDepth), document).has_value());
  EXPECT_TRUE(document.IsArray());
  const auto problem = parse_json("\n  " + nested(kMaxJsonDepth + 1), document);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->reason, "nested more than 64 arrays and objects deep");
  EXPECT_EQ(problem->line, 2u);
  EXPECT_EQ(problem->column, 3u + 64u);
  EXPECT_EQ(problem->offset, 3u + 64u);
}

TEST(JsonText, AMillionOpeningBracketsAreRefusedWithoutExhaustingTheStack) {
  rapidjson::Document document;
  const auto problem = parse_json(std::string(1000000, '['), document);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->column, 65u);
  const auto objects = parse_json(std::string(1000000, '{'), document);
  ASSERT_TRUE(objects.has_value());
  EXPECT_NE(objects->reason.find("nested"), std::string::npos);
}

TEST(JsonText, BracketsInsideStringsDoNotCount) {
  rapidjson::Document document;
  const std::string text = R"({"title": ")" + std::string(500, '[') + R"(\"{{{", "x": [1]})";
  EXPECT_FALSE(parse_json(text, document).has_value());
  EXPECT_EQ(document["x"][0].GetInt(), 1);
}

TEST(JsonText, SyntaxAndEncodingErrorsAreLocatedInCharacters) {
  rapidjson::Document document;
  const auto missing = parse_json("{\"tên\": [1 2]}", document);
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->line, 1u);
  EXPECT_EQ(missing->column, 12u);  // "tên" is 3 characters and 4 bytes
  EXPECT_NE(missing->reason.find("comma"), std::string::npos) << missing->reason;
  const auto invalid = parse_json("\"\xff\"", document);
  ASSERT_TRUE(invalid.has_value());
  EXPECT_NE(invalid->reason.find("encoding"), std::string::npos) << invalid->reason;
}

TEST(JsonText, AMemberNamedTwiceIsRefusedWithItsPathWhereverItIs) {
  rapidjson::Document document;
  const auto top = parse_json(R"({"text": "một", "text": "hai"})", document);
  ASSERT_TRUE(top.has_value());
  EXPECT_EQ(top->reason, R"(member "text" appears more than once in the same object)");
  EXPECT_EQ(top->path, "$.text");
  EXPECT_EQ(top->column, 23u);  // just after the second "text"
  const auto nested = parse_json(R"({"stages": [{}, {"id": "a", "fields": {"tên": 1, "tên": 2}}]})", document);
  ASSERT_TRUE(nested.has_value());
  EXPECT_EQ(nested->path, R"($.stages[1].fields["tên"])");
  // The same name in different objects, or as a value, is no repetition.
  EXPECT_FALSE(parse_json(R"({"a": {"a": "a"}, "b": [{"a": 1}, {"a": 2}]})", document).has_value());
  EXPECT_EQ(document["b"][1]["a"].GetInt(), 2);
}

}  // namespace
}  // namespace docket
