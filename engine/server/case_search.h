// Full-text search as one user sees it: the index's ranked matches (store/search_index.h)
// without the cases the user may not read (store/access_policy.h); an administrator sees every case. The
// API (GET /api/v1/search) and the CLI (`docket search --as USER`) both search through here,
// so both show a user the same cases. Runs on the thread that owns `workspace`.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>
#include <vector>

#include "store/search_index.h"
#include "workspace/workspace.h"

namespace docket::server {

struct SearchPage {
  std::vector<SearchHit> hits;
  std::optional<int> next_offset;  // where the next page starts (for query.offset); none: no more
};

// Up to `limit` matches of `query` that `reader` may read, best first, from ranked match
// query.offset on (query.limit and query.units are set here). Cases the user may not read are
// skipped without shortening the page. Errors: invalid_argument for a query that cannot be
// searched (see SearchIndex::search). Errors: busy, storage.
Result<SearchPage> search_readable(Workspace& workspace, const Reader& reader, SearchQuery query, int limit);

// One match as GET /api/v1/search lists it: {"case": the case as a list item (write_case),
// "snippet", "score"}. The CLI's `search --format json` writes the same objects.
void write_search_hit(rapidjson::Writer<rapidjson::StringBuffer>& json, Workspace& workspace, const SearchHit& hit);

}  // namespace docket::server
