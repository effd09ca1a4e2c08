"""The recruiters' API of the persistence service in-process on the real RabbitMQ, on a fresh machine (no
ADMIN_TOKEN, no users): its first user must be an admin, a reviewer's refusals say why, a CSV with semicolons
invites, and a candidate listed twice is refused."""

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from services.persistence.app import create_app
from services.persistence.settings import PersistenceSettings
from tests.e2e.test_recruiting import POSITION


@asynccontextmanager
async def serving(settings: PersistenceSettings) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    """The persistence service in-process (its broker consumer on the real RabbitMQ), called over ASGI (an
    error it does not handle comes back as its 500, as a client would get it), and the app (its store)."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            yield client, app


@pytest.fixture
async def persistence(namespace, tmp_path) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(PersistenceSettings(broker_namespace=namespace, data_dir=tmp_path, admin_token=None)) as (
        client,
        _,
    ):
        yield client


async def test_the_first_user_of_an_open_machine_must_be_an_admin(persistence):
    refused = await persistence.post("/api/users", json={"email": "rita@example.com", "role": "recruiter"})
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"] == "conflict"
    assert "first user must be an admin" in refused.json()["message"]
    assert "open access ends" in refused.json()["message"]
    listed = await persistence.get("/api/users")  # still open: nothing was created
    assert listed.status_code == 200 and listed.json()["users"] == []

    first = await persistence.post("/api/users", json={"email": "ada@example.com", "role": "admin"})
    assert first.status_code == 201, first.text
    assert (await persistence.get("/api/users")).status_code == 401  # open access ended with her
    ada = {"Authorization": f"Bearer {first.json()['token']}"}
    assert (await persistence.get("/api/users", headers=ada)).json()["users"][0]["role"] == "admin"
    rita = {"email": "rita@example.com", "role": "recruiter"}
    assert (await persistence.post("/api/users", headers=ada, json=rita)).status_code == 201
    ada_id = first.json()["user"]["user_id"]
    own = await persistence.patch(f"/api/users/{ada_id}", headers=ada, json={"role": "recruiter"})
    assert own.status_code == 409 and "own admin role" in own.json()["message"]  # nor can the last admin leave


async def test_a_reviewers_refusal_says_what_is_wrong(persistence):
    admin = await persistence.post("/api/users", json={"email": "ada@example.com", "role": "admin"})
    ada = {"Authorization": f"Bearer {admin.json()['token']}"}
    mine = (await persistence.post("/api/positions", headers=ada, json=POSITION)).json()["position_id"]
    other = (await persistence.post("/api/positions", headers=ada, json=POSITION)).json()["position_id"]
    reviewer = await persistence.post("/api/users", headers=ada,
                                      json={"email": "rev@example.com", "role": "reviewer", "positions": [mine]})  # fmt: skip
    reva = {"Authorization": f"Bearer {reviewer.json()['token']}"}

    for path, params in [
        ("/api/data/answers", {"position_id": mine}),
        ("/api/data/answers", {"session_id": "s-1"}),
        ("/api/data/export/interviews.json", {"position_id": mine}),
        ("/api/data/job-descriptions", {"position_id": mine}),
        ("/api/data/analysis/question-quality", {"position_id": mine}),
    ]:
        refused = await persistence.get(path, params=params, headers=reva)
        assert refused.status_code == 403, (path, refused.text)
        message = refused.json()["message"]
        assert "needs the role recruiter or admin" in message and "add position_id" not in message, (path, message)
    without = await persistence.get("/api/data/interviews", headers=reva)
    assert without.status_code == 403 and "add position_id=<one of yours>" in without.json()["message"]
    theirs = await persistence.get("/api/data/interviews", params={"position_id": other}, headers=reva)
    assert theirs.status_code == 403 and theirs.json()["message"] == f"The position '{other}' is not assigned to you."
    allowed = await persistence.get("/api/data/interviews", params={"position_id": mine}, headers=reva)
    assert allowed.status_code == 200, allowed.text


async def test_a_spreadsheets_csv_with_semicolons_invites(persistence):
    admin = await persistence.post("/api/users", json={"email": "ada@example.com", "role": "admin"})
    ada = {"Authorization": f"Bearer {admin.json()['token']}"}
    position_id = (await persistence.post("/api/positions", headers=ada, json=POSITION)).json()["position_id"]
    path = f"/api/positions/{position_id}/invitations"
    csv = "\ufeffname;email\r\nAda Lovelace;ada@example.com\r\nAlan Turing;alan@example.com\r\n".encode()
    invited = await persistence.post(path, content=csv, headers=ada | {"Content-Type": "text/csv"})
    assert invited.status_code == 201, invited.text
    assert [(i["candidate_name"], i["email"]) for i in invited.json()["invitations"]] == [
        ("Ada Lovelace", "ada@example.com"),
        ("Alan Turing", "alan@example.com"),
    ]
    wrong = await persistence.post(path, content=b"Telefonnummer;Notiz\n030 1234567;Ada\n",
                                   headers=ada | {"Content-Type": "text/csv"})  # fmt: skip
    assert wrong.status_code == 422 and "its first row names 'Telefonnummer', 'Notiz'." in wrong.json()["message"]


async def test_a_candidate_listed_twice_is_refused_and_nothing_is_created(persistence):
    admin = await persistence.post("/api/users", json={"email": "ada@example.com", "role": "admin"})
    ada = {"Authorization": f"Bearer {admin.json()['token']}"}
    position_id = (await persistence.post("/api/positions", headers=ada, json=POSITION)).json()["position_id"]
    path = f"/api/positions/{position_id}/invitations"
    csv = b"name,email\nDup One,dup@example.com\nAlan,alan@example.com\nDup Two,DUP@example.com\n"
    refused = await persistence.post(path, content=csv, headers=ada | {"Content-Type": "text/csv"})
    assert refused.status_code == 422, refused.text
    twice = "CSV lines 2 and 4: dup@example.com is listed twice: each candidate gets one invitation"
    assert refused.json()["message"] == twice
    typed = {"candidates": [{"candidate_name": "A", "email": "a@example.com"}, {"candidate_name": "B", "email": ""},
                            {"candidate_name": "C", "email": ""}, {"candidate_name": "A", "email": "a@example.com"}]}  # fmt: skip
    assert (await persistence.post(path, headers=ada, json=typed)).status_code == 422
    assert (await persistence.get(path, headers=ada)).json()["invitations"] == []  # nothing was created
    typed["candidates"].pop()  # candidates without an e-mail may be several
    assert (await persistence.post(path, headers=ada, json=typed)).status_code == 201


async def test_the_last_admins_last_token_is_not_revoked_while_it_is_the_only_way_in(persistence):
    first = await persistence.post("/api/users", json={"email": "ada@example.com", "role": "admin"})
    ada_id, token_id = first.json()["user"]["user_id"], first.json()["user"]["tokens"][0]["token_id"]
    ada = {"Authorization": f"Bearer {first.json()['token']}"}
    refused = await persistence.delete(f"/api/users/{ada_id}/tokens/{token_id}", headers=ada)
    assert refused.status_code == 409 and "last API token of the last admin" in refused.json()["message"], refused.text
    second = await persistence.post(f"/api/users/{ada_id}/tokens", headers=ada, json={"label": "laptop"})
    assert second.status_code == 201, second.text
    assert (await persistence.delete(f"/api/users/{ada_id}/tokens/{token_id}", headers=ada)).status_code == 200
    assert (await persistence.get("/api/users", headers=ada)).status_code == 401  # that one is revoked now
    laptop = {"Authorization": f"Bearer {second.json()['token']}"}
    assert (await persistence.get("/api/users", headers=laptop)).status_code == 200  # and this one works


async def test_a_position_and_a_user_are_named_in_visible_text_on_one_line(persistence):
    """Found by a security retest: a title on two lines, or turned round, a job description of zero-width spaces,
    a user's name with a line break, an e-mail address with a NUL were stored."""
    admin = await persistence.post("/api/users", json={"email": "ada@example.com", "role": "admin"})
    ada = {"Authorization": f"Bearer {admin.json()['token']}"}
    for change, said in [({"title": "Backend\nEngineer"}, "title: contains a line break"),
                         ({"title": "\u202eBackend"}, "title: contains the direction control U+202E"),
                         ({"job_description": "\u200b" * 20}, "job_description: shows no visible character")]:  # fmt: skip
        refused = await persistence.post("/api/positions", headers=ada, json=POSITION | change)
        assert refused.status_code == 422 and refused.json()["message"].startswith(said), refused.text
    for user, said in [({"email": "u@x.com", "name": "A\nB"}, "name: contains a line break"),
                       ({"email": "u\u0000@x.com"}, "email: contains the control character U+0000")]:  # fmt: skip
        refused = await persistence.post("/api/users", headers=ada, json=user | {"role": "recruiter"})
        assert refused.status_code == 422 and refused.json()["message"].startswith(said), refused.text
    assert (await persistence.get("/api/positions", headers=ada)).json()["positions"] == []


