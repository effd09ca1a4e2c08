"""Positions and their invitations (docs/recruiting.md): what a recruiter hires for, the links sent to
candidates, and each position's candidates ranked. Every change is an event (PositionCreated, ...,
InvitationIssued, InvitationRevoked), recorded here and published for the other services."""

from __future__ import annotations

import secrets
import unicodedata
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from services.persistence.api.auth import Actor, ActorDep, RecruiterDep, token_hash
from services.persistence.api.dependencies import BrokerDep, StoreDep
from services.persistence.api.invitation_lists import (
    SHOWN_FAULTS,
    AccommodationsIn,
    CandidateIn,
    InvitationsIn,
    Listed,
    invitations_body,
    listed_twice,
    more_than_shown,
    said_at_once,
)
from services.persistence.api.writes import one_at_a_time, publish_and_record
from services.persistence.documents import HumanVerdict, ReviewedInterview
from services.persistence.recruiting import (
    InvitationDocument,
    Line,
    PositionDocument,
    invitation_status,
    line_session_id,
    lines_of,
    replaced_by,
)
from services.persistence.store import Store
from shared.contracts.events import (
    ANSWER_TIME_LIMITS,
    Accommodations,
    CandidateReport,
    Difficulty,
    Event,
    InvitationIssued,
    InvitationIssuedPayload,
    InvitationRevoked,
    InvitationRevokedPayload,
    Language,
    PositionClosed,
    PositionCreated,
    PositionCreatedPayload,
    PositionReopened,
    PositionStatusPayload,
    PositionUpdated,
    PositionUpdatedPayload,
    new_id,
    utc_now,
)
from shared.contracts.text_input import OneLine, PlainText, VisibleText
from shared.platform.messaging import Broker

router = APIRouter(tags=["positions"])
PRODUCER = "persistence"
Title = Annotated[str, StringConstraints(min_length=1, max_length=200), OneLine]
JobDescription = Annotated[str, StringConstraints(min_length=20, max_length=20_000), VisibleText]
MustAsk = Annotated[str, StringConstraints(min_length=5, max_length=1000), VisibleText]
Rubric = Annotated[str, StringConstraints(max_length=5000), PlainText]


def untimed_or_at_least_30(seconds: int | None) -> int | None:
    if seconds is not None and 0 < seconds < ANSWER_TIME_LIMITS[1]:
        raise ValueError(f"0 (untimed) or from {ANSWER_TIME_LIMITS[1]} to {ANSWER_TIME_LIMITS[2]} seconds")
    return seconds


AnswerTimeLimit = Annotated[
    int,
    Field(ge=0, le=ANSWER_TIME_LIMITS[2], strict=True, description="Seconds per answer, before extra time; 0: untimed"),
    AfterValidator(untimed_or_at_least_30),
]


class PositionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: Title
    job_description: JobDescription
    difficulty: Difficulty = "intermediate"
    num_questions: int = Field(5, ge=1, le=20, strict=True)
    must_ask: list[MustAsk] = Field(default_factory=list, max_length=20, description="Asked in order, first")
    rubric: Rubric = Field("", description="Given to the scorer with every answer")
    candidate_report: CandidateReport = Field(
        "full", description="What candidates see of their assessment: full, scores (no written feedback), nothing"
    )
    answer_time_limit_seconds: AnswerTimeLimit = 0
    accommodations: AccommodationsIn = Field(
        default_factory=AccommodationsIn, description="Every candidate's, unless their invitation gives their own"
    )
    language: Language | None = Field(
        None, description="The interviews' language: en, de, es or fr; none: the job description's"
    )

    @model_validator(mode="after")
    def must_ask_fits(self) -> PositionIn:
        check_must_ask(self.must_ask, self.num_questions)
        return self


class PositionPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: Title | None = None
    job_description: JobDescription | None = None
    difficulty: Difficulty | None = None
    num_questions: int | None = Field(None, ge=1, le=20, strict=True)
    must_ask: list[MustAsk] | None = Field(None, max_length=20)
    rubric: Rubric | None = None
    candidate_report: CandidateReport | None = None
    answer_time_limit_seconds: AnswerTimeLimit | None = None
    accommodations: AccommodationsIn | None = None
    language: Language | None = None
    status: Literal["open", "closed"] | None = None


class CandidateCounts(BaseModel):
    invited: int = 0
    started: int = 0
    completed: int = 0
    expired: int = 0
    closed: int = 0  # unused links of a closed position
    revoked: int = 0


