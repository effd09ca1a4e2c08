"""docs/data-model.md against a real MongoDB server (tests/mongodb.py): a store filled through its own API
with a cohort that touches every collection, then read over the wire as a BI tool would (pymongo): the
collections, each one's indexes, and each field with the BSON types its documents store, walked into
objects and arrays. Both directions are checked: whatever is stored is documented, with its type and
indexes, and whatever is documented is stored somewhere (a field, and each of its types)."""

from __future__ import annotations

import asyncio
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from bson import Int64, ObjectId
from pymongo import AsyncMongoClient

from services.persistence.handlers import record_event
from services.persistence.rows import AuditEntry, SignIn
from services.persistence.store.mongo import MongoStore
from shared.contracts.events import (
    Accommodations,
    AnswerCorrected,
    AnswerCorrectedPayload,
    AnswerRescored,
    AnswerRescoredPayload,
    AnswerScored,
    AnswerShadowScored,
    AnswerShadowScoredPayload,
    ApiTokenIssued,
    ApiTokenIssuedPayload,
    ApiTokenRevoked,
    ApiTokenRevokedPayload,
    CandidateRequestMade,
    CandidateRequestMadePayload,
    CandidateRequestResolved,
    CandidateRequestResolvedPayload,
    Event,
    Evidence,
    Feedback,
    InterviewErased,
    InterviewErasedPayload,
    InvitationAccepted,
    InvitationAcceptedPayload,
    InvitationIssued,
    InvitationIssuedPayload,
    InvitationRevoked,
    InvitationRevokedPayload,
    PositionClosed,
    PositionCreated,
    PositionCreatedPayload,
    PositionStatusPayload,
    PositionUpdated,
    PositionUpdatedPayload,
    Provenance,
    ReportGenerated,
    ReportRevised,
    ReportRevisedPayload,
    ShadowRunCompleted,
    ShadowRunCompletedPayload,
    UserCreated,
    UserCreatedPayload,
    WebhookDeliveryAttempted,
    WebhookDeliveryAttemptedPayload,
    WebhookRegistered,
    WebhookRegisteredPayload,
    WebhookRemoved,
    WebhookRemovedPayload,
)
from tests.factories import T0, interview_events
from tests.integration.stores import open_store
from tests.integration.test_stores import improvement_cohort
from tests.mongodb import mongodb_url, server_name

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"

POSITION, USER, ADMIN = "pos-aaaaaaaaaaaa", "usr-cccccccccccc", "usr-dddddddddddd"
INVITED, REVOKED, ERASED_INVITATION = "inv-bbbbbbbbbbbb", "inv-eeeeeeeeeeee", "inv-ffffffffffff"
NEW_LINK = "inv-cccccccccccc"  # the revoked one's new link
WEBHOOK, GONE_WEBHOOK = "whk-gggggggggggg", "whk-hhhhhhhhhhhh"
DELIVERED, PENDING = "dlv-iiiiiiiiiiii", "dlv-jjjjjjjjjjjj"
DELIVERED_EVENT = "00000000-0000-4000-8000-000000000001"
SCORER = Provenance(provider="openai", model="gpt-4o-mini", prompt_version="score-v3", rationale="names the trade-offs")
OLD_SCORER = Provenance(provider="openai", model="gpt-4o-mini")  # from before prompt versions


# the cohort


def with_provenance(events: list[Event]) -> list[Event]:
    """Scores and reports as the AI services publish them: with who produced them (each first answer and
    s02's report by a model from before prompt versions)."""

    def stamped(event: Event) -> Event:
        if isinstance(event, AnswerScored | ReportGenerated):
            first = isinstance(event, AnswerScored) and event.payload.question_number == 1
            old = first or (isinstance(event, ReportGenerated) and event.session_id == "s02")
            payload = event.payload.model_copy(update={"provenance": OLD_SCORER if old else SCORER})
            if isinstance(event, AnswerScored) and not old and event.payload.answer.strip():
                span = Evidence(start=0, end=len(event.payload.answer), effect="earned", reason="Answers the question")
                payload = payload.model_copy(update={"evidence": (span,)})
            return event.model_copy(update={"payload": payload})
        return event

    return [stamped(event) for event in events]


