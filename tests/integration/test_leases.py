"""One holder at a time across persistence processes (`store.exclusive`): two stores opened on one SQLite file or
one MongoDB database (SecantusDB, a real server) stand for two replicas, and two persistence apps on one store
invite the same person at once through each."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from services.persistence.settings import PersistenceSettings
from services.persistence.store import Busy, Store, exclusive
from services.persistence.store.mongo import MongoStore
from services.persistence.store.sqlite import SQLiteStore
from tests.e2e.test_recruiting import POSITION
from tests.integration.stores import MONGODB_KIND, STORE_KINDS
from tests.integration.test_recruiting_api import serving
from tests.mongodb import mongodb_url


@asynccontextmanager
async def two_stores(kind: str, folder: Path) -> AsyncIterator[tuple[Store, Store]]:
    """Two stores on the same data, as two persistence replicas open it."""
    database = f"interviewer_test_{uuid.uuid4().hex[:8]}"
    stores: list[Store] = [
        MongoStore.from_url(mongodb_url(), database) if kind == MONGODB_KIND else SQLiteStore(folder / "i.sqlite3")
        for _ in range(2)
    ]
    for store in stores:
        await store.open()
    try:
        yield stores[0], stores[1]
    finally:
        if isinstance(stores[0], MongoStore):
            await stores[0].client.drop_database(database)
        for store in stores:
            await store.close()


@pytest.mark.parametrize("kind", STORE_KINDS)
async def test_a_running_lease_is_refused_to_another_holder_until_it_is_given_back_or_runs_out(kind, tmp_path):
    async with two_stores(kind, tmp_path) as (one, other):
        assert await one.take_lease("position p1", "holder-a", 30)
        assert not await other.take_lease("position p1", "holder-b", 30)
        assert await other.take_lease("position p2", "holder-b", 30)  # another name is free
        await other.end_lease("position p1", "holder-b")  # not its holder's: nothing given back
        assert not await other.take_lease("position p1", "holder-b", 30)
        await one.end_lease("position p1", "holder-a")
        assert await other.take_lease("position p1", "holder-b", 0.2)
        assert not await one.take_lease("position p1", "holder-a", 30)
        await asyncio.sleep(0.3)  # holder-b's process died holding it: it runs out
        assert await one.take_lease("position p1", "holder-a", 30)


@pytest.mark.parametrize("kind", STORE_KINDS)
async def test_exclusive_lets_one_holder_in_at_a_time_across_stores_and_says_busy_after_its_wait(kind, tmp_path):
    async with two_stores(kind, tmp_path) as (one, other):
        inside: list[int] = []
        most = 0

        async def hold(store: Store, n: int) -> None:
            nonlocal most
            async with exclusive(store, "invitations of p1"):
                inside.append(n)
                most = max(most, len(inside))
                await asyncio.sleep(0.05)
                inside.remove(n)

        await asyncio.gather(*(hold(one if n % 2 else other, n) for n in range(6)))
        assert most == 1

        async with exclusive(one, "invitations of p1"):
            with pytest.raises(Busy):
                async with exclusive(other, "invitations of p1", wait=0.3):
                    pass
        async with exclusive(other, "invitations of p1", wait=0.3):  # given back on leaving
            pass


@pytest.mark.parametrize("kind", STORE_KINDS)
async def test_two_persistence_replicas_inviting_the_same_person_at_once_make_one_invitation(kind, namespace, tmp_path):
    """Found by a recruiter's test and first fixed in one process only: persistence replicas (two by default on
    Kubernetes, on MongoDB) each passed the "invited already" check before either had recorded its invitation."""
    database = f"interviewer_test_{uuid.uuid4().hex[:8]}"
    mongo = {"mongodb_url": mongodb_url(), "mongodb_database": database} if kind == MONGODB_KIND else {}
    settings = PersistenceSettings(broker_namespace=namespace, data_dir=tmp_path, admin_token=None, **mongo)
    async with serving(settings) as (one, app), serving(settings) as (other, _):
        position_id = (await one.post("/api/positions", json=POSITION)).json()["position_id"]
        body = {"candidates": [{"candidate_name": "Race Two", "email": "race2@example.org"}]}
        path = f"/api/positions/{position_id}/invitations"
        answers: list[httpx.Response] = await asyncio.gather(
            *(client.post(path, json=body) for client in (one, other, one, other))
        )
        assert sorted(r.status_code for r in answers) == [201, 409, 409, 409], [r.text for r in answers]
        for client in (one, other):
            listed = (await client.get(f"/api/positions/{position_id}/candidates")).json()["candidates"]
            assert [c["email"] for c in listed] == ["race2@example.org"]
        if kind == MONGODB_KIND:
            await app.state.store.client.drop_database(database)
