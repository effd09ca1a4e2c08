"""The recruiters' read models in both stores, with the persistence handler on top: positions, invitations,
users and webhook deliveries folded from their events into records found by id and by key; an older
version never replaces a newer; erasing an interview takes its invitation's personal data too; the audit
log and sign-ins."""

from datetime import UTC, datetime, timedelta

from services.persistence.handlers import build_handlers
from services.persistence.queries import AuditQuery, Page
from services.persistence.recruiting import InvitationDocument, PositionDocument, Record, UserDocument
from services.persistence.rows import AuditEntry, SignIn
from shared.contracts.events import (
    ApiTokenIssued,
    ApiTokenIssuedPayload,
    ApiTokenRevoked,
    ApiTokenRevokedPayload,
    InterviewErased,
    InterviewErasedPayload,
    InterviewStarted,
    InvitationAccepted,
    InvitationAcceptedPayload,
    InvitationIssued,
    InvitationIssuedPayload,
    PositionClosed,
    PositionCreated,
    PositionCreatedPayload,
    PositionStatusPayload,
    PositionUpdated,
    PositionUpdatedPayload,
    UserCreated,
    UserCreatedPayload,
)
from tests.factories import T0, interview_events

POSITION, INVITATION, USER = "pos-aaaaaaaaaaaa", "inv-bbbbbbbbbbbb", "usr-cccccccccccc"


async def record_all(store, events):
    record = build_handlers(store)[PositionCreated]
    for event in events:
        await record(event)


def position_events():
    created = PositionCreatedPayload(position_id=POSITION, title="Nurse", job_description="Registered nurse, night shifts.",
                                     num_questions=3, must_ask=("Tell us about a hard night shift.",), rubric="",
                                     created_by=USER, created_at=T0)  # fmt: skip
    return [
        PositionCreated.create(session_id=POSITION, producer="test", payload=created),
        PositionUpdated.create(session_id=POSITION, producer="test",
                               payload=PositionUpdatedPayload(num_questions=4, updated_by=USER, updated_at=T0 + timedelta(minutes=1))),
        PositionClosed.create(session_id=POSITION, producer="test",
                              payload=PositionStatusPayload(by=USER, at=T0 + timedelta(minutes=2))),
    ]  # fmt: skip


def invitation_events(session_id: str):
    issued = InvitationIssuedPayload(invitation_id=INVITATION, position_id=POSITION, candidate_name="Florence",
                                     email="florence@example.com", token_hash="ab" * 32, expires_at=T0 + timedelta(days=14),
                                     issued_by=USER, issued_at=T0)  # fmt: skip
    accepted = InvitationAcceptedPayload(interview_session_id=session_id, accepted_at=T0 + timedelta(hours=1))
    return [InvitationIssued.create(session_id=INVITATION, producer="test", payload=issued),
            InvitationAccepted.create(session_id=INVITATION, producer="test", payload=accepted)]  # fmt: skip


async def test_a_position_is_folded_from_its_events(store):
    await record_all(store, position_events())
    position = PositionDocument.model_validate((await store.get_record("position", POSITION)).document)
    assert (position.title, position.num_questions, position.status) == ("Nurse", 4, "closed")
    assert position.must_ask == ["Tell us about a hard night shift."]
    assert [r.id for r in await store.list_records("position")] == [POSITION]
    progress = (await store.sessions_progress([POSITION]))[POSITION]
    assert progress.projected_version == 3 == len(progress.event_ids)  # what consistency tokens read


async def test_an_older_record_never_replaces_a_newer_one(store):
    await record_all(store, position_events())
    stale = Record("position", POSITION, 1, {"anything": True})
    assert await store.save_record(stale) is False
    assert (await store.get_record("position", POSITION)).document["status"] == "closed"


async def test_invitations_are_found_by_token_position_and_interview(store):
    await record_all(store, position_events() + invitation_events("s0000009"))
    by_token = await store.find_records("invitation", "token", "ab" * 32)
    by_position = await store.find_records("invitation", "position", POSITION)
    by_session = await store.find_records("invitation", "session", "s0000009")
    assert [r.id for r in by_token] == [r.id for r in by_position] == [r.id for r in by_session] == [INVITATION]
    invitation = InvitationDocument.model_validate(by_token[0].document)
    assert invitation.interview_session_id == "s0000009" and "token_hash" not in by_token[0].document
    assert await store.find_records("invitation", "token", "cd" * 32) == []


