"""Session ids of the seed's shape (8 letters and digits), and those that stand for something: a start request's
(its retry finds the same interview) and an invitation line's (an invitation and its new links share one
interview). The gateway makes them; persistence asks whether a line's interview has started (docs/recruiting.md)."""

from __future__ import annotations

import hashlib
import string

SESSION_ID_ALPHABET = string.ascii_lowercase + string.digits


def session_id_of(number: int) -> str:
    """8 characters of SESSION_ID_ALPHABET from a number."""
    size = len(SESSION_ID_ALPHABET)
    return "".join(SESSION_ID_ALPHABET[number // size**i % size] for i in range(8))


def session_id_for(request_id: str) -> str:
    """The session id a start request's id stands for (the same id, the same session)."""
    return session_id_of(int.from_bytes(hashlib.sha256(f"start/{request_id}".encode()).digest()[:8]))


def invitation_session_id(first_invitation_id: str) -> str:
    """The interview of an invitation line, named by its first invitation: whichever link of it starts it."""
    return session_id_for(f"invitation/{first_invitation_id}")
