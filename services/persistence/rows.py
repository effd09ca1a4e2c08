"""What the stores add up: the statistics, the seed's analyses and the sums the improvement analyses
are computed from. Both stores return these, so the read API and services/persistence/improvement.py
read fields, not dictionary keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class Statistics(Row):
    total_interviews: int
    average_score: float
    total_questions: int
    total_answers: int
    interviews_in_progress: int


class TopPerformer(Row):
    session_id: str
    candidate_name: str
    candidate_experience: int
    difficulty: str
    average_score: float
    overall_score: float | None
    hire_recommendation: str | None
    timestamp: str
    # "ended_early": the candidate ended before the last question, so the average is of fewer answers
    completion_reason: str | None = None
    position_id: str | None = None  # None: an open interview


class ExperienceScore(Row):
    candidate_experience: int
    average_score: float
    interviews: int


class WeaknessCount(Row):
    weakness: str
    count: int


class QuestionScore(Row):
    question: str
    average_score: float
    answers: int


class ScoreBucket(Row):
    bucket: int  # average scores from `bucket` up to bucket + 1 (9 holds 10)
    interviews: int


class DayCount(Row):
    date: str  # YYYY-MM-DD, UTC
    interviews: int
    completed: int


class QuestionSums(Row):
    """Answers added up per (normalised question, spelling)."""

    normalised_question: str
    question: str
    asked: int
    score_sum: int
    score_squares: int
    empty_or_unknown: int
    answer_words: int


class SkillSums(Row):
    """Completed interviews whose job description names the skill, and the sum of their average scores."""

    skill: str
    category: str
    interviews: int
    score_sum: float


class SkillTotals(Row):
    skills: list[SkillSums]
    interviews: int  # completed ones, with or without skills
    score_sum: float


class AuditEntry(Row):
    """Who did what, when, from where: one line of the append-only audit log (docs/recruiting.md)."""

    at: str  # ISO 8601, UTC
    actor: str  # a user's id, "admin-token", "local" (no credentials configured) or "anonymous"
    actor_name: str
    role: str
    action: str  # e.g. "read interview", "export answers.csv", "review answer", "sign in"
    target: str = ""  # what it was done to: a session, position, invitation, user or webhook id
    client: str = ""  # the client's address, as the gateway saw it
    status: int  # the HTTP status answered
    seq: int = 0  # its place in the log (set by the store)


class SignIn(Row):
    """A dashboard sign-in: the session cookie's hash, whose it is, until when, and what it was made with
    (the hash of the API token or ADMIN_TOKEN given, or "oidc"): it ends when that token is revoked."""

    user_id: str
    expires_at: str
    credential: str = ""  # "" (a sign-in from before this was kept): no longer accepted
