"""Consistency tokens: a client reads its own writes.

A write's response (start, answer, end, review, erasure) carries `X-Consistency-Token`: the session
and the ids of the events the response reflects. A read that sends the token back is answered only
once the read models reflect those events (docs/architecture.md, "Reading your writes"). The token is
`<session_id>.<base64url of the first 8 bytes of each event id>`; several, comma-separated, ask for
all of them at once.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from shared.contracts.events import SESSION_ID_PATTERN

HEADER = "X-Consistency-Token"
ID_BYTES = 8  # of each event id: one session's few dozen events never share a prefix this long
MAX_TOKENS = 100
MAX_EVENTS = 2_000


class InvalidToken(ValueError):
    pass


@dataclass(frozen=True)
class ConsistencyToken:
    session_id: str
    event_ids: frozenset[bytes]  # the first ID_BYTES of each event id

    @classmethod
    def of(cls, session_id: str, event_ids: Iterable[UUID]) -> ConsistencyToken:
        return cls(session_id, frozenset(event_id.bytes[:ID_BYTES] for event_id in event_ids))

    def encode(self) -> str:
        packed = base64.urlsafe_b64encode(b"".join(sorted(self.event_ids))).rstrip(b"=").decode()
        return f"{self.session_id}.{packed}"

    def reflected_by(self, stored_event_ids: Iterable[str]) -> bool:
        """Every event of the token is among these (the ids of the session's stored events)."""
        return self.event_ids <= {UUID(event_id).bytes[:ID_BYTES] for event_id in stored_event_ids}


def parse_tokens(value: str) -> list[ConsistencyToken]:
    """The tokens of a header value; InvalidToken says what is wrong."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if len(parts) > MAX_TOKENS:
        raise InvalidToken(f"at most {MAX_TOKENS} tokens at once")
    tokens: dict[str, set[bytes]] = {}
    for part in parts:
        session_id, dot, packed = part.partition(".")
        if not dot or not SESSION_ID_PATTERN.fullmatch(session_id):
            raise InvalidToken(f"'{part[:80]}' is not a token from a write's response")
        try:
            raw = base64.b64decode(packed + "=" * (-len(packed) % 4), altchars=b"-_", validate=True)
        except (binascii.Error, ValueError):
            raise InvalidToken(f"'{part[:80]}' is not a token from a write's response") from None
        if not raw or len(raw) % ID_BYTES or len(raw) // ID_BYTES > MAX_EVENTS:
            raise InvalidToken(f"'{part[:80]}' is not a token from a write's response")
        tokens.setdefault(session_id, set()).update(raw[i : i + ID_BYTES] for i in range(0, len(raw), ID_BYTES))
    return [ConsistencyToken(session_id, frozenset(ids)) for session_id, ids in tokens.items()]