def from_invitation(events: list[Event], invitation_id: str) -> list[Event]:
    """An interview started from a position's invitation: its context (in every event that copies it)
    names the position and the invitation."""
    invited = {"position_id": POSITION, "invitation_id": invitation_id, "language": "en"}

    def placed(event: Event) -> Event:
        payload = event.payload
        if getattr(payload, "context", None) is not None:
            payload = payload.model_copy(update={"context": payload.context.model_copy(update=invited)})
        if hasattr(payload, "candidate_experience"):  # InterviewStarted's payload is the context itself
            payload = payload.model_copy(update=invited)
        return event.model_copy(update={"payload": payload})

    return [placed(event) for event in events]


def recruiting_events() -> list[Event]:
    """A closed position with three invitations, an open one without a language (one accepted, one revoked and given a new link, one whose interview is
    erased below), a reviewer with a revoked and a live API token, two webhook endpoints (one removed), a delivery
    refused once then accepted, and one still failing."""

    def at(minutes: int) -> datetime:
        return T0 + timedelta(minutes=minutes)

    def make(cls, stream: str, payload) -> Event:
        return cls.create(session_id=stream, producer="test", payload=payload)

    def invitation(invitation_id: str, name: str, email: str, accommodations=None, first=None) -> Event:
        return make(InvitationIssued, invitation_id, InvitationIssuedPayload(
            invitation_id=invitation_id, position_id=POSITION, candidate_name=name, email=email,
            token_hash=invitation_id[-2:] * 32, expires_at=at(14 * 24 * 60), accommodations=accommodations,
            issued_by=USER, issued_at=at(2), first_invitation_id=first))  # fmt: skip

    def attempt(delivery_id: str, number: int, minutes: int, **outcome) -> Event:
        return make(WebhookDeliveryAttempted, delivery_id, WebhookDeliveryAttemptedPayload(
            delivery_id=delivery_id, webhook_id=WEBHOOK, topic="report.generated", event_id=DELIVERED_EVENT,
            interview_session_id="s08", attempt=number, attempted_at=at(minutes), **outcome))  # fmt: skip

    return [
        make(UserCreated, ADMIN, UserCreatedPayload(user_id=ADMIN, email="Root@Example.com", name="Root", role="admin",
                                                    created_by="admin-token", created_at=at(0))),
        make(UserCreated, USER, UserCreatedPayload(user_id=USER, email="Maria@Example.com", name="Maria",
                                                   role="reviewer", positions=(POSITION,), created_by=ADMIN,
                                                   created_at=at(0))),
        make(ApiTokenIssued, USER, ApiTokenIssuedPayload(token_id="tok-1", token_hash="11" * 32, label="laptop",
                                                         issued_at=at(1))),
        make(ApiTokenIssued, USER, ApiTokenIssuedPayload(token_id="tok-2", token_hash="22" * 32, issued_at=at(2))),
        make(ApiTokenRevoked, USER, ApiTokenRevokedPayload(token_id="tok-1", revoked_at=at(3))),
        make(PositionCreated, POSITION, PositionCreatedPayload(
            position_id=POSITION, title="Nurse", job_description="Registered nurse, night shifts.", num_questions=3,
            must_ask=("Tell us about a hard night shift.",), rubric="Safety first.", language="en", created_by=USER,
            created_at=at(1))),
        make(PositionUpdated, POSITION, PositionUpdatedPayload(num_questions=2, updated_by=USER, updated_at=at(2))),
        make(PositionCreated, "pos-porter", PositionCreatedPayload(  # no language: its job description's
            position_id="pos-porter", title="Porter", job_description="Hospital porter, day shifts.",
            created_by=USER, created_at=at(2))),
        invitation(INVITED, "Florence", "florence@example.com", Accommodations(text_only=True, extra_time=1.5)),
        invitation(REVOKED, "", ""),
        make(InvitationRevoked, REVOKED, InvitationRevokedPayload(revoked_by=USER, revoked_at=at(3))),
        invitation(NEW_LINK, "", "", first=REVOKED),
        invitation(ERASED_INVITATION, "Mary", "mary@example.com"),
        make(InvitationAccepted, INVITED, InvitationAcceptedPayload(interview_session_id="s08", accepted_at=at(60),
                                                                    request_hash="33" * 32)),
        make(InvitationAccepted, ERASED_INVITATION, InvitationAcceptedPayload(interview_session_id="s09",
                                                                              accepted_at=at(70))),
        make(WebhookRegistered, WEBHOOK, WebhookRegisteredPayload(
            webhook_id=WEBHOOK, url="https://ats.example.com/hook", secret="s3cret", topics=("report.generated",),
            created_by=ADMIN, created_at=at(1))),
        make(WebhookRegistered, GONE_WEBHOOK, WebhookRegisteredPayload(
            webhook_id=GONE_WEBHOOK, url="https://old.example.com/hook", secret="0ld",
            topics=("interview.completed", "interview.erased"), created_by=ADMIN, created_at=at(1))),
        make(WebhookRemoved, GONE_WEBHOOK, WebhookRemovedPayload(removed_by=ADMIN, removed_at=at(5))),
        attempt(DELIVERED, 1, 90, delivered=False, error="connection refused", next_attempt_at=at(91)),
        attempt(DELIVERED, 2, 91, delivered=True, status_code=204),
        attempt(PENDING, 1, 92, delivered=False, status_code=503, error="503 Service Unavailable",
                next_attempt_at=at(93)),
        make(PositionClosed, POSITION, PositionStatusPayload(by=USER, at=at(120))),
    ]  # fmt: skip


