#include "server/conditional.h"

#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <charconv>

#include "server/api_types.h"

namespace docket::server {
namespace {

std::string header(const Response& response, http::field name) {
  const auto found = response.find(name);
  return found == response.end() ? std::string() : std::string(found->value());
}

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || problem != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string field(const Request& request, http::field name) {
  const auto found = request.find(name);
  return found == request.end() ? std::string() : std::string(found->value());
}

void not_modified(Response& response) {
  response.result(http::status::not_modified);
  response.body().clear();
  // A 304 carries what a 200 would (ETag, Cache-Control, Date, Vary), not the representation's
  // own metadata (RFC 9110 15.4.5).
  response.erase(http::field::content_type);
  response.erase(http::field::content_disposition);
}

void partial(Response& response, std::optional<ByteRange> range, std::uint64_t length) {
  if (!range) {
    ApiResponse refused =
        error_response(http::status::range_not_satisfiable, "range_not_satisfiable",
                       "the range starts past the end of the " + std::to_string(length) + " bytes there are");
    response.result(refused.status);
    response.set(http::field::content_type, refused.content_type);
    response.set(http::field::content_range, "bytes */" + std::to_string(length));
    response.erase(http::field::content_disposition);
    response.body() = std::move(refused.body);
    return;
  }
  response.result(http::status::partial_content);
  response.set(http::field::content_range, "bytes " + std::to_string(range->first) + "-" + std::to_string(range->last) +
                                               "/" + std::to_string(length));
  response.body() = response.body().substr(range->first, range->last - range->first + 1);
}

}  // namespace

std::string_view trim_whitespace(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

std::optional<EntityTag> parse_entity_tag(std::string_view value) {
  value = trim_whitespace(value);
  EntityTag tag;
  tag.weak = value.rfind("W/", 0) == 0;
  if (tag.weak) value.remove_prefix(2);
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::nullopt;
  tag.opaque = value.substr(1, value.size() - 2);
  const bool etagc = std::all_of(tag.opaque.begin(), tag.opaque.end(), [](unsigned char c) {
    return c == 0x21 || (c >= 0x23 && c != 0x7f);  // no quote, space or control character
  });
  return etagc ? std::optional(tag) : std::nullopt;
}

bool none_match(std::string_view condition, std::string_view etag) {
  if (trim_whitespace(condition) == "*") return true;
  const auto wanted = parse_entity_tag(etag);
  if (!wanted) return false;
  while (!condition.empty()) {
    const std::size_t comma = condition.find(',');
    const auto tag = parse_entity_tag(condition.substr(0, comma));
    if (tag && tag->opaque == wanted->opaque) return true;  // the weak comparison
    condition = comma == std::string_view::npos ? std::string_view() : condition.substr(comma + 1);
  }
  return false;
}

RangeAnswer byte_range(std::string_view value, std::uint64_t length, ByteRange* range) {
  value = trim_whitespace(value);
  if (value.size() < 6 || !boost::beast::iequals(value.substr(0, 6), "bytes=")) return RangeAnswer::whole;
  value = trim_whitespace(value.substr(6));
  const std::size_t dash = value.find('-');
  if (dash == std::string_view::npos || value.find(',') != std::string_view::npos) return RangeAnswer::whole;
  const auto first = number(trim_whitespace(value.substr(0, dash)));
  const std::string_view last_text = trim_whitespace(value.substr(dash + 1));
  const auto last = number(last_text);
  if (!first) {  // bytes=-n: the last n bytes
    if (!last || dash != 0) return RangeAnswer::whole;
    if (*last == 0 || length == 0) return RangeAnswer::unsatisfiable;
    *range = {length - std::min(*last, length), length - 1};
    return RangeAnswer::part;
  }
  if (!last_text.empty() && (!last || *last < *first)) return RangeAnswer::whole;
  if (*first >= length) return RangeAnswer::unsatisfiable;
  *range = {*first, last ? std::min(*last, length - 1) : length - 1};
  return RangeAnswer::part;
}

Preconditions preconditions_of(const Request& request) {
  return {field(request, http::field::if_none_match), field(request, http::field::range),
          field(request, http::field::if_range)};
}

void apply_preconditions(const Preconditions& sent, Response& response) {
  if (response.result() != http::status::ok) return;
  const std::string etag = header(response, http::field::etag);
  if (!sent.if_none_match.empty()) {
    if (none_match(sent.if_none_match, etag)) not_modified(response);
    return;  // a client that holds a copy asks for all of it or nothing (RFC 9110 13.2.2)
  }
  if (sent.range.empty() || !boost::beast::iequals(header(response, http::field::accept_ranges), "bytes")) return;
  // If-Range: the range only of the representation the client holds part of (a strong ETag,
  // compared strongly); the whole of any other.
  if (!sent.if_range.empty() && (trim_whitespace(sent.if_range) != etag || etag.rfind("W/", 0) == 0)) return;
  const std::uint64_t length = response.body().size();
  ByteRange range;
  switch (byte_range(sent.range, length, &range)) {
    case RangeAnswer::part:
      return partial(response, range, length);
    case RangeAnswer::unsatisfiable:
      return partial(response, std::nullopt, length);
    case RangeAnswer::whole:
      return;
  }
}

}  // namespace docket::server
