#include "workspace/issue_document.h"

#include "store/outgoing_register.h"

namespace docket {
namespace {

constexpr int kAttempts = 20;  // each round, one of the issuers at once gets its number

// The number the register of `unit` gives next for `register_kind` in `year` (Vietnam).
Result<int> next_number(Workspace& workspace, const std::string& unit, const std::string& register_kind, int year) {
  auto entries = read_outgoing_register(workspace.database(), RegisterQuery{unit, year, register_kind});
  if (!entries) return entries.error();
  return entries->empty() ? 1 : entries->back().number + 1;
}

}  // namespace

Result<IssuedDocument> issue_document(Workspace& workspace, const Reader& reader, const IssueRequest& request,
                                      const RenderIssued& render) {
  for (int attempt = 1;; ++attempt) {
    auto current = workspace.cases().read(request.case_number);
    if (!current || !workspace.access().can_read(reader, **current)) return unknown_case(request.case_number);
    const int year = static_cast<int>(vietnam_date(workspace.clock().now()).year());
    DOCKET_TRY(number, next_number(workspace, (*current)->unit, request.register_kind, year));
    DOCKET_TRY(content, render(**current, std::to_string(*number)));
    Upload upload{request.file_name, guess_media_type(request.file_name), *content};
    IssueDocument issue{request.kind,
                        request.register_kind,
                        request.symbol,
                        request.title,
                        upload.file_name,
                        upload.sha256(),
                        static_cast<std::int64_t>(upload.content.size()),
                        upload.media_type,
                        *number,
                        0};
    auto issued = workspace.cases().execute_as_reader(reader, request.case_number, {issue}, std::nullopt, {upload});
    if (issued) {
      return IssuedDocument{std::to_string(*number) + "/" + request.symbol, std::move(upload.content),
                            std::move(*issued)};
    }
    // Another issuer took the number between reading and writing: render again with the next.
    if (issued.error().code != ErrorCode::conflict || attempt == kAttempts) return issued.error();
  }
}

}  // namespace docket