def candidate_requests(interview: list[Event]) -> list[Event]:
    """After the report: a transcription contested, upheld and scored again; a human review still open."""
    at = T0 + timedelta(hours=7, minutes=30)
    first = next(e.payload for e in interview if isinstance(e, AnswerScored) and e.payload.question_number == 1)
    context = next(e.payload.context for e in interview if isinstance(e, ReportGenerated))
    said = "I triaged the ward by acuity and called the rapid response team within two minutes."
    contest = CandidateRequestMadePayload(
        request_id="req-aaaaaaaaaaaa",
        kind="transcription",
        question_number=1,
        corrected_answer=said,
        note="The recognition missed it.",
        requested_at=at,
    )
    review = CandidateRequestMadePayload(request_id="req-bbbbbbbbbbbb", kind="human_review", requested_at=at)
    upheld = CandidateRequestResolvedPayload(
        request_id="req-aaaaaaaaaaaa",
        decision="upheld",
        note="Matches the audio.",
        reviewer="Maria",
        reviewer_id=USER,
        resolved_at=at + timedelta(hours=1),
    )
    corrected = AnswerCorrectedPayload(
        question_number=1,
        question=first.question,
        answer=said,
        request_id="req-aaaaaaaaaaaa",
        original_answer=first.answer,
        context=context,
        corrected_at=at + timedelta(hours=1),
    )
    rescored = AnswerRescoredPayload(
        question_number=1,
        question=first.question,
        answer=said,
        score=9,
        feedback=Feedback(strengths=("Specific",)),
        provenance=SCORER,
        request_id="req-aaaaaaaaaaaa",
        scored_at=at + timedelta(hours=1, seconds=5),
    )
    report = next(e.payload for e in interview if isinstance(e, ReportGenerated))
    revised = ReportRevisedPayload(**report.model_dump() | {"overall_score": 8.4, "individual_scores": (9, 7)},
                                   request_id="req-aaaaaaaaaaaa", revised_at=at + timedelta(hours=1, seconds=9))  # fmt: skip
    made = [
        (CandidateRequestMade, contest),
        (CandidateRequestMade, review),
        (CandidateRequestResolved, upheld),
        (AnswerCorrected, corrected),
        (AnswerRescored, rescored),
        (ReportRevised, revised),
    ]
    return [cls.create(session_id="s08", producer="test", payload=payload).model_copy(
                update={"occurred_at": at + timedelta(hours=1 if n > 1 else 0, seconds=n)})
            for n, (cls, payload) in enumerate(made)]  # fmt: skip


