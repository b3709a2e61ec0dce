#include "server/case_listing.h"

#include "core/text.h"
#include "core/time.h"

namespace docket::server {
namespace {

// In a list by due date the cursor is "<due_at>~<number>" ("~<number>" past the cases with a
// due date); by number it is the number itself, as it always was.
constexpr char kCursorSeparator = '~';

std::string cursor_of(const Case& last, CaseOrder order) {
  if (order == CaseOrder::number) return last.number;
  return (last.deadline ? format_timestamp(last.deadline->due_at) : std::string()) + kCursorSeparator + last.number;
}

Result<CasePageAfter> parse_cursor(const std::string& cursor, CaseOrder order) {
  if (cursor.empty() || order == CaseOrder::number) return CasePageAfter{cursor, ""};
  const std::size_t separator = cursor.rfind(kCursorSeparator);
  if (separator == std::string::npos || separator + 1 == cursor.size())
    return make_error(
        ErrorCode::invalid_argument,
        "cursor " + in_quotes(cursor) + " is not one a list sorted by due date gave (send its next_cursor)");
  return CasePageAfter{cursor.substr(separator + 1), cursor.substr(0, separator)};
}

// The store's query for `listing` at the reader's units, from its cursor.
Result<CasePageQuery> page_query(Workspace& workspace, const CaseListing& listing) {
  CasePageQuery query;
  query.filter = listing.filter;
  query.filter.after_number.clear();
  query.order = listing.order;
  query.descending = listing.descending;
  DOCKET_TRY(after, parse_cursor(listing.filter.after_number, listing.order));
  query.after = *after;
  const Timestamp now = workspace.clock().now();
  // due_at is the first moment the deadline is breached: overdue from then on.
  if (listing.overdue) query.due_to = format_timestamp(now);
  if (listing.due_within) {
    query.due_from = format_timestamp(now + std::chrono::seconds{1});
    query.due_to = format_timestamp(now + std::chrono::hours{24 * *listing.due_within});
  }
  return query;
}

}  // namespace

Result<CasePage> list_readable(Workspace& workspace, const Reader& reader, CaseListing listing) {
  const auto units = workspace.access().readable_units(reader);
  if (units) listing.filter.units = *units;        // none for an administrator: every unit
  if (units && units->empty()) return CasePage{};  // nothing to read
  DOCKET_TRY(query, page_query(workspace, listing));
  // Reads batches of limit + 1 until the page is full and one more readable case shows there are more.
  query->filter.limit = listing.limit + 1;
  CasePage page;
  for (;;) {
    auto batch = read_case_page(workspace.database(), *query);
    if (!batch) return batch.error();
    const bool exhausted = static_cast<int>(batch->size()) < query->filter.limit;
    if (!batch->empty())
      query->after = {batch->back().number,
                      batch->back().deadline ? format_timestamp(batch->back().deadline->due_at) : ""};
    for (Case& c : *batch) {
      if (!workspace.access().can_read(reader, c)) continue;
      if (static_cast<int>(page.cases.size()) == listing.limit) {
        page.more = true;
        page.next_cursor = cursor_of(page.cases.back(), listing.order);
        return page;
      }
      page.cases.push_back(std::move(c));
    }
    if (exhausted) return page;
  }
}

}  // namespace docket::server
