#include "documents/chart_png.h"

#include <cairo.h>

#include <algorithm>
#include <memory>

#include "reports/vietnamese.h"

namespace docket::documents {
namespace {

constexpr double kMargin = 8;
constexpr double kLegendHeight = 48;
constexpr double kMaxRowHeight = 64;
constexpr double kMinRowHeight = 18;
constexpr double kHeightPerWidth = 1.3;

struct SurfaceFree {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct ContextFree {
  void operator()(cairo_t* context) const { cairo_destroy(context); }
};

void set_colour(cairo_t* cr, std::uint32_t rgb) {
  cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0);
}

double text_width(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t extents;
  cairo_text_extents(cr, text.c_str(), &extents);
  return extents.x_advance;
}

// `text` cut at a character boundary with "…" so that it fits `room`.
std::string fitted(cairo_t* cr, const std::string& text, double room) {
  if (text_width(cr, text) <= room) return text;
  std::string cut = text;
  while (!cut.empty()) {
    std::size_t last = cut.size() - 1;  // the lead byte of the last character
    while (last > 0 && (static_cast<unsigned char>(cut[last]) & 0xC0) == 0x80) --last;
    cut.erase(last);
    if (text_width(cr, cut + "…") <= room) return cut + "…";
  }
  return "…";
}

cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct Layout {
  double row_height;
  double label_width;
  double bar_left;
  double bar_room;
  double font_size;
  int widest;
};

void draw_rows(cairo_t* cr, const BarChart& chart, const Layout& at) {
  const double bar_height = at.row_height * 0.8 / static_cast<double>(std::max<std::size_t>(1, chart.series.size()));
  double y = kMargin;
  for (const ChartRow& row : chart.rows) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, kMargin, y + at.row_height / 2 + at.font_size / 3);
    cairo_show_text(cr, fitted(cr, row.label, at.label_width - 2 * kMargin).c_str());
    double top = y + at.row_height * 0.1;
    for (std::size_t i = 0; i < chart.series.size() && i < row.values.size(); ++i) {
      const double width = at.bar_room * row.values[i] / at.widest;
      set_colour(cr, chart.series[i].colour);
      cairo_rectangle(cr, at.bar_left, top, std::max(width, row.values[i] > 0 ? 2.0 : 0.0), bar_height * 0.9);
      cairo_fill(cr);
      cairo_set_source_rgb(cr, 0, 0, 0);
      cairo_move_to(cr, at.bar_left + width + 6, top + bar_height * 0.45 + at.font_size * 0.35);
      cairo_show_text(cr, reports::vietnamese_number(row.values[i]).c_str());
      top += bar_height;
    }
    y += at.row_height;
  }
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);  // the axis
  cairo_rectangle(cr, at.bar_left - 1, kMargin, 1.5, y - kMargin);
  cairo_fill(cr);
}

void draw_legend(cairo_t* cr, const BarChart& chart, double y, double font_size) {
  double x = kMargin;
  for (const ChartSeries& series : chart.series) {
    set_colour(cr, series.colour);
    cairo_rectangle(cr, x, y + (kLegendHeight - font_size) / 2, font_size, font_size);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, x + font_size * 1.4, y + kLegendHeight / 2 + font_size / 3);
    cairo_show_text(cr, series.legend.c_str());
    x += font_size * 2.4 + text_width(cr, series.legend);
  }
}

}  // namespace

Result<ChartPicture> draw_bar_chart(const BarChart& chart, int width) {
  const auto rows = static_cast<double>(std::max<std::size_t>(1, chart.rows.size()));
  const double room = width * kHeightPerWidth - kLegendHeight - 2 * kMargin;
  Layout at{};
  at.row_height = std::clamp(room / rows, kMinRowHeight, kMaxRowHeight);
  at.font_size = std::min(22.0, at.row_height * 0.7);
  at.label_width = width * 0.38;
  at.bar_left = at.label_width;
  at.bar_room = width - at.bar_left - 90;
  at.widest = 1;
  for (const ChartRow& row : chart.rows)
    for (const int value : row.values) at.widest = std::max(at.widest, value);
  const int height = static_cast<int>(kMargin * 2 + rows * at.row_height + kLegendHeight);

  std::unique_ptr<cairo_surface_t, SurfaceFree> surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
  std::unique_ptr<cairo_t, ContextFree> cr(cairo_create(surface.get()));
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
    return make_error(ErrorCode::internal,
                      std::string("drawing a chart: ") + cairo_status_to_string(cairo_status(cr.get())));
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  // Liberation Sans (fonts-liberation2) holds every Vietnamese letter.
  cairo_select_font_face(cr.get(), "Liberation Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr.get(), at.font_size);
  draw_rows(cr.get(), chart, at);
  cairo_set_font_size(cr.get(), 22);
  draw_legend(cr.get(), chart, height - kLegendHeight - kMargin / 2, 22);
  cairo_surface_flush(surface.get());
  ChartPicture picture{"", width, height};
  const cairo_status_t written = cairo_surface_write_to_png_stream(surface.get(), append_png, &picture.png);
  if (written != CAIRO_STATUS_SUCCESS)
    return make_error(ErrorCode::internal, std::string("writing a chart as PNG: ") + cairo_status_to_string(written));
  return picture;
}

}  // namespace docket::documents