def shadow_runs(at: datetime) -> list[Event]:
    """A shadow run of s08's first answer, completed, and one of its second answer still running (by a scorer
    that did not say who it was, of an answer scored before provenance was kept)."""

    def scored(run_id: str, number: int, original: Provenance | None, provenance: Provenance | None) -> Event:
        payload = AnswerShadowScoredPayload(
            run_id=run_id, interview_session_id="s08", question_number=number, question="q", answer="a",
            original_score=8, original_provenance=original, score=7, feedback=Feedback(strengths=("Specific",)),
            provenance=provenance, scored_at=at,
        )  # fmt: skip
        return AnswerShadowScored.create(session_id=run_id, producer="test", payload=payload)

    shadow = SCORER.model_copy(update={"prompt_version": "assess_answer.v9"})
    done = ShadowRunCompletedPayload(run_id="shadow-aaaaaaaaaaaa", provider="openai", model="gpt-4o-mini",
                                     prompt_version="assess_answer.v9", label="stricter", answers=1, started_at=at,
                                     completed_at=at + timedelta(seconds=5))  # fmt: skip
    return [scored("shadow-aaaaaaaaaaaa", 1, SCORER, shadow),
            ShadowRunCompleted.create(session_id="shadow-aaaaaaaaaaaa", producer="test", payload=done),
            scored("shadow-bbbbbbbbbbbb", 2, None, None)]  # fmt: skip


def cohort() -> list[Event]:
    """The stores' improvement cohort (completed, ended early and in-progress interviews, empty and "I don't
    know" answers, people's reviews of answers and a verdict), scored with provenance; the recruiters' side;
    s08 started from an invitation, its candidate contesting a transcription (upheld, scored again, the report
    written again) and asking for a human review (open); s09, also from one, erased afterwards; and s10, of
    which only a score without provenance has arrived so far (its start is late: the answer's row has no name
    or difficulty yet)."""
    s08 = from_invitation(interview_events("s08", (8, 7), 2, name="Florence", start=T0 + timedelta(hours=7)), INVITED)
    s09 = from_invitation(interview_events("s09", (5,), 1, name="Mary", start=T0 + timedelta(hours=8)),
                          ERASED_INVITATION)  # fmt: skip
    s10 = [e for e in interview_events("s10", (6,), 1, start=T0 + timedelta(hours=9)) if isinstance(e, AnswerScored)]
    erasure = InterviewErased.derived(session_id="s09", producer="test", payload=InterviewErasedPayload(
        requested_at=T0 + timedelta(hours=10)))  # fmt: skip
    s08 += candidate_requests(s08)
    shadow = shadow_runs(T0 + timedelta(hours=11))
    return with_provenance(improvement_cohort() + s08) + s09 + s10 + recruiting_events() + shadow + [erasure]


async def fill(store: MongoStore) -> None:
    for event in cohort():
        await record_event(store, event)
    for n, (actor, target) in enumerate([(USER, "s08"), ("admin-token", "")]):
        await store.append_audit(AuditEntry(at=(T0 + timedelta(days=1, seconds=n)).isoformat(), actor=actor,
                                            actor_name="Maria", role="reviewer", action="read interview",
                                            target=target, client="10.0.0.1", status=200))  # fmt: skip
    expires = datetime.now(UTC) + timedelta(hours=12)  # an expired one would be dropped by the TTL index
    await store.save_sign_in("ee" * 32, SignIn(user_id=USER, expires_at=expires.isoformat(), credential="22" * 32))
    assert await store.take_lease("invitations of pos-1", "a1b2c3d4", 30)  # a request's, held as the server is read


