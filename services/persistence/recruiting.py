"""The recruiters' read models, as pure functions of one stream's events: a position, an invitation, a
user, a webhook endpoint or one delivery to it (docs/recruiting.md). Each becomes one record of its kind,
with the keys it is looked up by (an invitation by its token's hash and its position, a user by email
and by each live API token's hash); `version` (the number of events folded) keeps older rows from
replacing newer ones, as with the interviews."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from shared.contracts.events import (
    Accommodations,
    ApiTokenIssued,
    ApiTokenRevoked,
    CandidateReport,
    Difficulty,
    Event,
    InvitationAccepted,
    InvitationIssued,
    InvitationRevoked,
    Language,
    PositionClosed,
    PositionCreated,
    PositionReopened,
    PositionUpdated,
    Role,
    UserCreated,
    UserUpdated,
    WebhookDeliveryAttempted,
    WebhookRegistered,
    WebhookRemoved,
    WebhookTopic,
)
from shared.contracts.session_ids import invitation_session_id

Kind = Literal["position", "invitation", "user", "webhook", "delivery", "shadow"]
STREAM_PREFIXES: dict[str, Kind] = {
    "pos-": "position", "inv-": "invitation", "usr-": "user", "whk-": "webhook", "dlv-": "delivery",
    "shadow-": "shadow",  # a shadow run's (services/persistence/shadow.py)
}  # fmt: skip


def kind_of(stream_id: str) -> Kind | None:
    """The kind of record a stream folds into; None for an interview's session."""
    return next((kind for prefix, kind in STREAM_PREFIXES.items() if stream_id.startswith(prefix)), None)


@dataclass(frozen=True)
class Record:
    kind: Kind
    id: str
    version: int
    document: dict[str, Any]
    keys: tuple[tuple[str, str], ...] = field(default=())


class PositionDocument(BaseModel):
    position_id: str
    title: str
    job_description: str
    difficulty: Difficulty
    num_questions: int
    must_ask: list[str]
    rubric: str
    candidate_report: CandidateReport = "full"
    answer_time_limit_seconds: int = 0
    accommodations: Accommodations = Accommodations()
    language: Language | None = None  # None: the job description's
    status: Literal["open", "closed"]
    created_by: str
    created_at: datetime
    updated_at: datetime


class InvitationDocument(BaseModel):
    invitation_id: str
    position_id: str
    candidate_name: str
    email: str
    expires_at: datetime
    accommodations: Accommodations | None = None  # this candidate's (None: the position's)
    issued_by: str
    issued_at: datetime
    revoked_at: datetime | None = None
    accepted_at: datetime | None = None
    interview_session_id: str | None = None
    accepted_request_hash: str = ""  # of the start that used it (its retry finds the interview again)
    first_invitation_id: str | None = None  # a new link's: the first of its line, whose interview its link starts


class TokenSummary(BaseModel):
    token_id: str
    label: str
    issued_at: datetime
    revoked_at: datetime | None = None


class UserDocument(BaseModel):
    user_id: str
    email: str
    name: str
    role: Role
    positions: list[str]
    active: bool
    created_by: str
    created_at: datetime
    tokens: list[TokenSummary]


class WebhookDocument(BaseModel):
    webhook_id: str
    url: str
    secret: str
    topics: list[WebhookTopic]
    active: bool
    created_by: str
    created_at: datetime


class Attempt(BaseModel):
    attempt: int
    delivered: bool
    status_code: int | None
    error: str
    attempted_at: datetime


class DeliveryDocument(BaseModel):
    delivery_id: str
    webhook_id: str
    topic: WebhookTopic
    event_id: str
    interview_session_id: str
    delivered: bool
    attempts: list[Attempt]
    next_attempt_at: datetime | None = None


def project_stream(stream_id: str, events: Iterable[Event]) -> Record | None:
    """The record of a recruiters' stream; None if it has nothing to show yet (or is an interview)."""
    ordered = sorted(events, key=lambda e: (e.occurred_at, str(e.event_id)))
    match kind_of(stream_id):
        case "position":
            return _position(stream_id, ordered)
        case "invitation":
            return _invitation(stream_id, ordered)
        case "user":
            return _user(stream_id, ordered)
        case "webhook":
            return _webhook(stream_id, ordered)
        case "delivery":
            return _delivery(stream_id, ordered)
        case "shadow":
            from services.persistence.shadow import shadow_record  # it builds this module's Record

            return shadow_record(stream_id, ordered)
    return None


def _position(stream_id: str, events: list[Event]) -> Record | None:
    document: dict[str, Any] | None = None
    for event in events:
        match event:
            case PositionCreated(payload=created) if document is None:
                document = created.model_dump(mode="json", exclude={"position_id"}) | {
                    "position_id": stream_id, "status": "open", "updated_at": created.created_at.isoformat()
                }  # fmt: skip
            case PositionUpdated(payload=update) if document is not None:
                changes = update.model_dump(mode="json", exclude_none=True, exclude={"updated_by", "updated_at"})
                document |= changes | {"updated_at": update.updated_at.isoformat()}
            case PositionClosed(payload=status) if document is not None:
                document |= {"status": "closed", "updated_at": status.at.isoformat()}
            case PositionReopened(payload=status) if document is not None:
                document |= {"status": "open", "updated_at": status.at.isoformat()}
    if document is None:
        return None
    position = PositionDocument.model_validate(document)
    return Record("position", stream_id, len(events), position.model_dump(mode="json"))


