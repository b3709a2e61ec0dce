// The kept report facts (store/report_facts.h) against the reference fold (case_figures): for
// many generated histories of the shipped workflows, every period and cutoff gives the same
// figures, whether the facts were folded in one go, continued change after change from their
// stored bytes (as rows::save keeps them), or read back.
#include <gtest/gtest.h>

#include <random>

#include "core/state_machine.h"
#include "loader/workflow_loader.h"
#include "reports/figures.h"

namespace docket::reports {
namespace {

const WorkflowDefinition& shipped(const std::string& id) {
  static std::map<std::string, WorkflowDefinition> loaded;
  auto found = loaded.find(id);
  if (found == loaded.end()) {
    LoadedWorkflow file = load_workflow_file(std::string(DOCKET_WORKFLOWS_DIR) + "/" + id + ".json");
    EXPECT_TRUE(file.definition.has_value()) << id;
    found = loaded.emplace(id, *file.definition).first;
  }
  return found->second;
}

// A random history: not what the state machine would allow (no guards), but what the folds
// read: stages entered and left by the workflow's transitions (held ones among them), the form
// and the late-dossier dates set and cleared, due dates set, moved, breached and escalated,
// recommendations added, issued, answered, re-answered, marked unanswered and escalated, all
// at moments that mostly move on by hours or days, sometimes stay, sometimes step back.
class HistoryMaker {
 public:
  HistoryMaker(const WorkflowDefinition& definition, unsigned seed) : definition_(definition), random_(seed) {}

  std::vector<Event> make() {
    std::vector<Event> events;
    at_ = *parse_datetime("2025-06-01T00:00:00Z") + std::chrono::hours(pick(0, 24 * 400));
    const StageDefinition* initial = definition_.initial_stage();
    std::string stage = initial->id;
    events.push_back(
        {CaseOpened{"PB-2026-0001", definition_.id, definition_.version, "Vụ việc", "xa", stage, opening_fields()}, at_,
         "lan"});
    int recommendations = 0;
    const int length = pick(0, 40);
    for (int i = 0; i < length; ++i) {
      step();
      const int kind = pick(0, 13);
      EventPayload payload;
      if (kind <= 3) {
        const auto transitions = definition_.transitions_from(stage);
        if (transitions.empty()) {
          payload = CommentAdded{"x"};
        } else {
          const TransitionDefinition* chosen =
              transitions[static_cast<std::size_t>(pick(0, static_cast<int>(transitions.size()) - 1))];
          std::map<std::string, std::string> fields;
          if (pick(0, 3) == 0) fields = form_change();
          payload = StageChanged{chosen->id, stage, chosen->to, fields};
          stage = chosen->to;
        }
      } else if (kind == 4) {
        payload = FieldsSet{pick(0, 1) == 0 ? form_change() : dossier_change()};
      } else if (kind == 5 || kind == 6) {
        const Timestamp due_at = at_ + std::chrono::hours(pick(-48, 24 * 30));
        payload = pick(0, 6) == 0 ? DeadlineSet{stage, "", "", "", "cleared"}
                                  : DeadlineSet{pick(0, 5) == 0 ? "other" : stage, format_date(vietnam_date(due_at)),
                                                format_timestamp(due_at), "", "stage entered"};
      } else if (kind == 7) {
        payload = DeadlineBreached{stage, "2026-01-01"};
      } else if (kind == 8) {
        payload = CaseEscalated{stage, "2026-01-01", "standing_board", "tinh"};
      } else if (kind == 9) {
        payload = RecommendationAdded{++recommendations, "UBND", "Kiến nghị", pick(0, 2) == 0};
      } else if (kind == 10) {
        payload = RecommendationsIssued{{pick(1, recommendations + 1), pick(1, recommendations + 1)}};
      } else if (kind == 11) {
        static const RecommendationStatus answers[] = {
            RecommendationStatus::accepted, RecommendationStatus::partly_accepted, RecommendationStatus::not_accepted};
        payload = RecommendationAnswered{pick(1, recommendations + 1), answers[pick(0, 2)], "", ""};
      } else if (kind == 12) {
        payload = RecommendationUnanswered{pick(1, recommendations + 1)};
      } else {
        payload = RecommendationEscalated{pick(1, recommendations + 1)};
      }
      events.push_back({payload, at_, "lan"});
    }
    return events;
  }

  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }

 private:
  void step() {
    const int how = pick(0, 19);
    if (how == 0) return;                                  // the same second
    if (how == 1) at_ -= std::chrono::hours(pick(1, 72));  // a clock that stepped back
    at_ += how < 10 ? std::chrono::hours(pick(1, 30)) : std::chrono::hours(24 * pick(1, 40));
  }
  std::map<std::string, std::string> opening_fields() {
    std::map<std::string, std::string> fields = dossier_change();
    if (pick(0, 2) == 0) {
      const auto form = form_change();
      fields.insert(form.begin(), form.end());
    }
    for (auto it = fields.begin(); it != fields.end();) it = it->second.empty() ? fields.erase(it) : std::next(it);
    return fields;
  }
  std::map<std::string, std::string> form_change() {
    const FieldDefinition* form = definition_.form_field();
    if (form == nullptr) return {{"note", "x"}};
    const int choice = pick(-1, static_cast<int>(form->values.size()) - 1);
    return {{form->id, choice < 0 ? "" : form->values[static_cast<std::size_t>(choice)].id}};
  }
  std::map<std::string, std::string> dossier_change() {
    if (!definition_.late_dossier) return {{"note", "y"}};
    const auto day = [&](int offset) {
      return pick(0, 8) == 0 ? "" : format_date(vietnam_date(at_ + std::chrono::hours(24 * offset)));
    };
    return {{definition_.late_dossier->received, day(pick(-20, 5))}, {definition_.late_dossier->due, day(pick(0, 40))}};
  }