async def test_changes_of_users_at_once_still_leave_an_admin_and_one_user_per_e_mail(persistence):
    """Found by a security retest: the checks that keep someone able to sign in as an admin, and one user per
    e-mail, held for one request at a time only (two admins demoting each other at once left none)."""
    first = await persistence.post("/api/users", json={"email": "ada@example.com", "role": "admin"})
    ada = {"Authorization": f"Bearer {first.json()['token']}"}
    second = await persistence.post("/api/users", headers=ada, json={"email": "bob@example.com", "role": "admin"})
    bob = {"Authorization": f"Bearer {second.json()['token']}"}
    ada_id, bob_id = first.json()["user"]["user_id"], second.json()["user"]["user_id"]
    demoted = await asyncio.gather(
        persistence.patch(f"/api/users/{bob_id}", headers=ada, json={"role": "recruiter"}),
        persistence.patch(f"/api/users/{ada_id}", headers=bob, json={"role": "recruiter"}),
    )
    assert sorted(r.status_code for r in demoted) == [200, 409], [r.text for r in demoted]
    assert "the last admin who can sign in" in next(r for r in demoted if r.status_code == 409).json()["message"]
    admin, (admin_id, token) = (ada, (ada_id, first)) if demoted[0].status_code == 200 else (bob, (bob_id, second))
    users = (await persistence.get("/api/users", headers=admin)).json()["users"]
    assert [user["role"] for user in users].count("admin") == 1

    laptop = await persistence.post(f"/api/users/{admin_id}/tokens", headers=admin, json={"label": "laptop"})
    tokens = [token.json()["user"]["tokens"][0]["token_id"], laptop.json()["token_id"]]
    revoked = await asyncio.gather(
        *(persistence.delete(f"/api/users/{admin_id}/tokens/{token_id}", headers=admin) for token_id in tokens)
    )
    assert sorted(r.status_code for r in revoked) == [200, 409], [r.text for r in revoked]

    secrets = [token.json()["token"], laptop.json()["token"]]
    kept = {"Authorization": f"Bearer {secrets[[r.status_code for r in revoked].index(409)]}"}  # the one not revoked
    made = await asyncio.gather(
        *(persistence.post("/api/users", headers=kept, json={"email": email, "role": "recruiter"})
          for email in ("dup@example.com", "DUP@example.com", "dup@example.com", "Dup@Example.com"))
    )  # fmt: skip
    assert sorted(r.status_code for r in made) == [201, 409, 409, 409], [r.text for r in made]


