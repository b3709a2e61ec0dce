#include "server/case_search.h"

namespace docket::server {

Result<SearchPage> search_readable(Workspace& workspace, const Reader& reader, SearchQuery query, int limit) {
  SearchIndex index(workspace.database());
  SearchPage page;
  if (auto units = workspace.access().readable_units(reader)) {
    if (units->empty()) {  // no units means every unit to the index: answer here
      if (auto valid = index.match_expression(query.text); !valid) return valid.error();
      return page;
    }
    query.units = std::move(*units);
  }
  // In batches, until the page is full and one more readable match shows there are more.
  query.limit = limit + 1;
  for (;;) {
    auto batch = index.search(query);
    if (!batch) return batch.error();
    for (std::size_t i = 0; i < batch->size(); ++i) {
      SearchHit& hit = (*batch)[i];
      if (!workspace.access().can_read(reader, hit.state)) continue;
      if (static_cast<int>(page.hits.size()) == limit) {
        page.next_offset = query.offset + static_cast<int>(i);
        return page;
      }
      page.hits.push_back(std::move(hit));
    }
    if (static_cast<int>(batch->size()) < query.limit) return page;
    query.offset += static_cast<int>(batch->size());
  }
}

}  // namespace docket::server
