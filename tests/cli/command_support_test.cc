// The --field arguments and the acting user, as the CLI reads them before any database work.
#include "command_support.h"

#include <gtest/gtest.h>
#include <CLI/CLI.hpp>

#include <sstream>

namespace docket::cli {
namespace {

TEST(FieldValues, SplitAtTheFirstEquals) {
  const FieldValues fields = field_values({"event_time=2026-04-10T08:00", "end_reason=a=b", "issuing_authority="});
  EXPECT_EQ(fields.at("event_time"), "2026-04-10T08:00");
  EXPECT_EQ(fields.at("end_reason"), "a=b");
  EXPECT_EQ(fields.at("issuing_authority"), "");  // an empty value clears an optional field
}

TEST(FieldValues, AKeyGivenTwiceIsAUsageError) {
  EXPECT_THROW(field_values({"critique_form=conference", "critique_form=dialogue"}), CLI::ValidationError);
}

TEST(FieldOption, RejectsAnArgumentWithoutAKeyOrEquals) {
  CLI::App app;
  std::vector<std::string> fields;
  add_field_option(app, fields, "a field");
  EXPECT_THROW(app.parse("--field critique_form"), CLI::ValidationError);
  EXPECT_THROW(app.parse("--field =conference"), CLI::ValidationError);
  app.parse("--field critique_form=conference");
  EXPECT_EQ(fields, std::vector<std::string>{"critique_form=conference"});
}

TEST(ActingUser, IsRequired) {
  std::ostringstream out, err;
  const FixedClock clock{Timestamp{}};
  Context context{out, err, clock, ""};
  EXPECT_THROW(require_acting_user(context), CLI::RequiredError);
  context.acting_user = "lan";
  EXPECT_EQ(require_acting_user(context), "lan");
}

}  // namespace
}  // namespace docket::cli
