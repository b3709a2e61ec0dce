#include "progress.h"

#include <algorithm>

namespace docket::cli {
namespace {

constexpr auto kEvery = std::chrono::milliseconds(100);
constexpr std::string_view kReturnAndClear = "\r\x1b[K";  // to the line's start, erase to its end

}  // namespace

Progress::Progress(std::ostream& err, bool enabled, std::string task)
    : err_(err), enabled_(enabled), task_(std::move(task)) {}

Progress::~Progress() { clear(); }

void Progress::clear() {
  if (shown_) err_ << kReturnAndClear << std::flush;
  shown_ = false;
}

void Progress::step(std::string_view what) {
  if (enabled_) show(task_ + ": " + std::string(what));
}

void Progress::count(std::int64_t done, std::int64_t total, std::string_view unit) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (shown_ && now - last_ < kEvery) return;
  std::string text = task_ + ": " + std::to_string(done);
  if (total > 0) text += " of " + std::to_string(total);
  show(text + " " + std::string(unit));
}

void Progress::show(const std::string& text) {
  err_ << kReturnAndClear << text << std::flush;
  shown_ = true;
  last_ = std::chrono::steady_clock::now();
}

LineCounter::LineCounter(std::streambuf* target, Progress& progress, std::string unit)
    : target_(target), progress_(progress), unit_(std::move(unit)) {}

LineCounter::int_type LineCounter::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char byte = traits_type::to_char_type(c);
  return xsputn(&byte, 1) == 1 ? c : traits_type::eof();
}

std::streamsize LineCounter::xsputn(const char* text, std::streamsize count) {
  const auto lines = std::count(text, text + count, '\n');
  if (lines > 0) {
    lines_ += lines;
    progress_.count(lines_, 0, unit_);
  }
  return target_->sputn(text, count);
}

int LineCounter::sync() { return target_->pubsync(); }

}  // namespace docket::cli
