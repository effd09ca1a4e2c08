"""Starting from an invitation link (docs/recruiting.md): the token's invitation and position, checked
before anything is published, and the candidate's capability that answering, ending and resuming need."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import HTTPException

from services.gateway.persistence_client import PersistenceClient, StoreUnavailable
from shared.contracts.events import Accommodations


@dataclass(frozen=True)
class Invitation:
    invitation_id: str
    position_id: str
    position_title: str
    candidate_name: str
    expires_at: datetime
    position: dict[str, Any]  # the position's settings: job description, difficulty, questions, rubric
    accommodations: Accommodations  # the candidate's own, or else the position's
    used: bool  # by the start whose retry this is (the same request_id): its interview is found again


ALREADY_USED = (
    "This invitation was already used to start an interview: continue in the browser where you started it, "
    "or ask the hiring team."
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def candidate_token(secret: str | None = None) -> str:
    """The candidate's capability (256 bits). Derived from what only the starting client holds (the
    random request_id of its start, with the invitation token for an invitation: never the link alone,
    which may be forwarded or seen), so a retried start gets the same one back; random otherwise."""
    if secret is None:
        return secrets.token_urlsafe(32)
    digest = hashlib.sha256(f"candidate/{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def holds(token: str | None, expected_hash: str | None) -> bool:
    return token is not None and expected_hash is not None and hmac.compare_digest(token_hash(token), expected_hash)


async def usable_invitation(persistence: PersistenceClient, token: str, request_hash: str = "") -> Invitation:
    """The invitation of this token, if it can start an interview now (or is the one this same start,
    retried, already used); a 4xx that a candidate understands otherwise."""
    try:
        found = await persistence.invitation(token_hash(token))
    except StoreUnavailable:
        raise HTTPException(
            503, "Invitations cannot be checked right now; please retry in a moment.", headers={"Retry-After": "2"}
        ) from None
    if found is None:
        raise HTTPException(
            404,
            "This invitation link is not valid: check that it was copied whole, or ask the hiring team for a new one.",
        )
    invitation, position = found["invitation"], found["position"]
    expires_at = datetime.fromisoformat(invitation["expires_at"])
    used = bool(invitation.get("interview_session_id"))
    if used and request_hash and hmac.compare_digest(request_hash, invitation.get("accepted_request_hash") or ""):
        pass  # a retry of the start that used it
    elif used:
        raise HTTPException(409, ALREADY_USED)
    elif invitation.get("revoked_at"):
        raise HTTPException(410, "This invitation was withdrawn by the hiring team.")
    elif position["status"] != "open":
        raise HTTPException(410, f"The position '{position['title']}' is closed: interviews for it have ended.")
    elif expires_at <= datetime.now(UTC):
        raise HTTPException(
            410, f"This invitation expired on {expires_at:%Y-%m-%d}: ask the hiring team for a new one."
        )
    return Invitation(invitation_id=invitation["invitation_id"], position_id=position["position_id"],
                      position_title=position["title"], candidate_name=invitation.get("candidate_name") or "",
                      expires_at=expires_at, position=position, used=used,
                      accommodations=Accommodations.model_validate(
                          invitation.get("accommodations") or position.get("accommodations") or {}))  # fmt: skip
