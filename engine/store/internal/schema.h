// The schema migrations, oldest first: migration i brings a database from user_version i to
// i + 1. Never edit a migration that has shipped; add a new one.
#pragma once

#include <array>

namespace docket {

inline constexpr std::array<const char*, 16> kMigrations = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE org_units (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  parent_id TEXT REFERENCES org_units(id)
) WITHOUT ROWID;
CREATE INDEX org_units_parent ON org_units(parent_id);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash BLOB,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE user_roles (
  user_id TEXT NOT NULL REFERENCES users(id),
  unit_id TEXT NOT NULL REFERENCES org_units(id),
  role TEXT NOT NULL,
  PRIMARY KEY (user_id, unit_id, role)
) WITHOUT ROWID;

CREATE TABLE workflows (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  source TEXT NOT NULL,
  installed_at TEXT NOT NULL,
  PRIMARY KEY (id, version)
) WITHOUT ROWID;

CREATE TABLE case_counters (
  prefix TEXT NOT NULL,
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (prefix, year)
) WITHOUT ROWID;

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  workflow_id TEXT NOT NULL,
  workflow_version INTEGER NOT NULL,
  title TEXT NOT NULL,
  unit_id TEXT NOT NULL REFERENCES org_units(id),
  stage TEXT NOT NULL,
  closed INTEGER NOT NULL DEFAULT 0,
  assignee TEXT NOT NULL DEFAULT '',
  fields TEXT NOT NULL,
  version INTEGER NOT NULL,
  opened_by TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  stage_entered_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_hash BLOB NOT NULL
);
CREATE INDEX cases_unit_open ON cases(unit_id, closed);
CREATE INDEX cases_workflow_stage ON cases(workflow_id, stage);
CREATE INDEX cases_assignee ON cases(assignee) WHERE assignee <> '';

CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  case_seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  payload TEXT NOT NULL,
  hash BLOB NOT NULL,
  case_hash BLOB NOT NULL,
  UNIQUE (case_id, case_seq)
);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: an event cannot be changed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: an event cannot be deleted'); END;

CREATE TABLE recommendations (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  number INTEGER NOT NULL,
  addressee TEXT NOT NULL,
  text TEXT NOT NULL,
  status TEXT NOT NULL,
  made_at TEXT NOT NULL,
  answer_text TEXT NOT NULL DEFAULT '',
  answered_at TEXT,
  reply_document TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, number)
) WITHOUT ROWID;

CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  content BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE documents (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  version INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  attached_at TEXT NOT NULL,
  attached_by TEXT NOT NULL,
  PRIMARY KEY (case_id, kind, version)
) WITHOUT ROWID;

-- For the deadlines plugin: one row per pending timer (due dates, reminders, escalations).
CREATE TABLE timers (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  stage TEXT NOT NULL,
  due_at TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX timers_due ON timers(due_at);

-- For the notifications plugin: messages written in the transaction that caused them.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  event_seq INTEGER NOT NULL REFERENCES events(seq),
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  UNIQUE (event_seq, channel, recipient)
);
CREATE INDEX outbox_pending ON outbox(status, next_attempt_at);
)sql",
    // 1 -> 2: deadlines. The current stage's due date on the case; timers owned by a plugin and
    // marked fired (never deleted); the holiday calendars installed.
    R"sql(
ALTER TABLE cases ADD COLUMN deadline TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN due_at TEXT;
CREATE INDEX cases_due ON cases(due_at) WHERE closed = 0 AND due_at IS NOT NULL;
CREATE INDEX cases_unit_due ON cases(unit_id, due_at) WHERE closed = 0 AND due_at IS NOT NULL;

ALTER TABLE timers ADD COLUMN plugin TEXT NOT NULL DEFAULT 'deadlines';
ALTER TABLE timers ADD COLUMN fired_at TEXT;
DROP INDEX timers_due;
CREATE INDEX timers_pending ON timers(due_at, id) WHERE fired_at IS NULL;
CREATE INDEX timers_case ON timers(case_id) WHERE fired_at IS NULL;