# what the server holds


def bson_type(value: Any) -> str:
    """The BSON type of a decoded value, by MongoDB's `$type` alias."""
    match value:
        case bool():
            return "bool"
        case Int64():
            return "long"
        case int():
            return "int"
        case float():
            return "double"
        case str():
            return "string"
        case datetime():
            return "date"
        case None:
            return "null"
        case ObjectId():
            return "objectId"
        case dict():
            return "object"
        case list():
            return "array"
    return type(value).__name__


EMPTY_ARRAY = "array<>"  # an empty array: of any element type


def observe(document: dict[str, Any], into: dict[str, set[str]], prefix: str = "") -> None:
    """Each field's path (`a.b`, `a[].b` inside an array's objects) with the types stored there."""
    for name, value in document.items():
        path = prefix + name
        kind = bson_type(value)
        if kind == "object":
            into[path].add(kind)
            observe(value, into, path + ".")
        elif kind == "array":
            if not value:
                into[path].add(EMPTY_ARRAY)
            for item in value:
                into[path].add(f"array<{bson_type(item)}>")
                if isinstance(item, dict):
                    observe(item, into, path + "[].")
        else:
            into[path].add(kind)


def plain(value: Any) -> Any:
    """Index options as JSON data (the server's SON as dicts, integral numbers as ints)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True)
class Index:
    keys: tuple[tuple[str, Any], ...]
    options: tuple[tuple[str, str], ...] = ()  # (option, its value as canonical JSON)

    @classmethod
    def of(cls, keys: list[tuple[str, Any]], options: dict[str, Any]) -> Index:
        canonical = tuple(sorted((name, json.dumps(plain(value), sort_keys=True)) for name, value in options.items()))
        return cls(tuple((key, plain(direction)) for key, direction in keys), canonical)

    def __str__(self) -> str:
        """As docs/data-model.md writes it."""
        return "; ".join([", ".join(f"{key} {direction}" for key, direction in self.keys)]
                         + [f"{name} {value}" for name, value in self.options])  # fmt: skip


def server_indexes(information: dict[str, dict[str, Any]]) -> list[Index]:
    """`index_information()` but `_id`'s: keys and options, and the name when it is not MongoDB's default."""
    indexes = []
    for name, index in information.items():
        if name == "_id_":
            continue
        keys = list(index["key"])
        options = {option: value for option, value in index.items() if option not in ("v", "key", "ns", "name")}
        if name != "_".join(f"{key}_{plain(direction)}" for key, direction in keys):
            options["name"] = name
        indexes.append(Index.of(keys, options))
    return indexes


async def read_server(database: str) -> dict[str, dict[str, Any]]:
    """What a BI tool sees over the wire: each collection's indexes and the types stored at each field path;
    for `records`, also the paths inside `document` by kind."""
    client: AsyncMongoClient = AsyncMongoClient(mongodb_url(), serverSelectionTimeoutMS=5000)
    try:
        db = client[database]
        collections: dict[str, dict[str, Any]] = {}
        for name in await db.list_collection_names():
            fields: dict[str, set[str]] = defaultdict(set)
            kinds: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
            async for document in db[name].find():
                observe(document, fields)
                if name == "records":
                    observe(document["document"], kinds[document["kind"]])
            indexes = server_indexes(await db[name].index_information())
            collections[name] = {"fields": fields, "kinds": kinds, "indexes": indexes}
        return collections
    finally:
        await client.close()


# what docs/data-model.md declares

TYPE = re.compile(r"string|int|long|double|bool|date|null|objectId|object|array<(?P<item>.+)>")
COLLECTION = re.compile(r"^### `(?P<collection>\w+)`$")
KIND = re.compile(r"^#### `(?P<collection>\w+)` of kind `(?P<kind>\w+)`")
INDEX = re.compile(r"^- `(?P<spec>[^`]+)`")


def valid_type(text: str) -> bool:
    match = TYPE.fullmatch(text)
    return match is not None and (match["item"] is None or valid_type(match["item"]))


@dataclass
class Section:
    """A collection's table and indexes, or the `document` fields of one kind of record."""

    where: str
    fields: dict[str, set[str]] = field(default_factory=dict)
    indexes: list[Index] | None = None