async def test_invited_candidates_are_found_across_positions_and_a_reviewer_finds_only_theirs(persistence):
    admin = await persistence.post("/api/users", json={"email": "ada@example.com", "role": "admin"})
    ada = {"Authorization": f"Bearer {admin.json()['token']}"}
    older = (await persistence.post("/api/positions", headers=ada, json=POSITION | {"title": "Older"})).json()
    newer = (await persistence.post("/api/positions", headers=ada, json=POSITION | {"title": "Newer"})).json()
    katherine = {"candidate_name": "Katherine Johnson", "email": "kj@nasa.example"}
    for position, others in ((older, [{"candidate_name": "Dorothy Vaughan"}]), (newer, [])):
        invited = await persistence.post(f"/api/positions/{position['position_id']}/invitations", headers=ada,
                                         json={"candidates": [katherine, *others]})  # fmt: skip
        assert invited.status_code == 201, invited.text
    await persistence.patch(f"/api/positions/{older['position_id']}", headers=ada, json={"status": "closed"})

    async def find(search: str, headers: dict[str, str] = ada, **params: str) -> httpx.Response:
        return await persistence.get("/api/invitations", params={"search": search, **params}, headers=headers)

    found = (await find("KATHERINE")).json()  # any case; the newest position first for the same name
    assert found["total"] == 2
    assert [(c["position_title"], c["status"]) for c in found["candidates"]] == [
        ("Newer", "invited"),
        ("Older", "closed"),
    ]
    assert (
        found["candidates"][0]["position_id"] == newer["position_id"]
        and found["candidates"][0]["email"] == "kj@nasa.example"
    )
    assert (await find("nasa.example")).json()["total"] == 2  # by e-mail
    limited = (await find("johnson", limit="1")).json()
    assert limited["total"] == 2 and len(limited["candidates"]) == 1
    assert (await find("Vaughan")).json()["candidates"][0]["candidate_name"] == "Dorothy Vaughan"
    assert (await find("vaughán")).json()["total"] == 1  # accents aside, either way
    assert (await find("Grace")).json() == {"search": "Grace", "total": 0, "candidates": []}
    for too_short in ("k", "  k  "):
        refused = await find(too_short)
        assert refused.status_code == 422 and "at least 2 characters" in refused.json()["message"], refused.text

    reviewer = await persistence.post("/api/users", headers=ada, json={"email": "rev@example.com", "role": "reviewer",
                                                                       "positions": [newer["position_id"]]})  # fmt: skip
    reva = {"Authorization": f"Bearer {reviewer.json()['token']}"}
    theirs = (await find("katherine", reva)).json()
    assert [c["position_title"] for c in theirs["candidates"]] == ["Newer"] and theirs["total"] == 1
    assert (await find("vaughan", reva)).json()["total"] == 0  # invited for a position not theirs