CREATE TABLE calendars (
  calendar TEXT NOT NULL,
  year INTEGER NOT NULL,
  version INTEGER NOT NULL,
  source TEXT NOT NULL,
  installed_at TEXT NOT NULL,
  PRIMARY KEY (calendar, year, version)
) WITHOUT ROWID;
)sql",
    // 2 -> 3: the server. API tokens (only their SHA-256 is kept), administrators, and the
    // responses of requests sent with an Idempotency-Key.
    R"sql(
ALTER TABLE users ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
CREATE TABLE tokens (
  hash BLOB PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  revoked_at TEXT
) WITHOUT ROWID;
CREATE INDEX tokens_user ON tokens(user_id);
CREATE TABLE idempotency (
  user_id TEXT NOT NULL,
  key TEXT NOT NULL,
  method TEXT NOT NULL,
  target TEXT NOT NULL,
  status INTEGER NOT NULL,
  headers TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
)sql",
    // 3 -> 4: notifications. Users' e-mail addresses; when each outbox message was last tried
    // and when it was delivered.
    R"sql(
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN last_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN delivered_at TEXT;
)sql",
    // 4 -> 5: full-text search (search_index.h): one row per case (rowid = cases.id) with its
    // title, field values, comments, recommendations and plain-text or Markdown documents.
    // Needs the docket_vi tokenizer on the connection (Database::open registers it); the cases
    // already stored are indexed by Database::migrate in the same transaction.
    R"sql(
CREATE VIRTUAL TABLE case_search USING fts5(
  case_title, case_fields, comments, recommendations, documents, tokenize = 'docket_vi'
);
)sql",
    // 5 -> 6: timers_due indexed every timer ever set, fired or not; every query of timers asks
    // for pending ones only, which timers_pending serves. One index less to write per timer.
    R"sql(
DROP INDEX IF EXISTS timers_due;
)sql",
    // 6 -> 7: the cases whose text changed since their search index row was last brought up to
    // date (SearchIndex::catch_up), and whether their comments or documents may have. The index
    // of a database at 6 is complete: none is pending.
    R"sql(
CREATE TABLE search_pending (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id),
  comments INTEGER NOT NULL DEFAULT 0,
  documents INTEGER NOT NULL DEFAULT 0
);
)sql",
    // 7 -> 8: a timer that stands for several moments says when the later ones are due (a JSON
    // array of timestamps), so the store counts the moments owed without reading a plugin's
    // payload. The deadlines plugin's pending timers carried them in the "then" attribute of
    // their payload (a JSON array of {kind, due_at, attributes}, as text): their due times move.
    // The table is rebuilt rather than altered, so that this also runs on a file whose timers
    // already have the column.
    R"sql(
CREATE TABLE timers_8 (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  stage TEXT NOT NULL,
  due_at TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  plugin TEXT NOT NULL DEFAULT 'deadlines',
  fired_at TEXT,
  later_due TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO timers_8 (id, case_id, kind, stage, due_at, payload, plugin, fired_at, later_due)
SELECT id, case_id, kind, stage, due_at, payload, plugin, fired_at,
  CASE WHEN fired_at IS NULL AND json_valid(payload) AND json_valid(json_extract(payload, '$.then'))
  THEN (SELECT json_group_array(json_extract(moment.value, '$.due_at'))
        FROM json_each(json_extract(timers.payload, '$.then')) AS moment)
  ELSE '[]' END
FROM timers;
DROP TABLE timers;
ALTER TABLE timers_8 RENAME TO timers;
CREATE INDEX timers_pending ON timers(due_at, id) WHERE fired_at IS NULL;
CREATE INDEX timers_case ON timers(case_id) WHERE fired_at IS NULL;
)sql",
    // 8 -> 9: the administrative log (store/admin_log.h), hash-chained and append-only like the
    // events, with its newest link kept apart; and the org tree's history (directory.h): each
    // unit's name, parent and state from a date on, so that reports as of a date see the tree
    // of that date. The units already stored have had their present form since the beginning.
    // Written to run again on a file that has them (tests take files back to older versions).
    R"sql(