  const WorkflowDefinition& definition_;
  std::mt19937 random_;
  Timestamp at_{};
};

std::vector<ReportPeriod> some_periods() {
  std::vector<ReportPeriod> periods;
  for (const char* label : {"2025", "2026", "2027", "2025-H2", "2026-H1", "2026-H2", "2026-03-01..2026-03-31",
                            "2026-05-17..2026-05-17", "2025-12-31..2026-01-01"}) {
    periods.push_back(parse_period(label).value());
  }
  return periods;
}

std::string describe(const CaseFigures& figures) {
  const Figures& f = figures.figures;
  return std::string(figures.in_scope ? "in " : "out ") + "form=" + figures.form +
         " opened=" + std::to_string(f.opened) + " closed=" + std::to_string(f.closed) +
         " in_progress=" + std::to_string(f.in_progress) + " on_time=" + std::to_string(f.stages_on_time) +
         " late=" + std::to_string(f.stages_late) + " overdue=" + std::to_string(f.overdue_now) +
         " made=" + std::to_string(f.recommendations_made) + " answered=" + std::to_string(f.answered) +
         " escalated=" + std::to_string(f.escalated) + " days=" + std::to_string(f.answer_days) +
         " dialogues=" + std::to_string(f.dialogues_held) + " conferences=" + std::to_string(f.conferences_held) +
         " late_dossiers=" + std::to_string(f.late_dossiers);
}

TEST(ReportFactsTest, FactsGiveTheFoldsFiguresForEveryPeriodAndCutoff) {
  const std::vector<ReportPeriod> periods = some_periods();
  int compared = 0, counted = 0;
  for (const char* workflow : {"social-critique", "supervision"}) {
    const WorkflowDefinition& definition = shipped(workflow);
    for (unsigned seed = 1; seed <= 400; ++seed) {
      HistoryMaker maker(definition, seed);
      const std::vector<Event> history = maker.make();
      const ReportFacts facts = report_facts_of(definition, history);
      // Cutoffs: every event's moment and the second before it, and some others.
      std::vector<Timestamp> cutoffs;
      for (const Event& event : history) {
        cutoffs.push_back(event.at);
        cutoffs.push_back(event.at - std::chrono::seconds(1));
        cutoffs.push_back(event.at + std::chrono::hours(maker.pick(1, 24 * 20)));
      }
      for (const Timestamp cutoff : cutoffs) {
        for (const ReportPeriod& period : periods) {
          const CaseFigures expected = case_figures(definition, history, period, cutoff);
          const CaseFigures got = facts_figures(facts, period, cutoff);
          ASSERT_EQ(describe(got), describe(expected))
              << workflow << " seed " << seed << ", period " << period.label << ", cutoff " << format_timestamp(cutoff);
          ASSERT_EQ(got.figures, expected.figures);
          ++compared;
          if (expected.in_scope && expected.figures != Figures{}) ++counted;
        }
      }
    }
  }
  EXPECT_GT(compared, 100000);
  EXPECT_GT(counted, compared / 10);  // the histories do reach the periods
}

TEST(ReportFactsTest, FactsContinuedChangeAfterChangeFromTheirBytesEqualFactsFoldedAtOnce) {
  for (const char* workflow : {"social-critique", "supervision"}) {
    const WorkflowDefinition& definition = shipped(workflow);
    for (unsigned seed = 1; seed <= 300; ++seed) {
      HistoryMaker maker(definition, seed * 7919);
      const std::vector<Event> history = maker.make();
      // As the store keeps them: each change (one or more events) continues the stored facts
      // from the case's state before it.
      std::string stored;
      Case state;
      for (std::size_t next = 0; next < history.size();) {
        const std::size_t end = std::min(history.size(), next + static_cast<std::size_t>(maker.pick(1, 4)));
        std::optional<ReportFactsBuilder> builder;
        if (stored.empty()) {
          builder.emplace(definition);
        } else {
          auto kept = decode_report_facts(stored);
          ASSERT_TRUE(kept.has_value());
          builder.emplace(definition, std::move(*kept), state);
        }
        for (; next < end; ++next) {
          builder->add(history[next]);
          state = apply(std::move(state), history[next]);
        }
        stored = encode_report_facts(builder->facts());
      }
      EXPECT_EQ(stored, encode_report_facts(report_facts_of(definition, history))) << workflow << " seed " << seed;
    }
  }
}

TEST(ReportFactsTest, DamagedBytesAreRefusedNotMisread) {
  const WorkflowDefinition& definition = shipped("social-critique");
  HistoryMaker maker(definition, 42);
  const std::string bytes = encode_report_facts(report_facts_of(definition, maker.make()));
  ASSERT_TRUE(decode_report_facts(bytes).has_value());
  EXPECT_FALSE(decode_report_facts(bytes.substr(0, bytes.size() - 1)).has_value());
  EXPECT_FALSE(decode_report_facts(bytes + "x").has_value());
  EXPECT_FALSE(decode_report_facts("").has_value());
  EXPECT_FALSE(decode_report_facts("\x02" + bytes.substr(1)).has_value());  // another format version
}

}  // namespace
}  // namespace docket::reports