class PositionView(PositionDocument):
    candidates: CandidateCounts


class IssuedInvitation(BaseModel):
    invitation_id: str
    candidate_name: str
    email: str
    token: str  # shown once: only its hash is stored
    path: str
    url: str
    expires_at: datetime
    accommodations: Accommodations | None = None


class Candidate(BaseModel):
    invitation_id: str
    candidate_name: str
    email: str
    status: str
    expires_at: datetime
    session_id: str | None = None
    average_score: float | None = None
    overall_score: float | None = None
    hire_recommendation: str | None = None
    human_verdict: str | None = None  # the latest of anyone's
    human_verdicts: list[HumanVerdict] = []  # each person's, oldest first
    questions_answered: int = 0
    total_questions: int | None = None
    ended_early: bool = False  # completed before every planned question was answered
    started_at: str | None = None
    ended_at: str | None = None
    last_active_at: str | None = None  # an interview in progress: its latest event (a candidate who left: long ago)
    replaced_links: int = 0  # the earlier links of this candidate's line (New link), not candidates of their own
    replaced_invitation_ids: list[str] = []  # theirs, oldest first


def check_must_ask(must_ask: list[str], num_questions: int) -> None:
    if len(must_ask) > num_questions:
        raise ValueError(
            f"{len(must_ask)} must-ask questions do not fit in {num_questions} "
            f"question{'s' if num_questions != 1 else ''}: "
            "raise the number of questions or ask fewer"
        )


async def position_of(store: Store, position_id: str) -> PositionDocument:
    record = await store.get_record("position", position_id) if position_id.startswith("pos-") else None
    if record is None:
        raise HTTPException(404, f"No position with position_id '{position_id}'")
    return PositionDocument.model_validate(record.document)


async def invitations_of(store: Store, position_id: str) -> list[InvitationDocument]:
    return [
        InvitationDocument.model_validate(r.document)
        for r in await store.find_records("invitation", "position", position_id)
    ]


async def candidates_of(store: Store, position: PositionDocument) -> list[Candidate]:
    """The position's candidates, best first (`rank`): one per line of links (an invitation and its new links)."""
    now = datetime.now(UTC)
    rows = []
    for line in lines_of(await invitations_of(store, position.position_id)):
        session_id = line.current.interview_session_id
        interview = await store.get_interview(session_id) if session_id else None
        rows.append(candidate_row(line, interview, now, position.status == "open"))
    return sorted(rows, key=rank)


STATUS_ORDER = {"completed": 0, "started": 1, "invited": 2, "closed": 3, "expired": 4, "revoked": 5}


def rank(candidate: Candidate) -> tuple[int, bool, float, str, str]:
    """Completed interviews first, those that answered every planned question before those ended early (one
    good answer of three is not more evidence than three answers), each by average score; then those in
    progress, the invitations not used yet (those of a closed position after), the expired and the revoked."""
    return (STATUS_ORDER[candidate.status], candidate.ended_early, -(candidate.average_score or 0),
            candidate.candidate_name, candidate.invitation_id)  # fmt: skip


def candidate_row(line: Line, interview: ReviewedInterview | None, now: datetime, position_open: bool) -> Candidate:
    """The line's candidate as its current link stands: a link given a new one was revoked by it, which is no
    revocation of the candidate."""
    invitation = line.current
    state = invitation_status(invitation, interview.status if interview else None, now, position_open)
    row = Candidate(invitation_id=invitation.invitation_id, candidate_name=invitation.candidate_name,
                    email=invitation.email, status=state, expires_at=invitation.expires_at,
                    session_id=invitation.interview_session_id, replaced_links=len(line.replaced),
                    replaced_invitation_ids=[i.invitation_id for i in line.replaced])  # fmt: skip
    if interview is not None:
        row.candidate_name = row.candidate_name or interview.candidate_name
        # the latest revision is the outcome from then on (an upheld correction wrote the report again)
        outcome = interview.report_revision or interview
        row.average_score, row.overall_score = outcome.average_score, outcome.overall_score
        row.hire_recommendation, row.human_verdict = outcome.hire_recommendation, interview.human_verdict
        row.human_verdicts = interview.human_verdicts
        row.questions_answered, row.total_questions = len(interview.questions_and_answers), interview.total_questions
        row.ended_early = state == "completed" and row.questions_answered < interview.total_questions
        row.started_at, row.ended_at = interview.started_at, interview.ended_at
        if state == "started":  # found by a recruiter's test: who left, and when, was not to be seen
            row.last_active_at = interview.timestamp
    return row


