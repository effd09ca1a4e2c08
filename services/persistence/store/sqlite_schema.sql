-- The embedded store's schema; docs/data-model.md describes every table and field.

CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL,
    type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_session ON events (session_id, type);

-- The hash chain over every change to the events (services/persistence/chain.py): never rebuilt, never
-- erased (it holds hashes, not data); `python -m services.persistence verify` checks it.
CREATE TABLE IF NOT EXISTS event_chain (
    seq INTEGER PRIMARY KEY,
    entry TEXT NOT NULL,  -- stored, replaced or erased
    event_id TEXT NOT NULL,  -- for an erasure, the session's id
    session_id TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    session_link TEXT NOT NULL,
    store_link TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS event_chain_by_event ON event_chain (event_id, seq);
CREATE INDEX IF NOT EXISTS event_chain_by_session ON event_chain (session_id, seq);
-- Facts about this store itself: 'chain_started' (when its events were first chained, so that an emptied
-- chain is never silently started again).
CREATE TABLE IF NOT EXISTS store_facts (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS projection_versions (
    session_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS interviews (
    session_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    started_at TEXT NOT NULL,
    candidate_name TEXT NOT NULL,
    name_search TEXT NOT NULL,  -- candidate_name in lower case, for "contains" in any case
    candidate_experience INTEGER NOT NULL,
    difficulty TEXT NOT NULL,
    average_score REAL NOT NULL,
    overall_score REAL,
    hire_recommendation TEXT,
    total_questions INTEGER NOT NULL,
    position_id TEXT,
    open_requests INTEGER NOT NULL DEFAULT 0,  -- the candidate's requests waiting for a reviewer
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS interviews_by_position ON interviews (position_id, status, average_score);
CREATE INDEX IF NOT EXISTS interviews_by_time ON interviews (status, timestamp);
CREATE INDEX IF NOT EXISTS interviews_by_start ON interviews (status, started_at, session_id);
CREATE INDEX IF NOT EXISTS interviews_by_score ON interviews (status, average_score);
CREATE INDEX IF NOT EXISTS interviews_by_overall ON interviews (status, overall_score);
CREATE INDEX IF NOT EXISTS interviews_by_experience ON interviews (status, candidate_experience, average_score);
CREATE INDEX IF NOT EXISTS interviews_by_name ON interviews (status, candidate_name);
CREATE INDEX IF NOT EXISTS interviews_by_verdict ON interviews (hire_recommendation, timestamp);
CREATE INDEX IF NOT EXISTS interviews_by_difficulty ON interviews (difficulty, timestamp);
CREATE INDEX IF NOT EXISTS interviews_with_requests ON interviews (timestamp) WHERE open_requests > 0;

CREATE TABLE IF NOT EXISTS interview_weaknesses (
    session_id TEXT NOT NULL,
    weakness TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS weaknesses_by_session ON interview_weaknesses (session_id);
CREATE INDEX IF NOT EXISTS weaknesses_by_text ON interview_weaknesses (weakness);

CREATE TABLE IF NOT EXISTS answers (
    session_id TEXT NOT NULL,
    question_number INTEGER NOT NULL,
    question TEXT NOT NULL,
    question_search TEXT NOT NULL,
    score INTEGER NOT NULL,
    timestamp TEXT NOT NULL,
    normalised_question TEXT NOT NULL,  -- the question without case, spacing, quotes, final punctuation
    empty_or_unknown INTEGER NOT NULL,  -- 1: the answer is empty or says "I don't know"
    answer_words INTEGER NOT NULL,
    human_score INTEGER,  -- a recruiter's score, null until reviewed
    document TEXT NOT NULL,
    PRIMARY KEY (session_id, question_number)
);
CREATE INDEX IF NOT EXISTS answers_by_time ON answers (timestamp, session_id, question_number);
CREATE INDEX IF NOT EXISTS answers_by_question ON answers (question, score);
-- question quality adds these up per question without reading the table itself
CREATE INDEX IF NOT EXISTS answers_quality ON answers
    (normalised_question, question, score, empty_or_unknown, answer_words);
CREATE INDEX IF NOT EXISTS answers_reviewed ON answers (timestamp, session_id, question_number)
    WHERE human_score IS NOT NULL;

CREATE TABLE IF NOT EXISTS job_descriptions (
    session_id TEXT PRIMARY KEY,
    timestamp TEXT NOT NULL,
    job_description_search TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS job_descriptions_by_time ON job_descriptions (timestamp, session_id);

-- One row per skill a session's job description names, with the interview's status and score.
CREATE TABLE IF NOT EXISTS job_description_skills (
    session_id TEXT NOT NULL,
    skill TEXT NOT NULL,
    category TEXT NOT NULL,
    status TEXT NOT NULL,
    average_score REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS job_skills_by_session ON job_description_skills (session_id);
CREATE INDEX IF NOT EXISTS job_skills_by_skill ON job_description_skills (status, skill, category, average_score);

-- The adverse-impact monitor's rows (docs/fairness.md): a completed interview's outcome beside what its
-- candidate said of themselves; read by nothing else, never served row by row.
CREATE TABLE IF NOT EXISTS demographics (
    session_id TEXT PRIMARY KEY,
    position_id TEXT,
    completed_at TEXT NOT NULL,
    hire_recommendation TEXT NOT NULL,
    overall_score REAL NOT NULL,
    sex TEXT NOT NULL,
    race_ethnicity TEXT NOT NULL,
    age_band TEXT NOT NULL,
    provided INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS demographics_by_position ON demographics (position_id);

-- Running totals behind GET /api/data/statistics, kept in the same transaction as each write.
CREATE TABLE IF NOT EXISTS totals (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    completed INTEGER NOT NULL,
    score_centis INTEGER NOT NULL,
    questions INTEGER NOT NULL,
    answers INTEGER NOT NULL,
    in_progress INTEGER NOT NULL
);
INSERT OR IGNORE INTO totals VALUES (1, 0, 0, 0, 0, 0);

-- The recruiters' read models (services/persistence/recruiting.py): one document per position, invitation,
-- user, webhook endpoint and delivery, and the keys each is looked up by.
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS record_keys (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS record_keys_lookup ON record_keys (kind, name, value);
CREATE INDEX IF NOT EXISTS record_keys_by_id ON record_keys (kind, id);

-- Not read models (nothing rebuilds them from events): the audit log, append-only, and dashboard sign-ins.
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    client TEXT NOT NULL,
    status INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_actor ON audit (actor, seq);
CREATE INDEX IF NOT EXISTS audit_by_target ON audit (target, seq);
CREATE TABLE IF NOT EXISTS sign_ins (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    credential TEXT NOT NULL DEFAULT ''
);
-- who holds what for a moment, across the persistence processes on this file (store.exclusive); not a read model
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until REAL NOT NULL
);
