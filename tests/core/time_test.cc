#include "core/time.h"

#include <gtest/gtest.h>

namespace docket {
namespace {

TEST(TimeTest, DatesMustBeRealCalendarDatesInIsoForm) {
  EXPECT_EQ(format_date(*parse_date("2024-02-29")), "2024-02-29");
  EXPECT_FALSE(parse_date("2026-02-29"));  // not a leap year
  EXPECT_FALSE(parse_date("2026-13-01"));
  EXPECT_FALSE(parse_date("30/04/2026"));
  EXPECT_FALSE(parse_date("2026-4-30"));
  EXPECT_FALSE(parse_date("2026-04-30x"));
  EXPECT_FALSE(parse_date(""));
}

TEST(TimeTest, DatetimesWithoutAnOffsetAreVietnamTime) {
  EXPECT_EQ(format_timestamp(*parse_datetime("2026-04-30T15:30")), "2026-04-30T08:30:00Z");
  EXPECT_EQ(format_timestamp(*parse_datetime("2026-04-30 15:30:05")), "2026-04-30T08:30:05Z");
  EXPECT_EQ(format_timestamp(*parse_datetime("2026-04-30T08:30:00Z")), "2026-04-30T08:30:00Z");
  EXPECT_EQ(format_timestamp(*parse_datetime("2026-04-30T03:30:00-05:00")), "2026-04-30T08:30:00Z");
  EXPECT_EQ(format_timestamp(*parse_datetime("2026-01-01T05:00+07:00")), "2025-12-31T22:00:00Z");
  EXPECT_FALSE(parse_datetime("2026-04-30T25:00"));
  EXPECT_FALSE(parse_datetime("2026-04-30T10:00 UTC"));
  EXPECT_FALSE(parse_datetime("2026-04-30"));
}

TEST(TimeTest, VietnamDateIsSevenHoursAheadOfUtc) {
  const Timestamp late_evening_utc = *parse_datetime("2026-04-29T18:00:00Z");
  EXPECT_EQ(format_date(vietnam_date(late_evening_utc)), "2026-04-30");
}

}  // namespace
}  // namespace docket
