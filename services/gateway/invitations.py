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

from services.gateway.persistence_client import PersistenceClient, StoreUnavailable
from shared.ai.language import job_language
from shared.contracts.events import Accommodations, Language
from shared.platform.http_errors import Refusal


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
    first_invitation_id: str  # of its line (itself, unless it is a new link): the line's links start one interview


ALREADY_USED = (
    "This invitation was already used to start an interview: continue in the browser where you started it, "
    "or ask the hiring team."
)


def invited_language(asked: Language | None, position: dict[str, Any]) -> Language:
    """The position's language, else the start's, else the job description's: recorded, never left to guess.
    A position that names one holds all its candidates' interviews in it, so that they are scored alike."""
    language: Language = position.get("language") or asked or job_language(position["job_description"])
    return language


def used_refusal(position: dict[str, Any]) -> Refusal:
    return Refusal(409, ALREADY_USED, reason="used", language=invited_language(None, position))


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
        raise Refusal(503, "Invitations cannot be checked right now; please retry in a moment.",
                      headers={"Retry-After": "2"}, reason="unavailable") from None  # fmt: skip
    if found is None:  # no position, so no language: the page says it in the browser's
        raise Refusal(
            404,
            "This invitation link is not valid: check that it was copied whole, or ask the hiring team for a new one.",
            reason="invalid",
        )
    invitation, position = found["invitation"], found["position"]
    expires_at = datetime.fromisoformat(invitation["expires_at"])
    used = bool(invitation.get("interview_session_id"))
    # why it cannot start an interview, and the position's language, for the page to say it in
    language = invited_language(None, position)
    if used and request_hash and hmac.compare_digest(request_hash, invitation.get("accepted_request_hash") or ""):
        pass  # a retry of the start that used it
    elif used:
        raise used_refusal(position)
    elif invitation.get("revoked_at"):
        raise Refusal(410, "This invitation was withdrawn by the hiring team.", reason="withdrawn", language=language)
    elif position["status"] != "open":
        raise Refusal(410, f"The position '{position['title']}' is closed: interviews for it have ended.",
                      reason="closed", title=position["title"], language=language)  # fmt: skip
    elif expires_at <= datetime.now(UTC):
        raise Refusal(
            410, f"This invitation expired on {expires_at:%Y-%m-%d}: ask the hiring team for a new one.",
            reason="expired", expired_on=f"{expires_at:%Y-%m-%d}", language=language,
        )  # fmt: skip
    return Invitation(invitation_id=invitation["invitation_id"], position_id=position["position_id"],
                      position_title=position["title"], candidate_name=invitation.get("candidate_name") or "",
                      expires_at=expires_at, position=position, used=used,
                      first_invitation_id=invitation.get("first_invitation_id") or invitation["invitation_id"],
                      accommodations=Accommodations.model_validate(
                          invitation.get("accommodations") or position.get("accommodations") or {}))  # fmt: skip