async def test_the_services_own_reads_are_closed_once_users_exist(persistence):
    """Found by an operator's test: with no ADMIN_TOKEN, /internal (every event of an interview, the
    webhooks' signing secrets) answered anyone even after the first admin existed."""
    assert (await persistence.get("/internal/webhooks")).status_code == 200  # a fresh machine is open
    admin = await persistence.post("/api/users", json={"email": "ada@example.com", "role": "admin"})
    ada = {"Authorization": f"Bearer {admin.json()['token']}"}
    registered = await persistence.post(
        "/api/webhooks", headers=ada, json={"url": "https://93.184.215.14/hook", "topics": ["interview.completed"]}
    )  # an address on the internet (no resolver needed), never called here
    assert registered.status_code == 201, registered.text
    for path in ("/internal/webhooks", "/internal/sessions/abcd1234/events"):
        for headers in ({}, ada):  # not for an admin's token either: it is the services' own
            refused = await persistence.get(path, headers=headers)
            assert refused.status_code == 401, (path, refused.text)
            assert "set the same INTERNAL_TOKEN on every service" in refused.json()["message"]


async def test_a_fresh_machine_opens_only_on_the_machine_it_runs_on(namespace, tmp_path):
    """With no ADMIN_TOKEN and no users the API needs no credentials, but only from the machine it runs on: a
    fresh deployment reachable from the internet, or through a proxy whose client the gateway cannot tell (it
    forwards `unknown`), is not an open admin account for whoever finds it first. Nor is a private address
    enough: a load balancer or Docker's port forwarding hands on the internet's requests from one."""
    settings = PersistenceSettings(broker_namespace=namespace, data_dir=tmp_path, admin_token=None)
    app = create_app(settings)
    async with app.router.lifespan_context(app):

        async def status(peer: str, forwarded: str | None = None, path: str = "/api/users") -> httpx.Response:
            transport = httpx.ASGITransport(app=app, client=(peer, 50000))
            headers = {"X-Forwarded-For": forwarded} if forwarded else {}
            async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
                return await client.get(path, headers=headers)

        for peer, forwarded in [("127.0.0.1", None), ("::1", None), ("127.0.0.1", "127.0.0.1"),
                                ("::ffff:127.0.0.1", "::1"), ("127.0.1.1", None)]:  # fmt: skip
            assert (await status(peer, forwarded)).status_code == 200, (peer, forwarded)
        for peer, forwarded in [("203.0.113.5", None), ("127.0.0.1", "203.0.113.5"), ("127.0.0.1", "unknown"),
                                ("10.1.2.3", None), ("172.18.0.1", None), ("127.0.0.1", "192.168.1.20"),
                                ("fd00::5", None), ("::ffff:8.8.8.8", None), ("2001:db8::1", None)]:  # fmt: skip
            refused = await status(peer, forwarded)
            assert refused.status_code == 401, (peer, forwarded, refused.text)
            assert refused.json()["reason"] == "open_on_this_machine_only"
            assert "create-admin --email" in refused.json()["message"] and "ADMIN_TOKEN" in refused.json()["message"]
            assert refused.headers["www-authenticate"] == "Bearer"
        assert (await status("203.0.113.5", path="/internal/webhooks")).status_code == 401  # the services' reads too
        assert (await status("127.0.0.1", path="/internal/webhooks")).status_code == 200

        async def sent_to(headers: dict[str, str]) -> int:  # from this machine, to the names given (DNS rebinding)
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8001") as client:
                return (await client.get("/api/users", headers=headers)).status_code

        for here in [{"Host": "localhost:8001"}, {"Host": "[::1]:8001"}, {"Host": f"{socket.gethostname()}:8001"},
                     {"Host": "app.localhost"}, {"Host": "LOCALHOST."}, {"Host": "[::ffff:7f00:1]:8001"},
                     {"X-Forwarded-Host": "127.0.0.1:8000"},
                     {"Origin": "http://localhost:8000"}, {"Origin": "http://127.0.0.1:8000"}]:  # fmt: skip
            assert await sent_to(here) == 200, here
        for elsewhere in [{"Host": "rebind.attacker.example:8001"}, {"Host": "127.0.0.1.nip.io"},
                          {"Host": "evil:8001"},  # one label: a search domain's, or spoofed (found by a review)
                          {"X-Forwarded-Host": "rebind.attacker.example:8000"},
                          {"X-Forwarded-Host": "localhost:8000, evil.example"},
                          {"Origin": "http://rebind.attacker.example:8000"}, {"Origin": "null"},
                          {"Host": "[::1"}]:  # fmt: skip
            assert await sent_to(elsewhere) == 401, elsewhere