async def test_erasing_an_interview_erases_its_invitation_too(store):
    session_id = "s0000009"
    events = interview_events(session_id, scores=(7,), total=1)
    await record_all(store, position_events() + invitation_events(session_id) + events)
    erased = InterviewErased.derived(
        session_id=session_id, producer="test", payload=InterviewErasedPayload(requested_at=T0)
    )
    await record_all(store, [erased])
    assert await store.get_record("invitation", INVITATION) is None
    assert await store.session_events(INVITATION) == [] or all(
        isinstance(e, InterviewErased) for e in await store.session_events(INVITATION)
    )
    await record_all(store, invitation_events(session_id))  # late copies of its events are not stored again
    assert await store.get_record("invitation", INVITATION) is None
    assert (await store.get_record("position", POSITION)) is not None  # the position stays


async def test_users_are_found_by_email_and_by_live_tokens_only(store):
    created = UserCreatedPayload(user_id=USER, email="Maria@Example.com", name="Maria", role="reviewer",
                                 positions=(POSITION,), created_by="admin-token", created_at=T0)  # fmt: skip
    events = [
        UserCreated.create(session_id=USER, producer="test", payload=created),
        ApiTokenIssued.create(session_id=USER, producer="test", payload=ApiTokenIssuedPayload(
            token_id="tok-1", token_hash="11" * 32, issued_at=T0)),
        ApiTokenIssued.create(session_id=USER, producer="test", payload=ApiTokenIssuedPayload(
            token_id="tok-2", token_hash="22" * 32, issued_at=T0 + timedelta(seconds=1))),
        ApiTokenRevoked.create(session_id=USER, producer="test", payload=ApiTokenRevokedPayload(
            token_id="tok-1", revoked_at=T0 + timedelta(seconds=2))),
    ]  # fmt: skip
    await record_all(store, events)
    [found] = await store.find_records("user", "email", "maria@example.com")
    user = UserDocument.model_validate(found.document)
    assert user.positions == [POSITION] and [t.revoked_at is not None for t in user.tokens] == [True, False]
    assert await store.find_records("user", "token", "11" * 32) == []  # revoked
    assert [r.id for r in await store.find_records("user", "token", "22" * 32)] == [USER]


async def test_the_audit_log_is_appended_and_read_newest_first(store):
    for n, (actor, action) in enumerate(
        [("usr-a", "sign in"), ("usr-b", "read interview"), ("usr-a", "review answer")]
    ):
        await store.append_audit(AuditEntry(at=(T0 + timedelta(seconds=n)).isoformat(), actor=actor, actor_name=actor,
                                            role="recruiter", action=action, target="s1", client="10.0.0.1", status=200))  # fmt: skip
    total, entries = await store.list_audit(AuditQuery(page=Page(2, 0)))
    assert total == 3 and [e.action for e in entries] == ["review answer", "read interview"]
    assert entries[0].seq > entries[1].seq
    total, mine = await store.list_audit(AuditQuery(actor="usr-a"))
    assert total == 2 and {e.actor for e in mine} == {"usr-a"}


async def test_sign_ins_are_kept_by_hash_and_ended(store):
    later = datetime.now(UTC) + timedelta(hours=12)  # MongoDB drops expired sign-ins by itself (TTL index)
    await store.save_sign_in("ee" * 32, SignIn(user_id=USER, expires_at=later.isoformat(), credential="ff" * 32))
    kept = await store.get_sign_in("ee" * 32)
    assert (kept.user_id, kept.credential) == (USER, "ff" * 32)
    await store.delete_sign_in("ee" * 32)
    assert await store.get_sign_in("ee" * 32) is None


async def test_an_erased_interview_names_its_invitation_even_before_the_invitation_knows_it(store):
    """The invitation's InvitationAccepted not projected yet (or never published): the interview's own
    InterviewStarted names the invitation, and the erasure finds it there."""
    session_id = "s0000010"
    events = interview_events(session_id, scores=(7,), total=1)
    started = next(e for e in events if isinstance(e, InterviewStarted))
    invited = started.model_copy(update={"payload": started.payload.model_copy(update={"invitation_id": INVITATION})})
    events = [invited if e is started else e for e in events]
    await record_all(store, position_events() + invitation_events(session_id)[:1] + events)
    assert await store.find_records("invitation", "session", session_id) == []  # nothing points back yet
    erased = InterviewErased.derived(
        session_id=session_id, producer="test", payload=InterviewErasedPayload(requested_at=T0)
    )
    await record_all(store, [erased])
    assert await store.get_record("invitation", INVITATION) is None
    assert "Florence" not in repr(await store.session_events(INVITATION))
