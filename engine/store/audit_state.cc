#include "store/audit_state.h"

#include <algorithm>
#include <optional>

#include "core/state_machine.h"
#include "core/text.h"
#include "store/internal/case_rows.h"
#include "store/internal/event_codec.h"
#include "store/internal/hash.h"

namespace docket {
namespace {

// The first column in which two states of one case differ.
struct Difference {
  std::string column, stored, folded;
};

class Comparison {
 public:
  // Records the difference when the first is found; later ones are not looked at.
  void text(const std::string& column, const std::string& stored, const std::string& folded) {
    if (!found_ && stored != folded) found_ = Difference{column, stored, folded};
  }
  void time(const std::string& column, Timestamp stored, Timestamp folded) {
    text(column, format_timestamp(stored), format_timestamp(folded));
  }
  void number(const std::string& column, std::int64_t stored, std::int64_t folded) {
    text(column, std::to_string(stored), std::to_string(folded));
  }
  const std::optional<Difference>& found() const { return found_; }

 private:
  std::optional<Difference> found_;
};

std::string describe(const std::optional<CaseDeadline>& deadline) {
  if (!deadline) return "none";
  std::string text = deadline->stage + " due " + deadline->due + " (" + format_timestamp(deadline->due_at) + ")";
  if (deadline->breached) text += ", breached";
  if (!deadline->escalated_to_role.empty() || !deadline->escalated_to_unit.empty())
    text += ", escalated to " + deadline->escalated_to_role + " at " + deadline->escalated_to_unit;
  if (!deadline->provisional.empty()) text += ", provisional: " + deadline->provisional;
  return text;
}

std::string describe(const std::map<std::string, std::string>& fields, const std::string& id) {
  const auto found = fields.find(id);
  return found == fields.end() ? "(not set)" : found->second;
}

void compare_fields(Comparison& compare, const Case& stored, const Case& folded) {
  std::vector<std::string> ids;
  for (const auto& entry : stored.fields) ids.push_back(entry.first);
  for (const auto& entry : folded.fields) ids.push_back(entry.first);
  std::sort(ids.begin(), ids.end());
  for (const std::string& id : ids)
    compare.text("field " + id, describe(stored.fields, id), describe(folded.fields, id));
}

void compare_recommendations(Comparison& compare, const Case& stored, const Case& folded) {
  compare.number("recommendations (count)", static_cast<std::int64_t>(stored.recommendations.size()),
                 static_cast<std::int64_t>(folded.recommendations.size()));
  const std::size_t both = std::min(stored.recommendations.size(), folded.recommendations.size());
  for (std::size_t i = 0; i < both; ++i) {
    const Recommendation& s = stored.recommendations[i];
    const Recommendation& f = folded.recommendations[i];
    const std::string name = "recommendation " + std::to_string(f.number) + " ";
    compare.number(name + "number", s.number, f.number);
    compare.text(name + "addressee", s.addressee, f.addressee);
    compare.text(name + "text", s.text, f.text);
    compare.text(name + "status", to_string(s.status), to_string(f.status));
    compare.time(name + "made_at", s.made_at, f.made_at);
    compare.text(name + "answer_text", s.answer_text, f.answer_text);
    compare.text(name + "answered_at", s.answered_at ? format_timestamp(*s.answered_at) : "(none)",
                 f.answered_at ? format_timestamp(*f.answered_at) : "(none)");
    compare.text(name + "reply_document", s.reply_document, f.reply_document);
  }
}

void compare_documents(Comparison& compare, const Case& stored, const Case& folded) {
  compare.number("documents (count)", static_cast<std::int64_t>(stored.documents.size()),
                 static_cast<std::int64_t>(folded.documents.size()));
  const std::size_t both = std::min(stored.documents.size(), folded.documents.size());
  for (std::size_t i = 0; i < both; ++i) {
    const DocumentRecord& s = stored.documents[i];
    const DocumentRecord& f = folded.documents[i];
    const std::string name = "document " + f.kind + " v" + std::to_string(f.version) + " ";
    compare.text(name + "kind", s.kind, f.kind);
    compare.number(name + "version", s.version, f.version);
    compare.text(name + "file_name", s.file_name, f.file_name);
    compare.text(name + "sha256", s.sha256, f.sha256);
    compare.number(name + "size", s.size, f.size);
    compare.text(name + "media_type", s.media_type, f.media_type);
    compare.time(name + "attached_at", s.attached_at, f.attached_at);
    compare.text(name + "attached_by", s.attached_by, f.attached_by);
    compare.text(name + "reference", s.reference, f.reference);
  }
}

// Every member of Case, in the order the API shows them.
std::optional<Difference> first_difference(const Case& stored, const Case& folded) {
  Comparison compare;
  compare.text("number", stored.number, folded.number);
  compare.text("workflow", stored.workflow_id, folded.workflow_id);
  compare.number("workflow_version", stored.workflow_version, folded.workflow_version);
  compare.text("title", stored.title, folded.title);
  compare.text("unit", stored.unit, folded.unit);
  compare.text("stage", stored.stage, folded.stage);
  compare.text("assignee", stored.assignee, folded.assignee);
  compare_fields(compare, stored, folded);
  compare.text("deadline", describe(stored.deadline), describe(folded.deadline));
  compare.number("version", stored.version, folded.version);
  compare.text("opened_by", stored.opened_by, folded.opened_by);
  compare.time("opened_at", stored.opened_at, folded.opened_at);
  compare.time("stage_entered_at", stored.stage_entered_at, folded.stage_entered_at);
  compare.time("updated_at", stored.updated_at, folded.updated_at);
  compare_recommendations(compare, stored, folded);
  compare_documents(compare, stored, folded);
  return compare.found();
}

// The order load_case gives: recommendations by number, documents as stored.
void order_like_stored(Case& folded) {
  std::stable_sort(folded.recommendations.begin(), folded.recommendations.end(),
                   [](const Recommendation& a, const Recommendation& b) { return a.number < b.number; });
  rows::order_as_stored(folded);
}

StateReport differs(const std::string& number, std::int64_t cases_checked, Difference difference) {
  StateReport report;
  report.ok = false;
  report.cases_checked = cases_checked;
  report.case_number = number;
  report.problem = "case " + number + ": its stored " + difference.column + " is " + in_quotes(difference.stored) +
                   " but its events give " + in_quotes(difference.folded) + ": the state was changed without an event";
  report.column = std::move(difference.column);
  report.stored = std::move(difference.stored);
  report.folded = std::move(difference.folded);
  return report;
}

// Folds the case's events into `folded`; the report of an event whose payload is not canonical.
Result<std::optional<StateReport>> fold_events(Database& database, std::int64_t case_id, const std::string& number,
                                               Case& folded) {
  CachedStatement events = database.prepare(
      "SELECT seq, case_seq, type, at, actor, payload FROM events WHERE case_id = ? ORDER BY case_seq");
  events->bind(1, static_cast<int64_t>(case_id));
  while (events->executeStep()) {
    const std::string type = events->getColumn(2).getString();
    const std::string payload = events->getColumn(5).getString();
    // The chains hash the payload as stored; a verifier that re-serialises it (the export's)
    // must hash the same bytes, so only the canonical form is accepted (docs/audit.md).
    if (canonicalize_json(payload) != payload) {
      StateReport report;
      report.ok = false;
      report.case_number = number;
      report.seq = events->getColumn(0).getInt64();
      report.case_seq = events->getColumn(1).getInt64();
      report.column = "payload";
      report.stored = payload;
      report.folded = canonicalize_json(payload).value_or("(not JSON)");
      report.problem = "event " + std::to_string(report.seq) + " (case " + number + ", sequence " +
                       std::to_string(report.case_seq) +
                       ") is broken: its payload is not in canonical form (docs/audit.md)";
      return std::optional<StateReport>(std::move(report));
    }
    DOCKET_TRY(decoded, decode_payload(type, payload));
    const Event event{std::move(*decoded), parse_datetime(events->getColumn(3).getString()).value_or(Timestamp{}),
                      events->getColumn(4).getString()};
    folded = apply(std::move(folded), event);
  }
  return std::optional<StateReport>();
}

// The case rows against their events, one case at a time.
Result<std::optional<StateReport>> verify_cases(Database& database, std::int64_t& cases_checked) {
  SQLite::Statement cases(database.sql(), "SELECT id, number FROM cases ORDER BY id");
  while (cases.executeStep()) {
    const std::int64_t id = cases.getColumn(0).getInt64();
    const std::string number = cases.getColumn(1).getString();
    Case folded;
    DOCKET_TRY(broken, fold_events(database, id, number, folded));
    if (*broken) return std::move(*broken);
    std::optional<rows::LoadedCase> stored = rows::load_case(database, number);
    if (!stored) return make_error(ErrorCode::internal, "case " + number + " vanished while it was verified");
    order_like_stored(folded);
    if (auto difference = first_difference(stored->state, folded))
      return std::optional<StateReport>(differs(number, cases_checked, std::move(*difference)));
    ++cases_checked;
  }
  return std::optional<StateReport>();
}

// A case that shows the document with this hash, to name it.
std::string shown_by(Database& database, const std::string& sha256) {
  CachedStatement query = database.prepare(
      "SELECT c.number, d.kind, d.version FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.sha256 = ? "
      "LIMIT 1");
  query->bind(1, sha256);
  if (!query->executeStep()) return "";
  return query->getColumn(0).getString() + " (" + query->getColumn(1).getString() + " v" +
         std::to_string(query->getColumn(2).getInt()) + ")";
}

// Every stored file against its SHA-256 and size, and every document against a stored file.
std::optional<StateReport> verify_documents(Database& database, std::int64_t& documents_checked) {
  const auto broken = [&](const std::string& sha256, std::string column, std::string stored, std::string recorded) {
    StateReport report;
    report.ok = false;
    report.documents_checked = documents_checked;
    const std::string where = shown_by(database, sha256);
    report.case_number = where.substr(0, where.find(' '));
    report.problem = "document " + sha256 + (where.empty() ? "" : " of case " + where) + ": its stored " + column +
                     " is " + in_quotes(stored) + " but " + in_quotes(recorded) +
                     " was recorded: the file was changed outside Docket";
    report.column = std::move(column);
    report.stored = std::move(stored);
    report.folded = std::move(recorded);
    return report;
  };
  SQLite::Statement blobs(database.sql(), "SELECT sha256, size, content FROM blobs");
  while (blobs.executeStep()) {
    const std::string sha256 = blobs.getColumn(0).getString();
    const SQLite::Column content = blobs.getColumn(2);
    const std::string_view bytes(static_cast<const char*>(content.getBlob()),
                                 static_cast<std::size_t>(content.getBytes()));
    if (const std::string actual = sha256_hex(bytes); actual != sha256)
      return broken(sha256, "bytes' SHA-256", actual, sha256);
    if (const std::int64_t size = blobs.getColumn(1).getInt64(); size != static_cast<std::int64_t>(bytes.size()))
      return broken(sha256, "size", std::to_string(bytes.size()), std::to_string(size));
    ++documents_checked;
  }
  SQLite::Statement orphans(
      database.sql(),
      "SELECT d.sha256 FROM documents d WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = d.sha256) LIMIT 1");
  if (orphans.executeStep()) {
    const std::string sha256 = orphans.getColumn(0).getString();
    return broken(sha256, "file", "(missing)", sha256);
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<std::string>> check_file_integrity(Database& database, int max_messages) {
  return catch_storage_errors(database, [&]() -> Result<std::vector<std::string>> {
    std::vector<std::string> messages;
    SQLite::Statement check(database.sql(), "PRAGMA integrity_check(" + std::to_string(max_messages) + ")");
    while (check.executeStep()) {
      std::string message = check.getColumn(0).getString();
      if (message != "ok") messages.push_back(std::move(message));
    }
    return messages;
  });
}

Result<StateReport> verify_case_state(Database& database) {
  return catch_storage_errors(database, [&]() -> Result<StateReport> {
    StateReport report;
    DOCKET_TRY(broken_case, verify_cases(database, report.cases_checked));
    if (*broken_case) return std::move(**broken_case);
    if (auto broken_document = verify_documents(database, report.documents_checked)) {
      broken_document->cases_checked = report.cases_checked;
      return std::move(*broken_document);
    }
    return report;
  });
}

}  // namespace docket
