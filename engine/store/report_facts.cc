#include "store/report_facts.h"

#include <algorithm>
#include <limits>

#include "core/state_machine.h"

namespace docket {
namespace {

constexpr std::int64_t kBreached = std::numeric_limits<std::int64_t>::min();  // overdue whatever the moment
constexpr unsigned char kFormatVersion = 1;

std::int64_t seconds_of(Timestamp at) { return at.time_since_epoch().count(); }

int day_number(Date day) { return static_cast<int>(std::chrono::sys_days{day}.time_since_epoch().count()); }

bool is_terminal(const WorkflowDefinition& definition, const std::string& stage) {
  const StageDefinition* found = definition.stage(stage);
  return found != nullptr && found->terminal;
}

bool is_recommendation_event(const EventPayload& payload) {
  return std::holds_alternative<RecommendationAdded>(payload) ||
         std::holds_alternative<RecommendationsIssued>(payload) ||
         std::holds_alternative<RecommendationAnswered>(payload) ||
         std::holds_alternative<RecommendationUnanswered>(payload) ||
         std::holds_alternative<RecommendationEscalated>(payload);
}

// What the case is now, as a report at a later cutoff sees it (figures.cc: form, overdue_now,
// late_dossiers).
ReportFacts::Snapshot snapshot_of(const WorkflowDefinition& definition, const Case& state, std::int64_t visible) {
  ReportFacts::Snapshot snapshot;
  snapshot.visible = visible;
  if (const FieldDefinition* form = definition.form_field()) {
    if (const auto value = state.fields.find(form->id); value != state.fields.end()) snapshot.form = value->second;
  }
  if (state.deadline) {
    if (state.deadline->breached) {
      snapshot.overdue_from = kBreached;
    } else if (state.deadline->due_at != Timestamp{}) {
      snapshot.overdue_from = seconds_of(state.deadline->due_at);
    }
  }
  if (definition.late_dossier) {
    const auto date_of = [&](const std::string& field) -> std::optional<Date> {
      const auto value = state.fields.find(field);
      return value == state.fields.end() ? std::nullopt : parse_date(value->second);
    };
    const auto received = date_of(definition.late_dossier->received);
    const auto due = date_of(definition.late_dossier->due);
    if (received && due && day_number(*due) - day_number(*received) < definition.late_dossier->days)
      snapshot.late_dossier_day = day_number(*received);
  }
  return snapshot;
}

// Whether the case, leaving its current stage at `at`, leaves it late; nullopt when the stage
// has no recorded due date (it is then not counted).
std::optional<bool> leaves_late(const Case& before, Timestamp at) {
  const std::optional<CaseDeadline>& deadline = before.deadline;
  if (!deadline || deadline->stage != before.stage || (!deadline->breached && deadline->due_at == Timestamp{}))
    return std::nullopt;
  return deadline->breached || (deadline->due_at != Timestamp{} && at >= deadline->due_at);
}

// What taking `moved` on `before` holds: a dialogue, a conference or nothing ("held": "form"
// goes by the form chosen before it).
Held held_by(const WorkflowDefinition& definition, const Case& before, const StageChanged& moved) {
  const TransitionDefinition* transition = definition.transition(moved.transition);
  if (transition == nullptr) return Held::nothing;
  if (transition->held != Held::form) return transition->held;
  const FieldDefinition* form = definition.form_field();
  const auto value = form == nullptr ? before.fields.end() : before.fields.find(form->id);
  if (value == before.fields.end()) return Held::nothing;
  return value->second == "dialogue"     ? Held::dialogue
         : value->second == "conference" ? Held::conference
                                         : Held::nothing;
}

// Appends `next` to a history of states kept from the moment each is visible, unless it is the
// same as the last one; one visible from the same moment as the last replaces it (a cutoff
// sees the later of the two).
template <typename Entry, typename Same>
void keep_change(std::vector<Entry>& entries, Entry next, Same same) {
  if (!entries.empty() && same(entries.back(), next)) return;
  if (!entries.empty() && entries.back().visible == next.visible) {
    entries.back() = std::move(next);
  } else {
    entries.push_back(std::move(next));
  }
}

// --- the stored form: a version byte, then variable-length integers (LEB128; signed ones
// zigzagged), moments as differences from the opening.

class Writer {
 public:
  void unsigned_int(std::uint64_t value) {
    while (value >= 0x80) {
      bytes_.push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    bytes_.push_back(static_cast<char>(value));
  }
  void signed_int(std::int64_t value) {
    unsigned_int((static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63));
  }
  void text(const std::string& value) {
    unsigned_int(value.size());
    bytes_ += value;
  }
  void raw(unsigned char byte) { bytes_.push_back(static_cast<char>(byte)); }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool at_end() const { return position_ == bytes_.size(); }

  std::uint64_t unsigned_int() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position_ >= bytes_.size()) return fail();
      const auto byte = static_cast<unsigned char>(bytes_[position_++]);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return fail();
  }
  std::int64_t signed_int() {
    const std::uint64_t value = unsigned_int();
    return static_cast<std::int64_t>((value >> 1) ^ (~(value & 1) + 1));
  }
  std::string text() {
    const std::uint64_t size = unsigned_int();
    if (!ok_ || size > bytes_.size() - position_) return fail(), std::string();
    std::string value(bytes_.substr(position_, size));
    position_ += size;
    return value;
  }
  // A count of entries that each take at least one byte: more than are left is damage.
  std::size_t count() {
    const std::uint64_t value = unsigned_int();
    if (value > bytes_.size() - position_) return fail(), 0;
    return static_cast<std::size_t>(value);
  }
  unsigned char raw() {
    if (position_ >= bytes_.size()) return fail(), 0;
    return static_cast<unsigned char>(bytes_[position_++]);
  }