CREATE TABLE IF NOT EXISTS admin_events (
  seq INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  payload TEXT NOT NULL,
  hash BLOB NOT NULL
);
CREATE TRIGGER IF NOT EXISTS admin_events_no_update BEFORE UPDATE ON admin_events
BEGIN SELECT RAISE(ABORT, 'the administrative log is append-only: an event cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS admin_events_no_delete BEFORE DELETE ON admin_events
BEGIN SELECT RAISE(ABORT, 'the administrative log is append-only: an event cannot be deleted'); END;
CREATE TABLE IF NOT EXISTS admin_log_tip (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  seq INTEGER NOT NULL,
  hash BLOB NOT NULL
);

CREATE TABLE IF NOT EXISTS org_unit_versions (
  unit_id TEXT NOT NULL REFERENCES org_units(id),
  valid_from TEXT NOT NULL,
  name TEXT NOT NULL,
  parent_id TEXT REFERENCES org_units(id),
  status TEXT NOT NULL,
  merged_into TEXT REFERENCES org_units(id),
  PRIMARY KEY (unit_id, valid_from)
) WITHOUT ROWID;
INSERT OR IGNORE INTO org_unit_versions (unit_id, valid_from, name, parent_id, status)
SELECT id, '0001-01-01', name, parent_id, 'open' FROM org_units;
)sql",
    // 9 -> 10: the search index also stores each word as written (search_tokenizer.h), so that
    // exact spellings rank first. Database::migrate rebuilds it; nothing else changes.
    R"sql(
DELETE FROM search_pending;
)sql",
    // 10 -> 11: the web application's sign-in (store/sign_in.h). Each user's password as its
    // Argon2id hash (no row: no password, the user cannot sign in), kept in a table of its own
    // rather than a column of users so that this runs again on a file that has it; sessions by
    // the SHA-256 of their key; failed sign-ins in a row per subject ("user:ID", "address:IP").
    R"sql(
CREATE TABLE IF NOT EXISTS user_passwords (
  user_id TEXT PRIMARY KEY REFERENCES users(id),
  password_hash TEXT NOT NULL,
  set_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS web_sessions (
  key_sha256 BLOB PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  csrf TEXT NOT NULL,
  ended_at TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS web_sessions_user ON web_sessions(user_id);
CREATE TABLE IF NOT EXISTS sign_in_failures (
  subject TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sign_in_failures_last ON sign_in_failures(last_failure_at);
)sql",
    // 11 -> 12: the inbox (CaseStore::inbox) at any number of cases. Each open case's place
    // (unit, workflow version, stage) is counted in open_case_counts, with how many of those have
    // a recorded deadline breach; escalated_cases holds each open case that stands escalated, with
    // the unit it went to. rows::save keeps both in the transaction that changes the case. The
    // indexes let the inbox read only the cases it shows. Like every migration since 8, it runs
    // again on a file that has it.
    R"sql(
CREATE TABLE IF NOT EXISTS open_case_counts (
  unit_id TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  workflow_version INTEGER NOT NULL,
  stage TEXT NOT NULL,
  open INTEGER NOT NULL,
  breached INTEGER NOT NULL,
  PRIMARY KEY (unit_id, workflow_id, workflow_version, stage)
) WITHOUT ROWID;
DELETE FROM open_case_counts;
INSERT INTO open_case_counts (unit_id, workflow_id, workflow_version, stage, open, breached)
SELECT unit_id, workflow_id, workflow_version, stage, COUNT(*),
       SUM(CASE WHEN deadline = '' THEN 0 WHEN json_extract(deadline, '$.breached') = 'yes' THEN 1 ELSE 0 END)
  FROM cases WHERE closed = 0 GROUP BY unit_id, workflow_id, workflow_version, stage;
CREATE TABLE IF NOT EXISTS escalated_cases (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id),
  unit_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS escalated_cases_unit ON escalated_cases(unit_id);
DELETE FROM escalated_cases;
INSERT INTO escalated_cases (case_id, unit_id)
SELECT id, json_extract(deadline, '$.escalated_to_unit') FROM cases
  WHERE closed = 0 AND deadline LIKE '%"escalated_to_unit"%';
CREATE INDEX IF NOT EXISTS cases_open_place ON cases(unit_id, workflow_id, stage, due_at) WHERE closed = 0;
CREATE INDEX IF NOT EXISTS cases_open_undated ON cases(closed) WHERE closed = 0 AND due_at IS NULL;
CREATE INDEX IF NOT EXISTS recommendations_awaiting ON recommendations(addressee)
  WHERE status IN ('sent', 'unanswered', 'escalated');
)sql",
    // 12 -> 13: messages about no case (a signed checkpoint sent to the level above,
    // store/checkpoint.h) in the same outbox: such a row has a topic ("checkpoint-...") instead of
    // an event. The table is rebuilt, since a column cannot lose NOT NULL; Database::migrate skips
    // this step on a file whose outbox already has the topic column.
    R"sql(
CREATE TABLE outbox_13 (
  id INTEGER PRIMARY KEY,
  event_seq INTEGER REFERENCES events(seq),
  topic TEXT,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  last_attempt_at TEXT,
  delivered_at TEXT,
  CHECK ((event_seq IS NULL) <> (topic IS NULL)),
  UNIQUE (event_seq, channel, recipient),
  UNIQUE (topic, channel, recipient)
);
INSERT INTO outbox_13 (id, event_seq, channel, recipient, body, status, attempts, next_attempt_at, last_error,
                       last_attempt_at, delivered_at)
SELECT id, event_seq, channel, recipient, body, status, attempts, next_attempt_at, last_error, last_attempt_at,
       delivered_at
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_13 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox(status, next_attempt_at);
)sql",
    // 13 -> 14: reports at any number of cases (store/report_facts.h). Each case's dated report
    // facts, kept by rows::save in the transaction that appends its events, keyed so that a
    // report reads a unit's cases opened by the end of its period in one range. Database::migrate
    // fills it from the stored histories. Runs again on a file that has it.
    R"sql(
