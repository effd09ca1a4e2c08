"""HTTP robustness: schemathesis generates requests from the gateway's and the persistence
service's own OpenAPI documents and sends them to the running services. No answer may be a 5xx,
and every error must be JSON with a message. (The gateway runs with the fake OpenAI server, so
its voice endpoints answer instead of saying 501.)"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.e2e.conftest import assert_clean_shutdown, start_stack, stop_stack
from tests.fakes.openai_server import FakeOpenAI

pytestmark = pytest.mark.e2e
EXAMPLES = 40


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    fake = FakeOpenAI().start()
    stack = start_stack(
        "test_api_fuzz",
        tmp_path_factory.mktemp("stack"),
        OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=fake.base_url, OPENAI_MAX_RETRIES="0",
        START_RATE_PER_MINUTE="100000", ANSWER_RATE_PER_MINUTE="100000", VOICE_RATE_PER_MINUTE="100000",
    )  # fmt: skip
    yield stack
    assert_clean_shutdown(stack, stop_stack(stack))
    fake.stop()


@pytest.fixture(scope="module")
def gateway_schema(stack):
    return schemathesis.openapi.from_url(f"{stack.url()}/openapi.json")


@pytest.fixture(scope="module")
def persistence_schema(stack):
    return schemathesis.openapi.from_url(f"{stack.url('persistence')}/openapi.json")


def errors_are_json_with_a_message(ctx, response, case) -> None:
    if response.status_code >= 400:
        assert response.headers.get("content-type", [""])[0].startswith("application/json"), (
            f"{case.method} {case.formatted_path} answered {response.status_code} without JSON"
        )
        body = response.json()
        assert isinstance(body.get("message"), str) and body["message"], f"no message in {body}"


CHECKS = [not_a_server_error, errors_are_json_with_a_message]


def fuzz(schema, skip: str | None = None) -> list[str]:
    """Every operation of the schema, EXAMPLES generated requests each; the operations fuzzed."""
    fuzzed = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if skip and operation.path.endswith(skip):
            continue  # the live stream: a request that succeeds never ends

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case) -> None:
            case.call_and_validate(checks=CHECKS, timeout=30)

        call()
        fuzzed.append(f"{operation.method.upper()} {operation.path}")
    return fuzzed


def test_the_gateway_never_fails_and_always_explains(gateway_schema):
    fuzzed = fuzz(gateway_schema, skip="/events")
    assert {"POST /api/start-interview", "POST /api/submit-answer", "POST /api/end-interview", "POST /api/tts",
            "GET /api/interview/{session_id}"} <= set(fuzzed)  # fmt: skip


def test_the_read_api_never_fails_and_always_explains(persistence_schema):
    fuzzed = fuzz(persistence_schema)
    assert {"GET /api/data/interviews", "GET /api/data/statistics", "DELETE /api/data/interview/{session_id}",
            "GET /api/data/answers", "GET /api/data/export/{data_set}.csv"} <= set(fuzzed)  # fmt: skip