@pytest.fixture
async def with_internal_token(namespace, tmp_path) -> AsyncIterator[httpx.AsyncClient]:
    settings = PersistenceSettings(broker_namespace=namespace, data_dir=tmp_path, admin_token=None,
                                   internal_token="s3rvice-t0ken-for-the-test")  # fmt: skip
    async with serving(settings) as (client, _):
        yield client


async def test_internal_token_opens_the_services_reads_and_a_recruiters_not_more(with_internal_token):
    persistence = with_internal_token
    service = {"Authorization": "Bearer s3rvice-t0ken-for-the-test"}
    assert (await persistence.get("/internal/webhooks")).status_code == 401  # set: needed even before users
    assert (await persistence.get("/internal/webhooks", headers={"Authorization": "Bearer wrong"})).status_code == 401
    assert (await persistence.get("/internal/webhooks", headers=service)).status_code == 200
    await persistence.post("/api/users", json={"email": "ada@example.com", "role": "admin"})
    assert (await persistence.get("/internal/webhooks", headers=service)).status_code == 200
    assert (await persistence.get("/api/data/interviews", headers=service)).status_code == 200  # the exporter's
    users = await persistence.get("/api/users", headers=service)
    assert users.status_code == 403, users.text  # a recruiter's reach, not an admin's
    # it reads, and changes nothing: no position, no invitation, no sign-in made with it
    created = await persistence.post("/api/positions", headers=service, json=POSITION)
    assert created.status_code == 401, created.text
    signed_in = await persistence.post("/api/auth/sign-in", json={"token": "s3rvice-t0ken-for-the-test"})
    assert signed_in.status_code == 401, signed_in.text