CREATE TABLE IF NOT EXISTS report_facts (
  unit_id TEXT NOT NULL,
  opened_day INTEGER NOT NULL,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  number TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  workflow_version INTEGER NOT NULL,
  closed_day INTEGER,
  closed_visible INTEGER,
  facts BLOB NOT NULL,
  PRIMARY KEY (unit_id, opened_day, case_id)
) WITHOUT ROWID;
)sql",
    // 14 -> 15: the outgoing register (sổ văn bản đi, store/outgoing_register.h): one row per
    // document issued, numbered from 1 per unit, register kind ("CV", "BC") and year without a
    // gap, written with the document.issued event; an issued document keeps its number with it.
    // Database::migrate skips this step on a file whose documents already have the column.
    R"sql(
ALTER TABLE documents ADD COLUMN reference TEXT NOT NULL DEFAULT '';
CREATE TABLE outgoing_register (
  unit_id TEXT NOT NULL,
  register TEXT NOT NULL,
  year INTEGER NOT NULL,
  number INTEGER NOT NULL,
  reference TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  event_seq INTEGER NOT NULL REFERENCES events(seq),
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  issued_at TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  PRIMARY KEY (unit_id, register, year, number)
) WITHOUT ROWID;
)sql",
    // 15 -> 16: cases imported from a spreadsheet (store/case_references.h) keep the reference
    // the committee's own register gave them (its external reference column), unique per
    // workflow and unit, so that running the same import again skips them; and where each came
    // from (file, row), the day the committee opened it on paper, and who imported it.
    // Self-contained: runs again on a file that has it.
    R"sql(
CREATE TABLE IF NOT EXISTS case_references (
  workflow_id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  reference TEXT NOT NULL,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  source TEXT NOT NULL,
  source_row INTEGER NOT NULL,
  opened_on TEXT,
  imported_by TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  PRIMARY KEY (workflow_id, unit_id, reference)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS case_references_case ON case_references(case_id);
)sql",
};

}  // namespace docket
