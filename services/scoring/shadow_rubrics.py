"""The rubric each interview's answers were scored with, for a shadow run (services/scoring/shadow.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.contracts.events import InterviewStarted, parse_event

if TYPE_CHECKING:
    from services.scoring.shadow import ReadApi


class Rubrics:
    """The rubric each interview's answers were scored with. The interview's start recorded it, from its
    position's settings then; the read API's documents leave it out, so it is the position's as it is now
    (read once per position) unless the position changed after the interview started: then the recorded one
    from the persistence service's own API (`/internal`: only with --api at the persistence service and
    ADMIN_TOKEN), else the position's as it is now, counted in `unsure`."""

    def __init__(self, api: ReadApi) -> None:
        self.api = api
        self.positions: dict[str, dict[str, Any] | None] = {}
        self.recorded_readable = True
        self.unsure = 0

    def of(self, interview: dict[str, Any]) -> str:
        position_id = interview.get("position_id")
        if not position_id:
            return ""  # only a position's invitation gives an interview a rubric
        if position_id not in self.positions:
            self.positions[position_id] = self.api.get(f"/api/positions/{position_id}", missing_ok=True)
        position = self.positions[position_id]
        if position is not None and _moment(position["updated_at"]) <= _moment(interview["started_at"]):
            return str(position["rubric"])
        recorded = self.recorded(interview["session_id"])
        if recorded is not None:
            return recorded
        self.unsure += 1
        return str(position["rubric"]) if position is not None else ""

    def recorded(self, session_id: str) -> str | None:
        if not self.recorded_readable:
            return None
        found = self.api.get(f"/internal/sessions/{session_id}/events", missing_ok=True, refused_ok=True)
        if found is None:  # the gateway does not pass /internal through; a user's token may not read it
            self.recorded_readable = False
            return None
        started = (e for e in map(parse_event, found["events"]) if isinstance(e, InterviewStarted))
        return next((e.payload.rubric for e in started), None)


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)
