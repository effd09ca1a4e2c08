"""The event store's tamper-evident record: a hash chain over every change to the stored events.

Each change is one entry, in the store's order (`seq`): an event `stored`, an event's body `replaced` by
an earlier one (`session_view.earlier`: the one change a store makes to an event), or a session `erased`.
An entry holds the SHA-256 of the event's body as stored (for an erasure: of the removed bodies' hashes),
a link chained to the session's previous entry and a link chained to the store's previous entry. So
editing a stored body, removing an event, moving it to another session or reordering a session's events,
and editing, removing or inserting an entry, each breaks a hash that `verify` recomputes
(`python -m services.persistence verify`). An erasure removes the bodies and keeps their hashes: the
chain still proves what was there and that it was removed, without keeping it. The last link (the
head) vouches for everything before it: an operator who notes it somewhere else can later tell that
nothing was rewritten since, not even the whole chain at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

GENESIS = "0" * 64  # the link before the first entry (of the store, and of each session)
Entry = Literal["stored", "replaced", "erased"]


def body_hash(body: str | bytes) -> str:
    return hashlib.sha256(body.encode() if isinstance(body, str) else body).hexdigest()


def link(previous: str, *parts: str) -> str:
    return hashlib.sha256("\x1f".join((previous, *parts)).encode()).hexdigest()


def session_link(previous: str | None, entry: str, event_id: str, hashed: str) -> str:
    return link(previous or GENESIS, entry, event_id, hashed)


def store_link(previous: str | None, seq: int, session_id: str, of_session: str) -> str:
    return link(previous or GENESIS, str(seq), session_id, of_session)


def erased_hash(removed: list[str]) -> str:
    """What an erasure entry holds: the hash of the removed bodies' hashes, in the chain's order."""
    return link(GENESIS, *removed)


class Walk:
    """The chain recomputed entry by entry, as a store reads its entries in order (`seq`): a gap, or an entry
    whose links do not follow from the ones before it, is a problem of `result`."""

    def __init__(self, result: Verification) -> None:
        self.result = result
        self._sessions: dict[str, str] = {}
        self._previous: str | None = None
        self._expected = 1

    def entry(
        self, seq: int, entry: str, event_id: str, session_id: str, hashed: str, of_session: str, of_store: str
    ) -> None:
        result = self.result
        result.entries += 1
        if seq != self._expected:
            result.problem(f"chain entries {self._expected} to {seq - 1} were removed")
        expected_links = (
            session_link(self._sessions.get(session_id), entry, event_id, hashed),
            store_link(self._previous, seq, session_id, of_session),
        )
        if (of_session, of_store) != expected_links:
            result.problem(
                f"chain entry {seq} ({entry} {event_id}) was altered: it does not follow from the ones before"
            )
        self._sessions[session_id], self._previous, self._expected = of_session, of_store, seq + 1
        result.head_seq, result.head = seq, of_store
        result.sessions = len(self._sessions)


@dataclass
class Verification:
    entries: int = 0
    events: int = 0
    sessions: int = 0
    head_seq: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0  # beyond the first MAX_PROBLEMS, only counted

    MAX_PROBLEMS = 100

    def problem(self, text: str) -> None:
        if len(self.problems) < self.MAX_PROBLEMS:
            self.problems.append(text)
        else:
            self.more_problems += 1

    @property
    def ok(self) -> bool:
        return not self.problems

    def report(self) -> str:
        lines = [
            f"{self.entries} chain entries over {self.sessions} sessions; {self.events} stored events checked.",
            f"Head: entry {self.head_seq}, link {self.head} (note it elsewhere to check later that nothing "
            "before it was rewritten).",
        ]
        if self.ok:
            lines.append("No event was edited, removed, moved, reordered or inserted behind the store's back.")
        else:
            lines.append(f"{len(self.problems) + self.more_problems} problems:")
            lines += [f"  - {problem}" for problem in self.problems]
            if self.more_problems:
                lines.append(f"  ... and {self.more_problems} more")
        return "\n".join(lines)