async def test_a_deactivated_person_is_told_so_not_that_their_sign_in_ended(persistence):
    admin = await persistence.post("/api/users", json={"email": "ada@example.com", "role": "admin"})
    ada = {"Authorization": f"Bearer {admin.json()['token']}"}
    rita = (
        await persistence.post("/api/users", headers=ada, json={"email": "rita@example.com", "role": "recruiter"})
    ).json()
    signed_in = await persistence.post("/api/auth/sign-in", json={"token": rita["token"]})
    assert signed_in.status_code == 200, signed_in.text
    cookie = {"Cookie": f"interviewer_session={signed_in.cookies['interviewer_session']}"}
    assert (
        await persistence.patch(f"/api/users/{rita['user']['user_id']}", headers=ada, json={"active": False})
    ).status_code == 200
    for attempt in (
        persistence.get("/api/auth/me", headers={"Authorization": f"Bearer {rita['token']}"}),
        persistence.get("/api/auth/me", headers=cookie),  # her open dashboard
        persistence.post("/api/auth/sign-in", json={"token": rita["token"]}),
    ):
        refused = await attempt
        assert (
            refused.status_code == 401
            and refused.json()["message"] == "This account is deactivated: ask an admin to reactivate it."
        )
    unknown = await persistence.post("/api/auth/sign-in", json={"token": "itk_not-a-token-of-anyone"})
    assert unknown.status_code == 401 and "deactivated" not in unknown.json()["message"]


async def test_a_candidate_invited_already_is_not_invited_again(persistence):
    """Found by a recruiter's test: the same spreadsheet uploaded again invited everyone again, and a candidate
    who had finished got a second link (a retake)."""
    admin = await persistence.post("/api/users", json={"email": "ada@example.com", "role": "admin"})
    ada = {"Authorization": f"Bearer {admin.json()['token']}"}
    position_id = (await persistence.post("/api/positions", headers=ada, json=POSITION)).json()["position_id"]
    path = f"/api/positions/{position_id}/invitations"
    first = await persistence.post(
        path, headers=ada, json={"candidates": [{"candidate_name": "Carl", "email": "carl@example.com"}]}
    )
    assert first.status_code == 201, first.text
    again = await persistence.post(path, content=b"name,email\nNew One,new@example.com\nCarl,CARL@example.com\n",
                                   headers=ada | {"Content-Type": "text/csv"})  # fmt: skip
    assert again.status_code == 409, again.text
    assert "already: CSV line 3: CARL@example.com (invited)." in again.json()["message"]
    listed = (await persistence.get(f"/api/positions/{position_id}/candidates", headers=ada)).json()["candidates"]
    assert [c["email"] for c in listed] == ["carl@example.com"]  # nothing was created
    revoked = await persistence.post(
        f"/api/invitations/{first.json()['invitations'][0]['invitation_id']}/revoke", headers=ada
    )
    assert revoked.status_code == 200
    anew = await persistence.post(
        path, headers=ada, json={"candidates": [{"candidate_name": "Carl", "email": "carl@example.com"}]}
    )
    assert anew.status_code == 201, anew.text  # a revoked link's candidate may be sent a new one