async def view_of(store: Store, position: PositionDocument) -> PositionView:
    counts = CandidateCounts()
    for candidate in await candidates_of(store, position):
        setattr(counts, candidate.status, getattr(counts, candidate.status) + 1)
    return PositionView(**position.model_dump(), candidates=counts)


@router.get("/api/positions")
async def list_positions(store: StoreDep, actor: ActorDep) -> dict[str, list[PositionView]]:
    """Every position (a reviewer: those assigned to them), newest first."""
    positions = [PositionDocument.model_validate(r.document) for r in await store.list_records("position")]
    visible = [p for p in positions if actor.may_read_position(p.position_id)]
    visible.sort(key=lambda p: p.created_at, reverse=True)
    return {"positions": [await view_of(store, p) for p in visible]}


@router.post("/api/positions", status_code=status.HTTP_201_CREATED)
async def create_position(
    body: PositionIn, store: StoreDep, broker: BrokerDep, actor: RecruiterDep, response: Response
) -> PositionView:
    position_id = new_id("pos")
    payload = PositionCreatedPayload(position_id=position_id, created_by=actor.id, created_at=utc_now(),
                                     **body.model_dump())  # fmt: skip
    await publish_and_record(
        [PositionCreated.create(session_id=position_id, producer=PRODUCER, payload=payload)],
        store, broker, response, "The position",
    )  # fmt: skip
    response.headers["Location"] = f"/api/positions/{position_id}"
    return await view_of(store, await position_of(store, position_id))


@router.get("/api/positions/{position_id}")
async def get_position(position_id: str, store: StoreDep, actor: ActorDep) -> PositionView:
    position = await position_of(store, position_id)
    if not actor.may_read_position(position_id):
        raise HTTPException(403, "This position is not assigned to you.")
    return await view_of(store, position)


@router.patch("/api/positions/{position_id}")
async def update_position(
    position_id: str,
    body: PositionPatch,
    request: Request,
    store: StoreDep,
    broker: BrokerDep,
    actor: RecruiterDep,
    response: Response,
) -> PositionView:
    """Change what later interviews use (interviews already started keep what they started with); close a
    position (its unused invitations stop working) or open it again."""
    position = await position_of(store, position_id)
    changes = body.model_dump(exclude_none=True, exclude={"status"})
    try:
        check_must_ask(changes.get("must_ask", position.must_ask), changes.get("num_questions", position.num_questions))
    except ValueError as error:
        raise HTTPException(422, f"must_ask: {error}") from None
    now = utc_now()
    events: list[Event] = []
    if changes:
        payload = PositionUpdatedPayload(updated_by=actor.id, updated_at=now, **changes)
        events.append(PositionUpdated.create(session_id=position_id, producer=PRODUCER, payload=payload))
    if body.status is not None and body.status != position.status:
        change = PositionClosed if body.status == "closed" else PositionReopened
        events.append(change.create(session_id=position_id, producer=PRODUCER,
                                    payload=PositionStatusPayload(by=actor.id, at=now)))  # fmt: skip
    closing = body.status == "closed" and position.status == "open"
    async with inviting(request, position_id) if closing else nullcontext():
        if closing and (started := await just_started(store, await unused_links(store, position_id))):
            names = ", ".join(sorted(invitation.candidate_name or invitation.email or invitation.invitation_id
                                     for invitation in started))  # fmt: skip
            raise HTTPException(409, f"A link of '{position.title}' has just been used to start an interview "
                                     f"({names}): the position was not closed. Close it again in a moment; an "
                                     "interview started goes on either way.")  # fmt: skip
        if events:
            await publish_and_record(events, store, broker, response, "The change")
    return await view_of(store, await position_of(store, position_id))


async def unused_links(store: Store, position_id: str) -> list[InvitationDocument]:
    """The links of an open position that could start an interview: its lines' current links still "invited"."""
    now = datetime.now(UTC)
    return [line.current for line in lines_of(await invitations_of(store, position_id))
            if invitation_status(line.current, None, now, position_open=True) == "invited"]  # fmt: skip


