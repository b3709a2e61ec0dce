// The timers table: every statement on it. A timer belongs to a plugin and a case; it is
// pending until it fires, and then stays, marked fired, as the record of what fired. Internal
// to the store: every function runs on the caller's connection, inside the caller's
// transaction when it writes, and throws SQLite::Exception as the statements do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "plugin/plugin.h"
#include "store/database.h"

namespace docket::timer_rows {

// A change a plugin asked for during a change to a case: cancel the plugin's pending timers
// on the case, or add `timer`.
struct TimerChange {
  bool cancel = false;
  std::string plugin;
  Timer timer;
};

// Unfired timers of case `number` (of every plugin, or of `plugin` only), earliest first.
std::vector<Timer> pending(Database& db, const std::string& number);
std::vector<Timer> pending(Database& db, const std::string& number, const std::string& plugin);

// When the earliest unfired timer is due; nullopt when there is none.
std::optional<Timestamp> next_due(Database& db);

// The earliest unfired timer due at `now` (ties by id), or nullopt.
std::optional<Timer> earliest_due(Database& db, Timestamp now);

// Marks timer `id` fired at `at`.
void mark_fired(Database& db, std::int64_t id, Timestamp at);

// How many moments are due at `now` and have not fired: each due timer and each of its
// later moments due too (Timer::later_moments).
std::int64_t moments_due(Database& db, Timestamp now);

// Applies `changes`, in order, to the timers of case row `case_id`.
void write(Database& db, std::int64_t case_id, const std::vector<TimerChange>& changes);

}  // namespace docket::timer_rows
