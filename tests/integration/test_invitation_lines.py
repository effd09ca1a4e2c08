"""Found by a recruiter's user test of the recruiting API (persistence in-process on the real RabbitMQ): a
candidate's line of links (an invitation and its New links) is one candidate; an upload says every problem at
once; a search gives every reviewer's verdict; a revoke racing a start is refused."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from services.persistence.handlers import build_handlers
from services.persistence.recruiting import InvitationDocument, line_session_id
from services.persistence.settings import PersistenceSettings
from services.persistence.store import Store
from shared.contracts.events import (
    InterviewReviewed,
    InterviewReviewedPayload,
    InvitationAccepted,
    InvitationAcceptedPayload,
    PositionCreated,
    utc_now,
)
from tests.e2e.test_recruiting import POSITION
from tests.factories import interview_events
from tests.integration.test_recruiting_api import serving


@pytest.fixture
async def served(namespace, tmp_path) -> AsyncIterator[tuple[httpx.AsyncClient, Store]]:
    settings = PersistenceSettings(broker_namespace=namespace, data_dir=tmp_path, admin_token=None)
    async with serving(settings) as (client, app):
        admin = await client.post("/api/users", json={"email": "rob@example.com", "name": "Rob", "role": "admin"})
        client.headers["Authorization"] = f"Bearer {admin.json()['token']}"
        yield client, app.state.store


async def record(store: Store, events) -> None:
    store_and_project = build_handlers(store)[PositionCreated]  # every event type's
    for event in events:
        await store_and_project(event)


async def started(
    store: Store, invitation_id: str, *, accepted: bool = True, complete: bool = False, at: datetime | None = None
) -> str:
    """The interview of the invitation's line, as the gateway starts it (`at`, else now): InterviewStarted, then
    InvitationAccepted."""
    invitation = InvitationDocument.model_validate((await store.get_record("invitation", invitation_id)).document)
    session_id = line_session_id(invitation)
    events = interview_events(session_id, (8,) if complete else (), 1, name=invitation.candidate_name,
                              complete=complete, start=at or datetime.now(UTC))  # fmt: skip
    if accepted:
        payload = InvitationAcceptedPayload(interview_session_id=session_id, accepted_at=utc_now())
        events.append(InvitationAccepted.create(session_id=invitation_id, producer="test", payload=payload))
    await record(store, events)
    return session_id


async def invite(client: httpx.AsyncClient, position_id: str, *names: str) -> dict[str, str]:
    body = {"candidates": [{"candidate_name": name, "email": f"{name.lower()}@example.org"} for name in names]}
    made = await client.post(f"/api/positions/{position_id}/invitations", json=body)
    assert made.status_code == 201, made.text
    return {i["candidate_name"]: i["invitation_id"] for i in made.json()["invitations"]}


async def new_link(client: httpx.AsyncClient, invitation_id: str) -> str:
    made = await client.post(f"/api/invitations/{invitation_id}/new-link")
    assert made.status_code == 201, made.text
    return made.json()["invitations"][0]["invitation_id"]


async def test_a_line_of_new_links_is_one_candidate_and_only_a_real_revocation_counts(served):
    """4 candidates, each given a new link and two of them twice: the list said "Revoked 6", the position "9
    candidates", and a search found Carla twice ("started" and "revoked")."""
    client, store = served
    position_id = (await client.post("/api/positions", json=POSITION)).json()["position_id"]
    links = {
        name: [first] for name, first in (await invite(client, position_id, "Anna", "Ben", "Carla", "Dan")).items()
    }
    for name in ("Anna", "Ben", "Carla", "Dan", "Anna", "Carla"):
        links[name].append(await new_link(client, links[name][-1]))
    await started(store, links["Carla"][-1])
    assert (await client.post(f"/api/invitations/{links['Ben'][-1]}/revoke")).status_code == 200  # a real one

    candidates = (await client.get(f"/api/positions/{position_id}/candidates")).json()["candidates"]
    assert {
        c["candidate_name"]: (c["invitation_id"], c["status"], c["replaced_invitation_ids"]) for c in candidates
    } == {
        name: (line[-1], status, line[:-1])
        for (name, line), status in zip(links.items(), ("invited", "revoked", "started", "invited"), strict=True)
    }
    assert {c["candidate_name"]: c["replaced_links"] for c in candidates} == {"Anna": 2, "Ben": 1, "Carla": 2, "Dan": 1}
    counts = {"invited": 2, "started": 1, "completed": 0, "expired": 0, "closed": 0, "revoked": 1}
    assert (await client.get(f"/api/positions/{position_id}")).json()["candidates"] == counts
    assert (await client.get("/api/positions")).json()["positions"][0]["candidates"] == counts

    found = (await client.get("/api/invitations", params={"search": "carla"})).json()
    assert found["total"] == 1 and [(c["status"], c["replaced_links"]) for c in found["candidates"]] == [("started", 2)]

    listed = (await client.get(f"/api/positions/{position_id}/invitations")).json()["invitations"]
    assert len(listed) == 10  # the list of invitations keeps every link, each replaced one naming its new link
    successor = {link: after for line in links.values() for link, after in zip(line, line[1:], strict=False)}
    assert {i["invitation_id"]: i["replaced_by"] for i in listed} == {
        link: successor.get(link) for line in links.values() for link in line
    }