 private:
  std::uint64_t fail() {
    ok_ = false;
    position_ = bytes_.size();
    return 0;
  }
  std::string_view bytes_;
  std::size_t position_ = 0;
  bool ok_ = true;
};

}  // namespace

int vietnam_day(std::int64_t seconds) {
  constexpr std::int64_t kDay = 86400;
  const std::int64_t local = seconds + std::chrono::duration_cast<std::chrono::seconds>(kVietnamOffset).count();
  return static_cast<int>(local >= 0 ? local / kDay : -((-local + kDay - 1) / kDay));
}

void ReportFactsBuilder::add(const Event& event) {
  const std::int64_t at = seconds_of(event.at);
  if (std::holds_alternative<CaseOpened>(event.payload) && state_.number.empty()) {
    facts_.opened_at = at;
    facts_.horizon = at;
  }
  facts_.horizon = std::max(facts_.horizon, at);
  const std::int64_t visible = facts_.horizon;
  // What the event does to the case as it was before it...
  const auto* moved = std::get_if<StageChanged>(&event.payload);
  if (moved != nullptr) {
    if (const auto late = leaves_late(state_, event.at)) facts_.stages_left.push_back({at, visible, *late});
    const Held held = held_by(definition_, state_, *moved);
    if (held != Held::nothing) facts_.held.push_back({at, visible, held == Held::conference});
  }
  if (const auto* escalated = std::get_if<RecommendationEscalated>(&event.payload)) {
    const bool known = std::any_of(facts_.escalations.begin(), facts_.escalations.end(),
                                   [&](const ReportFacts::Escalation& e) { return e.number == escalated->number; });
    if (!known) facts_.escalations.push_back({escalated->number, visible});
  }
  // ... and what the case is after it.
  state_ = apply(std::move(state_), event);
  if (moved != nullptr && !facts_.closed_at && is_terminal(definition_, state_.stage)) {
    facts_.closed_at = at;
    facts_.closed_visible = visible;
  }
  if (is_recommendation_event(event.payload)) record_recommendations(visible);
  keep_change(facts_.snapshots, snapshot_of(definition_, state_, visible),
              [](const ReportFacts::Snapshot& last, const ReportFacts::Snapshot& next) {
                return last.form == next.form && last.overdue_from == next.overdue_from &&
                       last.late_dossier_day == next.late_dossier_day;
              });
}

void ReportFactsBuilder::record_recommendations(std::int64_t visible) {
  // The recommendations of the state and of the facts are added in the same order.
  for (std::size_t i = 0; i < state_.recommendations.size(); ++i) {
    const Recommendation& now = state_.recommendations[i];
    if (i == facts_.recommendations.size()) facts_.recommendations.push_back({now.number, seconds_of(now.made_at), {}});
    ReportFacts::RecommendationState current{visible, now.status, std::nullopt};
    if (now.answered_at) current.answered_at = seconds_of(*now.answered_at);
    keep_change(facts_.recommendations[i].states, current,
                [](const ReportFacts::RecommendationState& last, const ReportFacts::RecommendationState& next) {
                  return last.status == next.status && last.answered_at == next.answered_at;
                });
  }
}

ReportFacts report_facts_of(const WorkflowDefinition& definition, const std::vector<Event>& history) {
  ReportFactsBuilder builder(definition);
  for (const Event& event : history) builder.add(event);
  return builder.facts();
}

// Snapshot tags: how the moment it is overdue from is written, whether a late dossier day
// follows, whether the form is the previous snapshot's (not written again).
constexpr unsigned kOverdueNone = 0, kOverdueAt = 1, kOverdueBreached = 2, kLateDossier = 4, kSameForm = 8;