def parse(text: str) -> tuple[dict[str, Section], dict[str, Section]]:
    """The collections, and the kinds of records, that the document declares."""
    collections: dict[str, Section] = {}
    kinds: dict[str, Section] = {}
    section: Section | None = None
    listing = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            listing = False
            section = None
            if match := COLLECTION.match(line):
                section = collections.setdefault(match["collection"], Section(f"collection `{match['collection']}`"))
            elif (match := KIND.match(line)) and match["collection"] == "records":
                section = kinds.setdefault(match["kind"], Section(f"collection `records`, kind `{match['kind']}`"))
            continue
        if section is None:
            continue
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            types = set(cells[1].split(" or "))
            for name in re.findall(r"`([^`]+)`", cells[0]):
                assert name not in section.fields, f"data-model.md:{number}: {section.where}: `{name}` twice"
                assert all(map(valid_type, types)), f"data-model.md:{number}: {section.where}: `{name}`: {cells[1]}?"
                section.fields[name] = types
        elif line.startswith("Indexes"):
            section.indexes = []
            listing = line.endswith(":")
        elif listing and (match := INDEX.match(line)):
            keys, *options = [part.strip() for part in match["spec"].split(";")]
            pairs = [key.split() for key in keys.split(",")]
            assert all(len(pair) == 2 for pair in pairs), f"data-model.md:{number}: {section.where}: {keys}?"
            values = dict(option.split(" ", 1) for option in options)
            section.indexes.append(Index.of([(f, int(d)) for f, d in pairs], {o: _json(v) for o, v in values.items()}))
        elif listing and line.strip():
            listing = False
    return collections, kinds


def _json(value: str) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value  # a plain word: an index's name


# the comparisons


def parent(path: str) -> str | None:
    """The object a field is in: `a` for `a.b` and for `a[].b`."""
    head = path.rpartition(".")[0]
    return head.removesuffix("[]") or None


def compare_fields(section: Section, stored: dict[str, set[str]]) -> list[str]:
    """Every stored field documented with each of its types, and every documented field and type stored.
    The fields of an object are compared when the document lists some (not those of `events.body.payload`)."""
    declared = section.fields
    listed_inside = {parent(path) for path in declared} - {None}

    def compared(path: str) -> bool:
        above = parent(path)
        return above is None or (above in declared and above in listed_inside and compared(above))

    problems = []
    for path in sorted(stored):
        if not compared(path):
            continue
        if path not in declared:
            problems.append(f"{section.where}: field `{path}` is stored ({' or '.join(sorted(stored[path]))}) "
                            f"but not documented")  # fmt: skip
            continue
        for kind in sorted(stored[path]):
            if kind == EMPTY_ARRAY and any(t.startswith("array<") for t in declared[path]):
                continue
            if kind not in declared[path]:
                problems.append(f"{section.where}: field `{path}` is stored as {kind} but documented as "
                                f"{' or '.join(sorted(declared[path]))}")  # fmt: skip
    for path in sorted(declared):
        if path not in stored:
            problems.append(f"{section.where}: field `{path}` is documented but in no document")
            continue
        for kind in sorted(declared[path] - stored[path]):
            problems.append(f"{section.where}: field `{path}` is documented as {kind} but stored only as "
                            f"{' or '.join(sorted(stored[path]))}")  # fmt: skip
    return problems


def compare_indexes(section: Section, stored: list[Index]) -> list[str]:
    if section.indexes is None:
        return [f"{section.where}: no 'Indexes' line in the document"]
    missing = list(stored)
    problems = []
    for index in section.indexes:
        if index in missing:
            missing.remove(index)
        else:
            problems.append(f"{section.where}: index `{index}` is documented but not on the server")
    problems += [f"{section.where}: index `{index}` is on the server but not documented" for index in missing]
    return problems


