"""The stacks the fault tests run against: each under a fresh broker namespace and data folder,
with the offline AI, a fake OpenAI-compatible server (slow, so faults meet handlers mid-work, or
quick), and a fake Google Sheets."""

import pytest

from tests.e2e.conftest import assert_clean_shutdown, start_stack, stop_stack
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.sheets_server import FakeSheets
from tests.faults import summary
from tests.faults.probes import require_broker_control

AI_DELAY = 1.0  # seconds the slow fake model takes per completion: handlers are busy when faults land
ENV = {
    "ANSWER_WAIT_SECONDS": "5", "START_WAIT_SECONDS": "5",
    "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000",
}  # fmt: skip


@pytest.fixture(scope="session", autouse=True)
def figures():
    yield
    summary.write()


@pytest.fixture
def broker_control():
    """Before any stack starts: rabbitmqctl reaches the broker of AMQP_URL."""
    require_broker_control()


def running_stack(request, tmp_path, replicas: dict[str, int] | None = None, **env: str):
    stack = start_stack(f"faults-{request.node.name}", tmp_path, **ENV, **env, start_replicas=replicas)
    yield stack
    assert_clean_shutdown(stack, stop_stack(stack))


@pytest.fixture
def stack(request, tmp_path):
    yield from running_stack(request, tmp_path, getattr(request, "param", None))


def ai_env(ai: FakeOpenAI) -> dict[str, str]:
    return {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": ai.base_url, "OPENAI_MODEL": "gpt-fake"}


@pytest.fixture(scope="module")
def slow_ai():
    server = FakeOpenAI(delay=AI_DELAY).start()
    yield server
    server.stop()


@pytest.fixture
def slow_ai_stack(request, tmp_path, slow_ai):
    slow_ai.clear()
    yield from running_stack(request, tmp_path, **ai_env(slow_ai))


@pytest.fixture
def sheets():
    server = FakeSheets().start()
    yield server
    server.stop()


@pytest.fixture
def exporting_stack(request, tmp_path, slow_ai, sheets):
    """The slow AI, and completed interviews exported to the fake Google Sheets."""
    slow_ai.clear()
    env = {"GOOGLE_SHEETS_CREDENTIALS_FILE": str(sheets.credentials_file(tmp_path)),
           "GOOGLE_SHEETS_SPREADSHEET_ID": sheets.spreadsheet_id, "GOOGLE_SHEETS_API_URL": sheets.url}  # fmt: skip
    yield from running_stack(request, tmp_path, **ai_env(slow_ai), **env)


@pytest.fixture
def quick_ai():
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture
def quick_ai_stack(request, tmp_path, quick_ai):
    yield from running_stack(request, tmp_path, **ai_env(quick_ai))
