// Reading a received message as a mail reader would: unfold headers, decode RFC 2047 words
// and a base64 body. Written apart from the production encoder (mime.cc) on purpose.
#include <openssl/evp.h>

#include <cctype>

#include "loopback_receivers.h"

namespace docket::testing {
namespace {

std::string base64_decode(const std::string& text) {
  std::string clean;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) clean += c;
  }
  std::string out(clean.size() / 4 * 3 + 3, '\0');
  const int size =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(clean.data()), static_cast<int>(clean.size()));
  if (size < 0) return "<bad base64>";
  std::size_t padding = 0;
  while (padding < clean.size() && padding < 2 && clean[clean.size() - 1 - padding] == '=') ++padding;
  out.resize(static_cast<std::size_t>(size) - padding);
  return out;
}

std::string q_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_') {
      out += ' ';
    } else if (text[i] == '=' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string decode_header_value(const std::string& value) {
  std::string out;
  std::string pending_space;  // whitespace between two encoded words is dropped (RFC 2047 6.2)
  bool after_word = false;
  std::size_t i = 0;
  while (i < value.size()) {
    const auto start = value.find("=?", i);
    const auto charset_end = start == std::string::npos ? start : value.find('?', start + 2);
    const auto text_start = charset_end == std::string::npos ? charset_end : value.find('?', charset_end + 1);
    const auto end = text_start == std::string::npos ? text_start : value.find("?=", text_start + 1);
    if (end == std::string::npos) {
      out += value.substr(i);
      break;
    }
    const std::string between = value.substr(i, start - i);
    const bool only_space = between.find_first_not_of(" \t\r\n") == std::string::npos;
    if (!(after_word && only_space)) out += between;
    const char encoding = static_cast<char>(std::toupper(static_cast<unsigned char>(value[charset_end + 1])));
    const std::string payload = value.substr(text_start + 1, end - text_start - 1);
    out += encoding == 'B' ? base64_decode(payload) : q_decode(payload);
    after_word = true;
    i = end + 2;
  }
  return out;
}

std::string header_of(const std::string& message, const std::string& name) {
  const std::string headers = message.substr(0, message.find("\r\n\r\n"));
  std::string unfolded;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    if (headers.compare(i, 2, "\r\n") == 0 && i + 2 < headers.size() &&
        (headers[i + 2] == ' ' || headers[i + 2] == '\t')) {
      i += 1;  // drop CRLF, keep the space
      continue;
    }
    unfolded += headers[i];
  }
  const std::string prefix = name + ": ";
  std::size_t line = 0;
  while (line < unfolded.size()) {
    const auto next = unfolded.find("\r\n", line);
    const std::string text = unfolded.substr(line, next == std::string::npos ? std::string::npos : next - line);
    if (text.rfind(prefix, 0) == 0) return text.substr(prefix.size());
    if (next == std::string::npos) break;
    line = next + 2;
  }
  return "";
}

std::string body_of(const std::string& message) {
  const auto split = message.find("\r\n\r\n");
  const std::string body = split == std::string::npos ? "" : message.substr(split + 4);
  return header_of(message, "Content-Transfer-Encoding") == "base64" ? base64_decode(body) : body;
}

std::vector<std::string> parts_of(const std::string& message) {
  const std::string type = header_of(message, "Content-Type");
  const auto quote = type.find("boundary=\"");
  if (quote == std::string::npos) return {};
  const std::string boundary = "--" + type.substr(quote + 10, type.find('"', quote + 10) - quote - 10);
  std::vector<std::string> parts;
  auto at = message.find(boundary + "\r\n");
  while (at != std::string::npos) {
    const auto start = at + boundary.size() + 2;
    const auto next = message.find("\r\n" + boundary, start);
    if (next == std::string::npos) break;
    parts.push_back(message.substr(start, next - start));
    at = message.compare(next + 2 + boundary.size(), 2, "--") == 0 ? std::string::npos : next + 2;
  }
  return parts;
}

}  // namespace docket::testing