std::string encode_report_facts(const ReportFacts& facts) {
  Writer out;
  out.raw(kFormatVersion);
  const std::int64_t base = facts.opened_at;
  const int base_day = vietnam_day(base);
  out.signed_int(base);
  out.signed_int(facts.horizon - base);
  out.unsigned_int(facts.closed_at ? 1 : 0);
  if (facts.closed_at) {
    out.signed_int(*facts.closed_at - base);
    out.signed_int(facts.closed_visible - *facts.closed_at);
  }
  // A moment, the moment it is visible from (mostly the same) and a flag, in two numbers.
  const auto dated = [&](std::int64_t at, std::int64_t visible, bool flag) {
    out.signed_int(at - base);
    out.unsigned_int(((static_cast<std::uint64_t>(visible - at)) << 1) | (flag ? 1 : 0));
  };
  out.unsigned_int(facts.stages_left.size());
  for (const auto& left : facts.stages_left) dated(left.at, left.visible, left.late);
  out.unsigned_int(facts.held.size());
  for (const auto& held : facts.held) dated(held.at, held.visible, held.conference);
  out.unsigned_int(facts.recommendations.size());
  for (const auto& recommendation : facts.recommendations) {
    out.signed_int(recommendation.number);
    out.signed_int(recommendation.made_at - base);
    out.unsigned_int(recommendation.states.size());
    for (const auto& state : recommendation.states) {
      out.signed_int(state.visible - recommendation.made_at);
      out.unsigned_int((static_cast<std::uint64_t>(state.status) << 1) | (state.answered_at ? 1 : 0));
      if (state.answered_at) out.signed_int(*state.answered_at - state.visible);
    }
  }
  out.unsigned_int(facts.escalations.size());
  for (const auto& escalation : facts.escalations) {
    out.signed_int(escalation.number);
    out.signed_int(escalation.visible - base);
  }
  out.unsigned_int(facts.snapshots.size());
  std::int64_t previous = base;
  const std::string* form = nullptr;
  for (const auto& snapshot : facts.snapshots) {
    unsigned tag = !snapshot.overdue_from                ? kOverdueNone
                   : *snapshot.overdue_from == kBreached ? kOverdueBreached
                                                         : kOverdueAt;
    if (snapshot.late_dossier_day) tag |= kLateDossier;
    if (form != nullptr && *form == snapshot.form) tag |= kSameForm;
    out.unsigned_int(tag);
    out.signed_int(snapshot.visible - previous);
    if ((tag & kSameForm) == 0) out.text(snapshot.form);
    if ((tag & 3) == kOverdueAt) out.signed_int(*snapshot.overdue_from - snapshot.visible);
    if (snapshot.late_dossier_day) out.signed_int(*snapshot.late_dossier_day - base_day);
    previous = snapshot.visible;
    form = &snapshot.form;
  }
  return out.take();
}

std::optional<ReportFacts> decode_report_facts(std::string_view bytes) {
  Reader in(bytes);
  if (in.raw() != kFormatVersion) return std::nullopt;
  ReportFacts facts;
  const std::int64_t base = in.signed_int();
  const int base_day = vietnam_day(base);
  facts.opened_at = base;
  facts.horizon = base + in.signed_int();
  if (in.unsigned_int() == 1) {
    facts.closed_at = base + in.signed_int();
    facts.closed_visible = *facts.closed_at + in.signed_int();
  }
  const auto dated = [&](std::int64_t& at, std::int64_t& visible, bool& flag) {
    at = base + in.signed_int();
    const std::uint64_t packed = in.unsigned_int();
    visible = at + static_cast<std::int64_t>(packed >> 1);
    flag = (packed & 1) != 0;
  };
  facts.stages_left.resize(in.count());
  for (auto& left : facts.stages_left) dated(left.at, left.visible, left.late);
  facts.held.resize(in.count());
  for (auto& held : facts.held) dated(held.at, held.visible, held.conference);
  facts.recommendations.resize(in.count());
  for (auto& recommendation : facts.recommendations) {
    recommendation.number = static_cast<int>(in.signed_int());
    recommendation.made_at = base + in.signed_int();
    recommendation.states.resize(in.count());
    for (auto& state : recommendation.states) {
      state.visible = recommendation.made_at + in.signed_int();
      const std::uint64_t packed = in.unsigned_int();
      if ((packed >> 1) > static_cast<std::uint64_t>(RecommendationStatus::draft)) return std::nullopt;
      state.status = static_cast<RecommendationStatus>(packed >> 1);
      if ((packed & 1) != 0) state.answered_at = state.visible + in.signed_int();
    }
  }
  facts.escalations.resize(in.count());
  for (auto& escalation : facts.escalations) {
    escalation.number = static_cast<int>(in.signed_int());
    escalation.visible = base + in.signed_int();
  }
  facts.snapshots.resize(in.count());
  std::int64_t previous = base;
  const std::string* form = nullptr;
  for (auto& snapshot : facts.snapshots) {
    const std::uint64_t tag = in.unsigned_int();
    if (tag > 15 || (tag & 3) == 3 || ((tag & kSameForm) != 0 && form == nullptr)) return std::nullopt;
    snapshot.visible = previous + in.signed_int();
    snapshot.form = (tag & kSameForm) != 0 ? *form : in.text();
    if ((tag & 3) == kOverdueAt) snapshot.overdue_from = snapshot.visible + in.signed_int();
    if ((tag & 3) == kOverdueBreached) snapshot.overdue_from = kBreached;
    if ((tag & kLateDossier) != 0) snapshot.late_dossier_day = base_day + static_cast<int>(in.signed_int());
    previous = snapshot.visible;
    form = &snapshot.form;
  }
  if (!in.ok() || !in.at_end()) return std::nullopt;
  return facts;
}

}  // namespace docket