@router.get("/api/positions/{position_id}/candidates")
async def position_candidates(position_id: str, store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    """The position's candidates ranked: completed interviews by average score, then in progress, invited,
    closed (unused links of a closed position), expired and revoked; each with its interview's scores and the
    people's verdict."""
    position = await position_of(store, position_id)
    if not actor.may_read_position(position_id):
        raise HTTPException(403, "This position is not assigned to you.")
    return {"position_id": position_id, "candidates": await candidates_of(store, position)}


@router.post("/api/positions/{position_id}/invitations", status_code=status.HTTP_201_CREATED)
async def invite(
    position_id: str, request: Request, store: StoreDep, broker: BrokerDep, actor: RecruiterDep, response: Response
) -> dict[str, Any]:
    """Invite candidates: JSON `{"candidates": [{"candidate_name", "email", "accommodations"}], "expires_in_days"}`,
    or a CSV file (Content-Type text/csv) with a header row naming `candidate_name` (or `name`) and `email`, and
    optionally the accommodations' `text_only`, `extra_time` and `confirm_transcript`.
    Each gets a single-use link; its token is shown here once (only its hash is stored)."""
    position = await position_of(store, position_id)
    if position.status != "open":
        raise HTTPException(409, f"The position '{position.title}' is closed: open it again to invite candidates.")
    listed = await invitations_body(request)
    twice = listed_twice(listed)
    async with inviting(request, position_id):  # two recruiters inviting the same people at once: one gets a 409
        again = invited_already(listed, await candidates_of(store, position))
        if listed.faults or twice or again:  # every problem of the request at once (found by a recruiter's test)
            raise refusal(position, listed, twice, again)
        body = InvitationsIn(candidates=[candidate for _, _, candidate in listed.rows],
                             expires_in_days=listed.expires_in_days)  # fmt: skip
        return await issue(request, position_id, body, store, broker, actor, response)


def invited_already(listed: Listed, existing: list[Candidate]) -> list[tuple[int, str, str, str]]:
    """The rows whose e-mail the position has a live invitation for (unused and valid, or used to interview),
    with what became of it: an updated spreadsheet uploaded again would otherwise invite them again, and let
    them retake it."""
    live = {c.email.casefold(): c.status for c in existing if c.email and c.status not in ("expired", "revoked")}
    return [(at, where, c.email, live[c.email.casefold()])
            for at, where, c in listed.rows if c.email and c.email.casefold() in live]  # fmt: skip


def refusal(
    position: PositionDocument, listed: Listed, twice: list[tuple[int, str]], again: list[tuple[int, str, str, str]]
) -> HTTPException:
    """Every problem of the request at once, by line (or index), the first `SHOWN_FAULTS` named: a 422 for rows
    not valid or listed twice, a 409 for candidates who are only invited already."""
    if not listed.faults and not twice:
        named = "; ".join(f"{where}: {email} ({status})" for _, where, email, status in again[:SHOWN_FAULTS])
        named += more_than_shown(len(again))
        return HTTPException(409, f"Invited to '{position.title}' already: {named}. Remove them from the list "
                                  "(nothing was created); to send someone a new link, use New link on their row "
                                  "(POST /api/invitations/{invitation_id}/new-link).")  # fmt: skip
    where_email = "" if listed.csv else ".email"
    invited = [(at, f"{where}{where_email}: {email} is invited to this position already ({status})")
               for at, where, email, status in again]  # fmt: skip
    problems = [text for _, text in sorted(listed.faults + twice + invited, key=lambda problem: problem[0])]
    return HTTPException(422, said_at_once(problems, listed.csv, rows_only=not twice and not again))


def inviting(request: Request, position_id: str) -> AbstractAsyncContextManager[None]:
    """One invitation request of a position at a time, from the check that nobody listed is invited already to
    their invitations recorded, across the persistence replicas (`one_at_a_time`)."""
    return one_at_a_time(request, f"invitations of {position_id}", "Another invitation request for this position")


async def issue(
    request: Request, position_id: str, body: InvitationsIn, store: Store, broker: Broker, actor: Actor,
    response: Response, before: tuple[Event, ...] = (), first_invitation_id: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Each candidate's invitation, published (after `before`) and recorded; their links, shown only here. A new
    link's names the first invitation of its line (`first_invitation_id`)."""
    settings = request.app.state.settings
    issued_at = utc_now()
    expires_at = issued_at + timedelta(days=body.expires_in_days or settings.invitation_days)
    events: list[Event] = list(before)
    issued = []
    for candidate in body.candidates:
        invitation_id, token = new_id("inv"), secrets.token_urlsafe(24)  # 192 bits
        payload = InvitationIssuedPayload(
            invitation_id=invitation_id, position_id=position_id, candidate_name=candidate.candidate_name,
            email=candidate.email, token_hash=token_hash(token), expires_at=expires_at,
            accommodations=candidate.accommodations, issued_by=actor.id, issued_at=issued_at,
            first_invitation_id=first_invitation_id,
        )  # fmt: skip
        events.append(InvitationIssued.create(session_id=invitation_id, producer=PRODUCER, payload=payload))
        path = f"/?invitation={token}"
        issued.append(IssuedInvitation(invitation_id=invitation_id, candidate_name=candidate.candidate_name,
                                       email=candidate.email, token=token, path=path,
                                       url=settings.public_url.rstrip("/") + path, expires_at=expires_at,
                                       accommodations=candidate.accommodations))  # fmt: skip
    await publish_and_record(events, store, broker, response, "The invitations")
    return {"position_id": position_id, "invitations": issued}


def folded(text: str) -> str:
    """For matching a search: any case, accents aside ("muller" finds "Müller", "lefevre" "Lefèvre")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class FoundCandidate(Candidate):
    position_id: str
    position_title: str
    position_status: str


@router.get("/api/invitations")
async def find_invited_candidates(
    store: StoreDep,
    actor: ActorDep,
    search: Annotated[str, Query(min_length=2, max_length=200, description="part of a name or an e-mail")],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """Invited candidates across positions whose name or e-mail contains `search` (any case): where each was
    invited and what became of it, by name, then the newest position first. A reviewer finds those of the
    positions assigned to them. `total` counts every match, `candidates` the first `limit`."""
    wanted = folded(search.strip())
    if len(wanted) < 2:
        raise HTTPException(422, "search: give at least 2 characters of a name or an e-mail")
    every = (PositionDocument.model_validate(record.document) for record in await store.list_records("position"))
    positions = {position.position_id: position for position in every if actor.may_read_position(position.position_id)}
    now = datetime.now(UTC)
    found: list[FoundCandidate] = []
    invitations = (
        InvitationDocument.model_validate(record.document) for record in await store.list_records("invitation")
    )
    for line in lines_of(invitation for invitation in invitations if invitation.position_id in positions):
        invitation, position = line.current, positions[line.current.position_id]
        named = any(wanted in folded(text) for text in (invitation.candidate_name, invitation.email))
        if not named and (invitation.candidate_name or invitation.interview_session_id is None):
            continue  # a link without a name matches by the name its candidate gave when starting
        session_id = invitation.interview_session_id
        interview = await store.get_interview(session_id) if session_id else None
        row = candidate_row(line, interview, now, position.status == "open")
        if not named and wanted not in folded(row.candidate_name):
            continue
        found.append(FoundCandidate(**row.model_dump(), position_id=position.position_id,
                                    position_title=position.title, position_status=position.status))  # fmt: skip
    newest_first = sorted(found, key=lambda c: positions[c.position_id].created_at, reverse=True)
    found = sorted(newest_first, key=lambda c: (c.candidate_name.casefold(), c.email.casefold()))
    return {"search": search, "total": len(found), "candidates": found[:limit]}


@router.get("/api/positions/{position_id}/invitations")
async def list_invitations(position_id: str, store: StoreDep, actor: RecruiterDep) -> dict[str, Any]:
    position = await position_of(store, position_id)
    now = datetime.now(UTC)
    invitations = sorted(await invitations_of(store, position_id), key=lambda i: (i.issued_at, i.invitation_id))
    successors = replaced_by(invitations)
    listed = []
    for invitation in invitations:
        session_id = invitation.interview_session_id
        interview = await store.get_interview(session_id) if session_id else None
        status = invitation_status(invitation, interview.status if interview else None, now, position.status == "open")
        # a link given a new link says so: its "revoked" is the new link's doing, not a revocation of the candidate
        listed.append(invitation.model_dump(mode="json") | {"status": status,
                                                            "replaced_by": successors.get(invitation.invitation_id)})  # fmt: skip
    return {"position_id": position_id, "invitations": listed}


@router.post("/api/invitations/{invitation_id}/new-link", status_code=status.HTTP_201_CREATED)
async def new_link(
    invitation_id: str, request: Request, store: StoreDep, broker: BrokerDep, actor: RecruiterDep, response: Response
) -> dict[str, Any]:
    """A new invitation for the same candidate (name, e-mail, accommodations) with a link of its own, for a link
    that was lost or expired: the old one is revoked. Not for one used already, nor one revoked (which may have
    been given a new link: invite the candidate again instead)."""
    invitation = await unused_invitation(store, invitation_id, "given a new link")
    position = await position_of(store, invitation.position_id)
    if position.status != "open":
        raise HTTPException(409, f"The position '{position.title}' is closed: open it again to invite candidates.")
    async with inviting(request, position.position_id):
        invitation = await unused_invitation(store, invitation_id, "given a new link")  # as it is now
        if invitation.revoked_at is not None:
            raise HTTPException(409, "This invitation was revoked (or given a new link already): invite the candidate "
                                     "again instead.")  # fmt: skip
        await refuse_if_just_started(store, invitation, "given a new link")
        revoked = InvitationRevokedPayload(revoked_by=actor.id, revoked_at=utc_now())
        candidate = CandidateIn.model_validate(
            invitation.model_dump(include={"candidate_name", "email", "accommodations"}, exclude_none=True)
        )
        issued = await issue(
            request, position.position_id, InvitationsIn(candidates=[candidate]), store, broker, actor, response,
            before=(InvitationRevoked.create(session_id=invitation_id, producer=PRODUCER, payload=revoked),),
            first_invitation_id=invitation.first_invitation_id or invitation_id,
        )  # fmt: skip
        return issued | {"replaces": invitation_id}


async def unused_invitation(store: Store, invitation_id: str, what: str) -> InvitationDocument:
    record = await store.get_record("invitation", invitation_id) if invitation_id.startswith("inv-") else None
    if record is None:
        raise HTTPException(404, f"No invitation with invitation_id '{invitation_id}'")
    invitation = InvitationDocument.model_validate(record.document)
    if invitation.interview_session_id is not None:
        raise HTTPException(409, f"This invitation was already used to start an interview; it cannot be {what}.")
    return invitation


@router.post("/api/invitations/{invitation_id}/revoke")
async def revoke_invitation(
    invitation_id: str, request: Request, store: StoreDep, broker: BrokerDep, actor: RecruiterDep, response: Response
) -> dict[str, Any]:
    """The link stops working. An invitation already used to start an interview cannot be revoked, nor one whose
    interview the gateway has just started (stored, its InvitationAccepted not recorded yet)."""
    invitation = await unused_invitation(store, invitation_id, "revoked")
    if invitation.revoked_at is None:
        async with inviting(request, invitation.position_id):
            invitation = await unused_invitation(store, invitation_id, "revoked")  # as it is now
            if invitation.revoked_at is None:
                await refuse_if_just_started(store, invitation, "revoked")
                payload = InvitationRevokedPayload(revoked_by=actor.id, revoked_at=utc_now())
                event = InvitationRevoked.create(session_id=invitation_id, producer=PRODUCER, payload=payload)
                await publish_and_record([event], store, broker, response, "The revocation")
    return {"invitation_id": invitation_id, "revoked": True}


JUST_STARTED = timedelta(minutes=2)  # far longer than InvitationAccepted takes to follow its InterviewStarted


async def just_started(store: Store, invitations: list[InvitationDocument]) -> list[InvitationDocument]:
    """Those of the unused invitations whose line's interview started in the last JUST_STARTED: the gateway publishes
    InterviewStarted before InvitationAccepted, and persistence records them from the broker a little later. One
    started earlier whose acceptance never came (the gateway's publish of it failed) does not hold the link, nor
    the position's closing, for ever (found by a review)."""
    session_ids = {line_session_id(invitation): invitation for invitation in invitations}
    progress = await store.sessions_progress(list(session_ids))
    since = datetime.now(UTC) - JUST_STARTED
    started = []
    for session_id, invitation in session_ids.items():
        if progress[session_id].event_ids:
            first = next(iter(await store.session_events(session_id)), None)
            if first is not None and first.occurred_at >= since:
                started.append(invitation)
    return started


async def refuse_if_just_started(store: Store, invitation: InvitationDocument, what: str) -> None:
    if await just_started(store, [invitation]):
        raise HTTPException(409, f"This link has just been used to start an interview; it cannot be {what}.")
