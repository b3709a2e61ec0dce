#include "core/text.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace docket {
namespace {

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

const utf8proc_uint8_t* bytes_of(std::string_view text) {
  return reinterpret_cast<const utf8proc_uint8_t*>(text.data());
}

}  // namespace

std::size_t first_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    std::size_t length = 0;
    unsigned int code_point = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return i;
    }
    if (i + length > size) return i;
    for (std::size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return i;
      code_point = (code_point << 6) | (bytes[i + k] & 0x3F);
    }
    // Reject overlong forms, UTF-16 surrogates and code points past Unicode's end.
    static constexpr unsigned int kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinimum[length] || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

bool is_valid_utf8(std::string_view text) { return first_invalid_utf8(text) == std::string_view::npos; }

std::string to_nfc(std::string_view text) {
  if (is_ascii(text)) return std::string(text);  // ASCII is its own NFC; most text is
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t length = utf8proc_map(bytes_of(text), static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                                               static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(mapped, &std::free);
  if (length < 0) return std::string(text);  // not UTF-8: left for the check that names it
  return std::string(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  std::size_t cluster_width = 0;
  utf8proc_int32_t previous = -1;
  utf8proc_int32_t state = 0;
  while (!text.empty()) {
    utf8proc_int32_t code_point = 0;
    utf8proc_ssize_t length = utf8proc_iterate(bytes_of(text), static_cast<utf8proc_ssize_t>(text.size()), &code_point);
    int columns = 0;
    if (length <= 0) {  // an invalid byte: one column, and a cluster of its own
      length = 1;
      code_point = -1;
      columns = 1;
    } else {
      columns = std::max(0, utf8proc_charwidth(code_point));
    }
    const bool breaks =
        previous < 0 || code_point < 0 || utf8proc_grapheme_break_stateful(previous, code_point, &state);
    if (breaks) {
      width += cluster_width;
      cluster_width = 0;
    }
    cluster_width = std::max(cluster_width, static_cast<std::size_t>(columns));
    previous = code_point;
    text.remove_prefix(static_cast<std::size_t>(length));
  }
  return width + cluster_width;
}

std::string fold_stroked_d(std::string_view text) {
  // U+0110 Đ is C4 90 and U+0111 đ is C4 91 in UTF-8. C4 is only ever a lead byte, so the
  // pair is always one of those letters.
  std::string folded;
  folded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\xC4' && i + 1 < text.size() && (text[i + 1] == '\x90' || text[i + 1] == '\x91')) {
      folded += text[i + 1] == '\x90' ? 'D' : 'd';
      ++i;
    } else {
      folded += text[i];
    }
  }
  return folded;
}

std::string in_quotes(std::string_view value) {
  constexpr std::size_t kMaxShown = 80;
  std::string shown(value.substr(0, kMaxShown));
  if (value.size() > kMaxShown) {
    // Do not cut a multi-byte character in half.
    while (!shown.empty() && (static_cast<unsigned char>(shown.back()) & 0xC0) == 0x80) shown.pop_back();
    if (!shown.empty() && static_cast<unsigned char>(shown.back()) >= 0xC0) shown.pop_back();
    shown += "...";
  }
  return "\"" + shown + "\"";
}

}  // namespace docket
