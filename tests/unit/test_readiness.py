"""/readyz: what a service needs decides it, each check bounded to a second; what it only informs about (the
gateway's persistence: candidates start and answer without it) is reported beside, never making it unready."""

import asyncio
import time

from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.platform.service import health_router


def readiness(checks, informs=None) -> TestClient:
    app = FastAPI()
    app.include_router(health_router("gateway", checks, None, informs))
    return TestClient(app)


def test_an_informed_dependency_down_leaves_the_service_ready_and_says_so():
    response = readiness({"broker": lambda: True}, {"persistence": lambda: False}).get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"broker": True} and response.json()["also"] == {"persistence": False}


def test_a_needed_dependency_down_or_failing_makes_it_unready():
    def broken() -> bool:
        raise ConnectionError("refused")

    response = readiness({"broker": lambda: False, "store": broken}).get("/readyz")
    assert response.status_code == 503 and response.json()["checks"] == {"broker": False, "store": False}


def test_a_hanging_check_fails_within_its_second():
    async def hanging() -> bool:
        await asyncio.sleep(30)
        return True

    began = time.monotonic()
    response = readiness({"broker": lambda: True, "store": hanging}).get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["store"] is False
    assert time.monotonic() - began < 3