async def test_an_upload_says_every_problem_at_once_each_by_its_line(served):
    """A bad e-mail on line 6 was said alone; fixed, the next upload said "emma.smith@example.org is listed
    twice" without lines; and one invited already came only after that."""
    client, _ = served
    position_id = (await client.post("/api/positions", json=POSITION)).json()["position_id"]
    await invite(client, position_id, "Carl")
    path = f"/api/positions/{position_id}/invitations"
    rows = ["name,email", "Ann,ann@example.org", "Emma Smith,emma.smith@example.org", "Bo,bo@example.org",
            "Cy,cy@example.org", "Di,not-an-email", "Ed,ed@example.org", "Flo,flo@example.org", "Gus,gus@example.org",
            "Emma S.,Emma.Smith@example.org", "Carl,carl@example.org"]  # fmt: skip
    refused = await client.post(path, content="\n".join(rows).encode(), headers={"Content-Type": "text/csv"})
    assert refused.status_code == 422, refused.text
    assert refused.json()["message"] == (
        "3 problems (nothing was created): CSV lines 3 and 10: emma.smith@example.org is listed twice: each "
        "candidate gets one invitation; CSV line 6: email: 'not-an-email' is not an e-mail address; CSV line 11: "
        "carl@example.org is invited to this position already (invited)"
    )
    typed = {"candidates": [{"candidate_name": "Ann", "email": "ann@example.org"},
                            {"candidate_name": "Di", "email": "not-an-email"},
                            {"candidate_name": "Ann B", "email": "ANN@example.org"},
                            {"candidate_name": "Carl", "email": "carl@example.org"}]}  # fmt: skip
    refused = await client.post(path, json=typed)
    assert refused.status_code == 422, refused.text
    assert refused.json()["message"] == (  # as fields: the dashboard shows each under its row's e-mail
        "candidates.1.email: 'not-an-email' is not an e-mail address; candidates.2.email: ANN@example.org is "
        "listed twice (first as candidates.0): each candidate gets one invitation; candidates.3.email: "
        "carl@example.org is invited to this position already (invited)"
    )
    many = "name,email\n" + "".join(f"P{n},p{n}@\n" for n in range(12)) + "Carl,carl@example.org\n"
    refused = await client.post(path, content=many.encode(), headers={"Content-Type": "text/csv"})
    message = refused.json()["message"]
    assert message.startswith("13 problems (nothing was created): CSV line 2: email: 'p0@'") and message.endswith(
        "CSV line 11: email: 'p9@' is not an e-mail address (and 3 more)"
    )
    assert [i["candidate_name"] for i in (await client.get(path)).json()["invitations"]] == ["Carl"]
    again = await client.post(path, content=b"name,email\nNew,new@example.org\nCarl,CARL@example.org\n",
                              headers={"Content-Type": "text/csv"})  # fmt: skip
    assert again.status_code == 409 and "already: CSV line 3: CARL@example.org (invited)." in again.json()["message"]