@pytest.mark.parametrize(
    ("url", "fragment"),
    [("http://169.254.169.254/latest", "169.254.169.254 is a link-local address"),  # the cloud's metadata
     ("https://169.254.169.254/latest/meta-data/", "link-local"), ("https://10.1.2.3/hook", "10.1.2.3 is a private"),
     ("https://[fd00::1]/hook", "fd00::1 is a private"), ("http://127.0.0.1:8001/internal", "loopback"),
     ("http://localhost:8001/internal", "localhost resolves to"), ("https://0.0.0.0/hook", "unspecified"),
     ("https://nowhere.invalid/hook", "nowhere.invalid could not be resolved"),
     ("https://[2002:7f00:1::]/hook", "carrying 127.0.0.1"), ("https://192.0.0.9/hook", "special-purpose"),
     ("https://" + "a" * 70 + ".com/hook", "longer than 63 characters"), ("https://93.184.215.14:0/hook", "port")],
)  # fmt: skip
async def test_a_webhook_inside_the_network_is_refused_unless_its_network_is_allowed(namespace, tmp_path, url,
                                                                                     fragment):  # fmt: skip
    """Even with WEBHOOKS_ALLOW_HTTP: the exporter would POST candidates' data there from inside the network."""
    settings = PersistenceSettings(broker_namespace=namespace, data_dir=tmp_path, admin_token="adm1n-t0ken",
                                   webhooks_allow_http=True)  # fmt: skip
    admin = {"Authorization": "Bearer adm1n-t0ken"}
    async with serving(settings) as (persistence, _):
        refused = await persistence.post("/api/webhooks", headers=admin,
                                         json={"url": url, "topics": ["report.generated"]})  # fmt: skip
        assert refused.status_code == 422, refused.text
        message = refused.json()["message"]
        assert fragment in message, message
        if "could not be resolved" not in message and "not a host name" not in message and "port" not in fragment:
            assert "WEBHOOKS_ALLOWED_NETWORKS" in message and "persistence and the exporter" in message
        assert (await persistence.get("/api/webhooks", headers=admin)).json()["webhooks"] == []


async def test_a_receiver_in_an_allowed_network_is_registered(namespace, tmp_path):
    settings = PersistenceSettings(broker_namespace=namespace, data_dir=tmp_path, admin_token="adm1n-t0ken",
                                   webhooks_allowed_networks="10.0.0.0/8,127.0.0.1")  # fmt: skip
    admin = {"Authorization": "Bearer adm1n-t0ken"}
    async with serving(settings) as (persistence, _):
        for url in ("https://10.1.2.3/hook", "http://127.0.0.1:9/hook"):  # plain http: this machine's own
            registered = await persistence.post("/api/webhooks", headers=admin,
                                                json={"url": url, "topics": ["report.generated"]})  # fmt: skip
            assert registered.status_code == 201, registered.text
        for url, fragment in [("https://10.1.2.3:8443/other", None), ("http://10.1.2.3/hook", "use https://"),
                              ("https://192.168.1.5/hook", "192.168.1.5 is a private"),
                              ("https://169.254.169.254/latest", "link-local")]:  # fmt: skip
            answer = await persistence.post("/api/webhooks", headers=admin,
                                            json={"url": url, "topics": ["report.generated"]})  # fmt: skip
            assert answer.status_code == (201 if fragment is None else 422), answer.text
            assert fragment is None or fragment in answer.json()["message"]
        listed = (await persistence.get("/api/webhooks", headers=admin)).json()["webhooks"]
        assert [w["url"] for w in listed] == ["https://10.1.2.3/hook", "http://127.0.0.1:9/hook",
                                              "https://10.1.2.3:8443/other"]  # fmt: skip