def compare_names(what: str, stored: set[str], documented: set[str]) -> list[str]:
    return [f"{what} `{name}` is stored but not documented" for name in sorted(stored - documented)] + [
        f"{what} `{name}` is documented but not stored" for name in sorted(documented - stored)
    ]


def compare(text: str, server: dict[str, dict[str, Any]]) -> list[str]:
    """Everything docs/data-model.md (`text`) declares against what the server holds, as failure messages."""
    collections, kinds = parse(text)
    problems = compare_names("collection", set(server), set(collections))
    for name in sorted(collections.keys() & server.keys()):
        problems += compare_indexes(collections[name], server[name]["indexes"])
        problems += compare_fields(collections[name], server[name]["fields"])
    records = server.get("records", {}).get("kinds", {})
    problems += compare_names("records of kind", set(records), set(kinds))
    for kind in sorted(kinds.keys() & records.keys()):
        problems += compare_fields(kinds[kind], records[kind])
    return problems


# the tests


@dataclass(frozen=True)
class Stored:
    collections: dict[str, dict[str, Any]]  # as read_server reads them
    store_collections: tuple[str, ...]  # the collections the store writes to


@pytest.fixture(scope="module")
def stored() -> Stored:
    """The cohort stored once for this module's cases (a few seconds), and what the server then holds."""

    async def filled() -> Stored:
        async with open_store("mongodb") as store:
            await fill(store)
            return Stored(await read_server(store.database), tuple(store._c))

    return asyncio.run(filled())


def test_the_cohort_fills_every_collection_of_the_store(stored):
    empty = [name for name in stored.store_collections if not stored.collections.get(name, {}).get("fields")]
    assert empty == [], f"the cohort leaves these collections empty: {empty}"


def test_the_document_says_what_mongodb_stores(stored):
    problems = compare(DOC.read_text(encoding="utf-8"), stored.collections)
    assert problems == [], f"docs/data-model.md differs from what the server ({server_name()}) stores:\n" + "\n".join(
        problems
    )


def test_a_document_that_differs_is_caught(stored):
    """The comparison itself, on the document with a field left out, a type left out, a type and a field
    that are not stored, an index's direction and option changed, and a collection misnamed."""
    text = DOC.read_text(encoding="utf-8")
    already = set(compare(text, stored.collections))  # whatever else is wrong, test_the_document_says_... says
    edits = {
        "| `summary` | string | empty while in progress |\n": "",
        "| `human_score` | int or null |": "| `human_score` | int |",
        "| `score` | int | 0-10 |": "| `score` | int or double | 0-10 |",
        "| `status` | int | the HTTP status answered |": "| `status` | int | |\n| `status_text` | string | |",
        "- `seq -1` — newest first": "- `seq 1` — newest first",
        "- `expires_on 1; expireAfterSeconds 0`": "- `expires_on 1; expireAfterSeconds 60`",
        "### `counters`": "### `counter`",
    }
    for old, new in edits.items():
        assert old in text, old
        text = text.replace(old, new)
    assert sorted(set(compare(text, stored.collections)) - already) == sorted([
        "collection `interviews`: field `summary` is stored (string) but not documented",
        "collection `answers`: field `human_score` is stored as null but documented as int",
        "collection `answers`: field `score` is documented as double but stored only as int",
        "collection `audit`: field `status_text` is documented but in no document",
        "collection `audit`: index `seq 1` is documented but not on the server",
        "collection `audit`: index `seq -1` is on the server but not documented",
        "collection `sign_ins`: index `expires_on 1; expireAfterSeconds 60` is documented but not on the server",
        "collection `sign_ins`: index `expires_on 1; expireAfterSeconds 0` is on the server but not documented",
        "collection `counters` is stored but not documented",
        "collection `counter` is documented but not stored",
    ])  # fmt: skip
