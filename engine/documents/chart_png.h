// Bar charts drawn as PNG pictures (cairo) for Word documents, which cannot show the HTML
// report's SVG: one horizontal group of bars per row (a unit, a form), one bar per series, the
// number after each bar in Vietnamese format. The picture is drawn at twice the size it is shown
// at so that it prints sharp. Pure apart from cairo's memory; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace docket::documents {

struct ChartSeries {
  std::string legend;    // "Mở trong kỳ"
  std::uint32_t colour;  // 0xRRGGBB
};

struct ChartRow {
  std::string label;        // "xã Gia Hưng"
  std::vector<int> values;  // one per series
};

struct BarChart {
  std::vector<ChartSeries> series;
  std::vector<ChartRow> rows;
};

struct ChartPicture {
  std::string png;
  int width = 0;  // pixels
  int height = 0;
};

// The chart as a PNG `width` pixels wide; its height grows with the rows, up to about 1.3 times
// the width (the rows are drawn thinner beyond that, so that 60 units still fit one page).
// Errors: internal when cairo fails.
Result<ChartPicture> draw_bar_chart(const BarChart& chart, int width = 1200);

}  // namespace docket::documents
