// The timers table through the store: rows rewritten in place, the moments a timer stands for,
// the migration that carried them over, and timers a plugin sets when it fires.
#include <gtest/gtest.h>

#include "store/internal/event_codec.h"
#include "store/internal/plugin_host.h"
#include "store_fixture.h"

namespace docket {
namespace {

Timestamp at(const char* text) { return *parse_datetime(text); }

// A plugin that sets, when a case opens, one timer standing for three moments a day apart, and
// when that fires sets a follow-up without changing the case.
class ChainPlugin final : public Plugin {
 public:
  std::string_view name() const override { return "chain"; }
  Result<std::vector<Command>> after_change(const CaseChange& change, PluginContext& context) override {
    if (change.before.version != 0) return std::vector<Command>{};
    Timer timer;
    timer.case_number = change.after.number;
    timer.kind = "first";
    timer.stage = change.after.stage;
    timer.due_at = at("2026-04-01T00:00:00Z");
    timer.later_moments = {at("2026-04-02T00:00:00Z"), at("2026-04-03T00:00:00Z")};
    context.schedule(timer);
    return std::vector<Command>{};
  }
  Result<std::vector<Command>> on_timer(const Timer& timer, const WorkflowDefinition&, const Case&,
                                        PluginContext& context) override {
    if (timer.kind != "first") return std::vector<Command>{};
    Timer follow_up = timer;
    follow_up.kind = "follow-up";
    follow_up.due_at = at("2026-05-01T00:00:00Z");
    follow_up.later_moments.clear();
    context.schedule(follow_up);
    return std::vector<Command>{};
  }
};

class TimerRowsTest : public testing::StoreTest {
 protected:
  // The store with the chain plugin loaded (the fixture's has none).
  void load_chain_plugin() {
    store_ = std::make_unique<CaseStore>(*db_, catalog_, clock_, std::vector<Plugin*>{&plugin_});
  }
  std::int64_t moments_due_at(const char* now) {
    clock_.set(at(now));
    return store_->moments_due().value();
  }
  ChainPlugin plugin_;
  Calendar calendar_;
};

// The gauge of moments owed counts what the plugin said its timer stands for, without the store
// knowing how the plugin carries them.
TEST_F(TimerRowsTest, MomentsDueCountTheLaterMomentsAPluginDeclaredWhenItScheduled) {
  load_chain_plugin();
  const Case opened = open_critique();
  ASSERT_EQ(store_->pending_timers(opened.number).value().size(), 1u);
  EXPECT_EQ(store_->pending_timers(opened.number).value()[0].later_moments.size(), 2u);
  EXPECT_EQ(moments_due_at("2026-03-31T23:59:59Z"), 0);
  EXPECT_EQ(moments_due_at("2026-04-01T00:00:00Z"), 1);
  EXPECT_EQ(moments_due_at("2026-04-02T12:00:00Z"), 2);
  EXPECT_EQ(moments_due_at("2026-04-03T00:00:00Z"), 3);
}

// A timer that fires without changing the case still commits what its plugin scheduled, and is
// spent exactly once.
TEST_F(TimerRowsTest, AFiringThatChangesNothingStillWritesTheTimersItsPluginSet) {
  load_chain_plugin();
  const Case opened = open_critique();
  clock_.set(at("2026-04-01T00:00:00Z"));
  ASSERT_EQ(store_->fire_due_timers().value(), 1);
  const auto pending = store_->pending_timers(opened.number).value();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].kind, "follow-up");
  EXPECT_EQ(store_->get(opened.number).value().version, opened.version);
  EXPECT_EQ(store_->fire_due_timers().value(), 0);
}

// A database at schema 7 kept the deadlines plugin's later moments only inside its timers'
// payload; the migration gives them to the store.
TEST_F(TimerRowsTest, TheMigrationCarriesTheLaterMomentsOfPendingTimersOver) {
  load_chain_plugin();
  const Case opened = open_critique();
  store_.reset();
  db_->sql().exec("DELETE FROM timers");
  db_->sql().exec("ALTER TABLE timers DROP COLUMN later_due");
  // As the deadlines plugin wrote it: the later moments as JSON text in the "then" attribute.
  const std::string payload =
      encode_fields({{"due", "2026-04-05"},
                     {"then", R"([{"kind":"breach","due_at":"2026-04-04T17:00:00Z","attributes":{"due":"2026-04-05"}},)"
                              R"({"kind":"escalation","due_at":"2026-04-11T17:00:00Z","attributes":{"role":"x"}}])"}});
  {
    SQLite::Statement insert(db_->sql(),
                             "INSERT INTO timers (case_id, plugin, kind, stage, due_at, payload) "
                             "SELECT id, 'deadlines', 'reminder', stage, '2026-04-01T00:00:00Z', ? FROM cases");
    insert.bind(1, payload);
    insert.exec();
  }
  db_->sql().exec("PRAGMA user_version = 7");
  db_.reset();
  db_ = open_db();
  ASSERT_NE(db_, nullptr);
  EXPECT_EQ(db_->sql().execAndGet("PRAGMA user_version").getInt(), schema_version());
  store_ = std::make_unique<CaseStore>(*db_, catalog_, clock_);
  EXPECT_EQ(moments_due_at("2026-04-01T00:00:00Z"), 1);
  EXPECT_EQ(moments_due_at("2026-04-04T17:00:00Z"), 2);
  EXPECT_EQ(moments_due_at("2026-04-11T17:00:00Z"), 3);
  EXPECT_EQ(store_->pending_timers(opened.number).value()[0].later_moments,
            (std::vector<Timestamp>{at("2026-04-04T17:00:00Z"), at("2026-04-11T17:00:00Z")}));
}