async def test_a_search_gives_every_reviewers_verdict(served):
    """The search's "Human verdict" showed only Rob's latest "yes" where the position page shows Rob's "yes" and
    Vera's "maybe": `human_verdicts` has each person's (positions.js showed only `human_verdict`)."""
    client, store = served
    position_id = (await client.post("/api/positions", json=POSITION)).json()["position_id"]
    invitation_id = (await invite(client, position_id, "Carla"))["Carla"]
    session_id = await started(store, invitation_id, complete=True)
    now = utc_now()
    await record(store, [
        InterviewReviewed.create(session_id=session_id, producer="test", payload=InterviewReviewedPayload(
            verdict=verdict, reviewer=name, reviewer_id=f"usr-{name.lower()}", reviewed_at=now + timedelta(seconds=n)))
        for n, (name, verdict) in enumerate([("Vera", "maybe"), ("Rob", "yes")])
    ])  # fmt: skip
    [found] = (await client.get("/api/invitations", params={"search": "carla"})).json()["candidates"]
    assert found["human_verdict"] == "yes"
    assert [(v["reviewer"], v["verdict"]) for v in found["human_verdicts"]] == [("Vera", "maybe"), ("Rob", "yes")]


async def test_a_revoke_racing_a_start_is_refused_once_the_interview_is_stored(served):
    """A revoke sent 0-20 ms after the start answered 200 while the interview ran: the gateway publishes
    InterviewStarted, then InvitationAccepted, and persistence records them a little later."""
    client, store = served
    position_id = (await client.post("/api/positions", json=POSITION)).json()["position_id"]
    invited = await invite(client, position_id, "Nia", "Ola", "Pia")
    renewed = await new_link(client, invited["Ola"])
    await started(store, invited["Nia"], accepted=False)  # stored, its InvitationAccepted not recorded yet
    await started(store, renewed, accepted=False)  # a new link's: the line's session (of its first invitation)

    for link in (invited["Nia"], renewed):
        refused = await client.post(f"/api/invitations/{link}/revoke")
        assert refused.status_code == 409, refused.text
        assert refused.json()["message"] == "This link has just been used to start an interview; it cannot be revoked."
        assert (await client.post(f"/api/invitations/{link}/new-link")).status_code == 409
    closing = await client.patch(f"/api/positions/{position_id}", json={"status": "closed"})
    assert closing.status_code == 409 and "(Nia, Ola): the position was not closed" in closing.json()["message"]
    listed = (await client.get(f"/api/positions/{position_id}/invitations")).json()["invitations"]
    assert [i["revoked_at"] for i in listed if i["invitation_id"] in (invited["Nia"], renewed)] == [None, None]
    assert (await client.get(f"/api/positions/{position_id}")).json()["status"] == "open"

    assert (await client.post(f"/api/invitations/{invited['Pia']}/revoke")).status_code == 200  # not started
    for link in (invited["Nia"], renewed):  # the starts recorded: "started", as before
        await record(store, [InvitationAccepted.create(session_id=link, producer="test", payload=InvitationAcceptedPayload(
            interview_session_id=line_session_id(InvitationDocument.model_validate(
                (await store.get_record("invitation", link)).document)), accepted_at=utc_now()))])  # fmt: skip
    closed = await client.patch(f"/api/positions/{position_id}", json={"status": "closed"})
    assert closed.status_code == 200 and closed.json()["candidates"]["started"] == 2


async def test_a_start_whose_acceptance_never_came_holds_nothing_for_ever(served):
    """Found by a review: an InterviewStarted whose InvitationAccepted was never published (the gateway's publish
    failed) kept its link from being revoked, and its position from closing, for good."""
    client, store = served
    position_id = (await client.post("/api/positions", json=POSITION)).json()["position_id"]
    invited = await invite(client, position_id, "Quinn")
    await started(store, invited["Quinn"], accepted=False, at=datetime.now(UTC) - timedelta(minutes=10))
    assert (await client.post(f"/api/invitations/{invited['Quinn']}/revoke")).status_code == 200
    assert (await client.patch(f"/api/positions/{position_id}", json={"status": "closed"})).status_code == 200
