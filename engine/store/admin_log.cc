#include "store/admin_log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <vector>

#include "store/internal/event_codec.h"
#include "store/internal/hash.h"

namespace docket {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_text(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// A std::map is in byte order of its keys (ASCII names): written straight out, it is canonical.
std::string encode_payload(const AdminPayload& payload) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  for (const auto& [name, value] : payload) {
    writer.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
    if (const auto* text = std::get_if<std::string>(&value)) {
      write_text(writer, *text);
    } else {
      writer.Int64(std::get<std::int64_t>(value));
    }
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

struct Tip {
  std::int64_t seq = 0;
  Digest hash{};
};

Tip read_tip(Database& database) {
  CachedStatement query = database.prepare("SELECT seq, hash FROM admin_log_tip WHERE one = 1");
  if (!query->executeStep()) return Tip{};
  return Tip{
      query->getColumn(0).getInt64(),
      digest_from_bytes(query->getColumn(1).getBlob(), static_cast<std::size_t>(query->getColumn(1).getBytes()))};
}

AdminEvent read_event(SQLite::Statement& query) {
  return AdminEvent{query.getColumn(0).getInt64(), query.getColumn(1).getString(), query.getColumn(2).getString(),
                    query.getColumn(3).getString(), query.getColumn(4).getString()};
}

Digest column_digest(const SQLite::Column& column) {
  return digest_from_bytes(column.getBlob(), static_cast<std::size_t>(column.getBytes()));
}

constexpr const char* kEventsInOrder = "SELECT seq, type, at, actor, payload, hash FROM admin_events ORDER BY seq";

}  // namespace

std::string canonical_admin_event_bytes(const AdminEvent& event) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();  // members in byte order of their names
  writer.Key("actor"), write_text(writer, event.actor);
  writer.Key("at"), write_text(writer, event.at);
  writer.Key("payload"), writer.RawValue(event.payload_json.data(), event.payload_json.size(), rapidjson::kObjectType);
  writer.Key("seq"), writer.Int64(event.seq);
  writer.Key("type"), write_text(writer, event.type);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Status record_admin_event(Database& database, std::string_view type, const std::string& actor, Timestamp at,
                          const AdminPayload& payload) {
  return catch_storage_errors(database, [&]() -> Status {
    const Tip tip = read_tip(database);
    const AdminEvent event{tip.seq + 1, std::string(type), format_timestamp(at), actor, encode_payload(payload)};
    const Digest hash = sha256(tip.hash, canonical_admin_event_bytes(event));
    CachedStatement insert =
        database.prepare("INSERT INTO admin_events (seq, type, at, actor, payload, hash) VALUES (?, ?, ?, ?, ?, ?)");
    insert->bind(1, event.seq);
    insert->bind(2, event.type);
    insert->bind(3, event.at);
    insert->bind(4, event.actor);
    insert->bind(5, event.payload_json);
    insert->bind(6, hash.data(), static_cast<int>(hash.size()));
    insert->exec();
    CachedStatement move_tip = database.prepare(
        "INSERT INTO admin_log_tip (one, seq, hash) VALUES (1, ?, ?) "
        "ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash");
    move_tip->bind(1, event.seq);
    move_tip->bind(2, hash.data(), static_cast<int>(hash.size()));
    move_tip->exec();
    return Ok{};
  });
}

Result<AdminLogReport> verify_admin_log(Database& database) {
  return catch_storage_errors(database, [&]() -> Result<AdminLogReport> {
    const Database::ReadSnapshot snapshot(database);  // the events and the tip of one commit
    AdminLogReport report;
    Digest hash{};
    SQLite::Statement query(database.sql(), kEventsInOrder);
    while (query.executeStep()) {
      const AdminEvent event = read_event(query);
      const auto broken = [&](std::string problem) {
        return AdminLogReport{false, report.events_checked, event.seq, std::move(problem)};
      };
      if (event.seq != report.events_checked + 1)
        return broken("an administrative event is missing before it (expected sequence " +
                      std::to_string(report.events_checked + 1) + ")");
      // As for the case log (store/audit_state.h): the export's verifier re-serialises it.
      if (canonicalize_json(event.payload_json) != event.payload_json)
        return broken("its payload is not in canonical form (docs/audit.md)");
      hash = sha256(hash, canonical_admin_event_bytes(event));
      if (hash != column_digest(query.getColumn(5)))
        return broken("its stored hash does not match its content: the event was changed");
      ++report.events_checked;
    }
    const Tip tip = read_tip(database);
    if (tip.seq != report.events_checked || tip.hash != hash) {
      return AdminLogReport{
          false, report.events_checked, 0,
          "the administrative log ends early: its newest events are missing (the tip names sequence " +
              std::to_string(tip.seq) + ")"};
    }
    return report;
  });
}

Result<std::vector<AdminEvent>> admin_events(Database& database) {
  return catch_storage_errors(database, [&]() -> Result<std::vector<AdminEvent>> {
    std::vector<AdminEvent> events;
    SQLite::Statement query(database.sql(), kEventsInOrder);
    while (query.executeStep()) events.push_back(read_event(query));
    return events;
  });
}

Status export_admin_log(Database& database, std::ostream& out) {
  return catch_storage_errors(database, [&]() -> Status {
    SQLite::Statement query(database.sql(), kEventsInOrder);
    Digest previous{};
    while (query.executeStep()) {
      const AdminEvent event = read_event(query);
      const Digest hash = column_digest(query.getColumn(5));
      rapidjson::StringBuffer buffer;
      Writer line(buffer);
      line.StartObject();
      line.Key("seq"), line.Int64(event.seq);
      line.Key("type"), write_text(line, event.type);
      line.Key("at"), write_text(line, event.at);
      line.Key("actor"), write_text(line, event.actor);
      line.Key("payload"), line.RawValue(event.payload_json.data(), event.payload_json.size(), rapidjson::kObjectType);
      line.Key("prev_hash"), write_text(line, to_hex(previous));
      line.Key("hash"), write_text(line, to_hex(hash));
      line.EndObject();
      out << buffer.GetString() << '\n';
      previous = hash;
    }
    return Ok{};
  });
}

}  // namespace docket