// PluginHost::flush writes a moved deadline's timers over the rows of the cancelled ones; what
// is pending afterwards must be exactly what was scheduled, whatever the counts.
TEST_F(TimerRowsTest, TimersRescheduledOverCancelledOnesAreExactlyTheNewOnesAndFiredOnesStay) {
  const Case opened = open_critique();
  const std::int64_t case_id =
      db_->sql().execAndGet("SELECT id FROM cases WHERE number = '" + opened.number + "'").getInt64();
  const auto timer = [&](const std::string& kind, const char* due, const std::string& note) {
    Timer t;
    t.case_number = opened.number;
    t.kind = kind;
    t.stage = "assigned";
    t.due_at = at(due);
    t.attributes = {{"note", note}};
    return t;
  };
  const auto reschedule = [&](const std::string& plugin, const std::vector<Timer>& timers) {
    ASSERT_TRUE(db_->write([&]() -> Status {
                     PluginHost host(*db_, calendar_, clock_.now());
                     host.set_plugin(plugin);
                     host.cancel_timers(opened.number);
                     for (const Timer& t : timers) host.schedule(t);
                     return host.flush(case_id, 0);
                   })
                    .ok());
  };
  const auto pending = [&] {
    std::vector<std::string> found;
    for (const Timer& t : store_->pending_timers(opened.number).value())
      found.push_back(t.plugin + " " + t.kind + " " + t.stage + " " + format_timestamp(t.due_at) + " " +
                      t.attributes.at("note"));
    return found;
  };
  // Five pending (a plugin may keep several per case); the first one fires: it stays, marked,
  // whatever happens to the pending ones.
  reschedule("deadlines",
             {timer("reminder", "2026-06-19T01:00:00Z", "1"), timer("reminder", "2026-06-24T01:00:00Z", "2"),
              timer("reminder", "2026-06-26T01:00:00Z", "3"), timer("breach", "2026-06-29T17:00:00Z", "4"),
              timer("escalation", "2026-07-06T17:00:00Z", "5")});
  ASSERT_EQ(pending().size(), 5u);
  db_->sql().exec(
      "UPDATE timers SET fired_at = '2026-06-19T01:00:00Z' WHERE kind = 'reminder' AND due_at = "
      "'2026-06-19T01:00:00Z'");
  // Fewer than before (four pending): two rows are rewritten, two removed.
  reschedule("deadlines",
             {timer("breach", "2026-07-10T17:00:00Z", "hạn mới"), timer("reminder", "2026-07-01T01:00:00Z", "nhắc")});
  EXPECT_EQ(pending(), (std::vector<std::string>{"deadlines reminder assigned 2026-07-01T01:00:00Z nhắc",
                                                 "deadlines breach assigned 2026-07-10T17:00:00Z hạn mới"}));
  // Another plugin's timer is not the deadlines plugin's to cancel.
  reschedule("other", {timer("check", "2026-07-05T01:00:00Z", "của plugin khác")});
  // More than before: two rewritten, one added.
  reschedule("deadlines",
             {timer("reminder", "2026-08-01T01:00:00Z", "một"), timer("reminder", "2026-08-02T01:00:00Z", "hai"),
              timer("breach", "2026-08-03T17:00:00Z", "ba")});
  EXPECT_EQ(pending(), (std::vector<std::string>{"other check assigned 2026-07-05T01:00:00Z của plugin khác",
                                                 "deadlines reminder assigned 2026-08-01T01:00:00Z một",
                                                 "deadlines reminder assigned 2026-08-02T01:00:00Z hai",
                                                 "deadlines breach assigned 2026-08-03T17:00:00Z ba"}));
  // Cancelled with nothing new: none of the plugin's left pending.
  reschedule("deadlines", {});
  EXPECT_EQ(pending(), (std::vector<std::string>{"other check assigned 2026-07-05T01:00:00Z của plugin khác"}));
  EXPECT_EQ(db_->sql()
                .execAndGet("SELECT COUNT(*) FROM timers WHERE fired_at = '2026-06-19T01:00:00Z' AND kind = 'reminder'")
                .getInt(),
            1);
}

}  // namespace
}  // namespace docket