def _invitation(stream_id: str, events: list[Event]) -> Record | None:
    issued = next((e.payload for e in events if isinstance(e, InvitationIssued)), None)
    if issued is None:
        return None
    document = InvitationDocument(**issued.model_dump(exclude={"token_hash"}))
    for event in events:
        match event:
            case InvitationAccepted(payload=accepted) if document.accepted_at is None:
                document.accepted_at = accepted.accepted_at
                document.interview_session_id = accepted.interview_session_id
                document.accepted_request_hash = accepted.request_hash
            case InvitationRevoked(payload=revoked) if document.revoked_at is None:
                document.revoked_at = revoked.revoked_at
    keys: tuple[tuple[str, str], ...] = (("token", issued.token_hash), ("position", issued.position_id))
    if document.interview_session_id:
        keys += (("session", document.interview_session_id),)
    return Record("invitation", stream_id, len(events), document.model_dump(mode="json"), keys)


def invitation_status(
    invitation: InvitationDocument, interview_status: str | None, now: datetime, position_open: bool
) -> str:
    """invited, started, completed, expired, closed or revoked: what became of the invitation so far. An unused
    link of a closed position is "closed", not "invited": it cannot start an interview unless the position
    opens again."""
    if invitation.interview_session_id is not None:
        return "completed" if interview_status == "completed" else "started"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= now:
        return "expired"
    return "invited" if position_open else "closed"


@dataclass(frozen=True)
class Line:
    """One candidate's links: an invitation and the new links made for it, which share one interview. The line
    shows as its `current` link: the one that started the interview, else the latest."""

    current: InvitationDocument
    replaced: tuple[InvitationDocument, ...]  # the line's other links, oldest first


def line_id(invitation: InvitationDocument) -> str:
    return invitation.first_invitation_id or invitation.invitation_id


def lines_of(invitations: Iterable[InvitationDocument]) -> list[Line]:
    links: defaultdict[str, list[InvitationDocument]] = defaultdict(list)
    for invitation in invitations:
        links[line_id(invitation)].append(invitation)
    lines = []
    for line in links.values():
        line.sort(key=lambda i: (i.issued_at, i.invitation_id))
        # an old link that started the interview as its new link was made: the line's interview is its
        current = next((i for i in line if i.interview_session_id is not None), line[-1])
        lines.append(Line(current, tuple(i for i in line if i is not current)))
    return lines


def replaced_by(invitations: Iterable[InvitationDocument]) -> dict[str, str]:
    """Each link given a new link: the invitation id of that new link (the next one issued in its line)."""
    successors: dict[str, str] = {}
    for line in lines_of(invitations):
        issued = sorted((line.current, *line.replaced), key=lambda i: (i.issued_at, i.invitation_id))
        successors |= {link.invitation_id: after.invitation_id for link, after in zip(issued, issued[1:], strict=False)}
    return successors


def line_session_id(invitation: InvitationDocument) -> str:
    """The session id of the interview the invitation's line starts (the gateway's, whichever link starts it)."""
    return invitation_session_id(line_id(invitation))


def _user(stream_id: str, events: list[Event]) -> Record | None:
    created = next((e.payload for e in events if isinstance(e, UserCreated)), None)
    if created is None:
        return None
    user = UserDocument(**created.model_dump(), active=True, tokens=[])
    hashes: dict[str, str] = {}
    for event in events:
        match event:
            case UserUpdated(payload=update):
                for name, value in update.model_dump(exclude_none=True, exclude={"updated_by", "updated_at"}).items():
                    setattr(user, name, list(value) if isinstance(value, tuple) else value)
            case ApiTokenIssued(payload=issued):
                user.tokens.append(
                    TokenSummary(token_id=issued.token_id, label=issued.label, issued_at=issued.issued_at)
                )
                hashes[issued.token_id] = issued.token_hash
            case ApiTokenRevoked(payload=revoked):
                for token in user.tokens:
                    if token.token_id == revoked.token_id and token.revoked_at is None:
                        token.revoked_at = revoked.revoked_at
                hashes.pop(revoked.token_id, None)
    keys = (("email", user.email.casefold()), *(("token", token_hash) for token_hash in hashes.values()))
    return Record("user", stream_id, len(events), user.model_dump(mode="json"), keys)


def _webhook(stream_id: str, events: list[Event]) -> Record | None:
    registered = next((e.payload for e in events if isinstance(e, WebhookRegistered)), None)
    if registered is None:
        return None
    removed = any(isinstance(e, WebhookRemoved) for e in events)
    webhook = WebhookDocument(**registered.model_dump(), active=not removed)
    return Record("webhook", stream_id, len(events), webhook.model_dump(mode="json"), (("active", str(not removed)),))


def _delivery(stream_id: str, events: list[Event]) -> Record | None:
    attempts = sorted(
        (e.payload for e in events if isinstance(e, WebhookDeliveryAttempted)),
        key=lambda a: (a.attempt, a.attempted_at),
    )
    if not attempts:
        return None
    last = attempts[-1]
    delivery = DeliveryDocument(
        delivery_id=stream_id, webhook_id=last.webhook_id, topic=last.topic, event_id=str(last.event_id),
        interview_session_id=last.interview_session_id, delivered=any(a.delivered for a in attempts),
        attempts=[Attempt.model_validate(a, from_attributes=True) for a in attempts],
        next_attempt_at=None if any(a.delivered for a in attempts) else last.next_attempt_at,
    )  # fmt: skip
    keys = (("webhook", last.webhook_id),)
    return Record("delivery", stream_id, len(events), delivery.model_dump(mode="json"), keys)
