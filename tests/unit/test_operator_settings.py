"""What an operator's exploratory test found: settings checked at start in one line, no password in any log
line, every failed publish counted."""

import asyncio
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from services.exporter.settings import ExporterSettings
from services.gateway.settings import GatewaySettings
from services.interview.settings import InterviewSettings
from services.persistence.settings import PersistenceSettings
from services.scoring.settings import ScoringSettings
from shared.platform import metrics
from shared.platform.logs import configure_logging
from shared.platform.messaging import (
    HEARTBEAT_SECONDS,
    LIVE_BINDING,
    Broker,
    PublishFailed,
    SessionFeed,
    with_backoff,
    with_heartbeat,
)
from shared.platform.redaction import redact_credentials
from shared.platform.settings import ConfigurationError, ServiceSettings, what_is_wrong
from tests.factories import interview_events
from tools.namespaces import fresh_namespace

ROOT = Path(__file__).resolve().parents[2]
PORTS = {GatewaySettings: "GATEWAY_PORT", PersistenceSettings: "PERSISTENCE_PORT", InterviewSettings: "INTERVIEW_PORT",
         ScoringSettings: "SCORING_PORT", ExporterSettings: "EXPORTER_PORT"}  # fmt: skip


def refusal(settings_class: type[ServiceSettings], **env: str) -> str:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        with pytest.raises(ValidationError) as raised:
            settings_class()
    return what_is_wrong(raised.value)


@pytest.mark.parametrize(
    "url", ["amqp//guest:s3cretPW@rabbit:5672/", "garbage", "http://guest:s3cretPW@rabbit:5672/",
            "amqp://guest:s3cretPW@:5672/", "amqp://guest:s3cretPW@rabbit:99999/", "amqp://guest:s3cretPW#x@rabbit/"],
)  # fmt: skip
def test_an_unusable_amqp_url_is_refused_at_start_without_repeating_it(url):
    said = refusal(ServiceSettings, AMQP_URL=url)
    assert (
        said.startswith("AMQP_URL: ") and "Value error" not in said and "s3cretPW" not in said and "rabbit" not in said
    ), said


def test_a_usable_amqp_url_is_taken_as_it_is():
    for url in ["amqp://guest:guest@localhost:5672/", "amqps://u:p%40ss@rabbit.example/vhost?heartbeat=5",
                "amqp://u:p@ss@rabbit:5672/"]:  # fmt: skip
        assert ServiceSettings(amqp_url=url).amqp_url == url


def test_the_log_level_is_one_of_five_in_any_case():
    assert ServiceSettings(log_level="debug").log_level == "DEBUG"
    assert ServiceSettings().log_level == "INFO"
    said = refusal(ServiceSettings, LOG_LEVEL="verbose")
    assert said.startswith("LOG_LEVEL: ") and "'DEBUG'" in said and "verbose" not in said, said


def test_a_mongodb_url_the_client_would_refuse_is_refused_at_start():
    said = refusal(PersistenceSettings, MONGODB_URL="mongodb://u:p@ss@db.example/")
    assert said.startswith("MONGODB_URL: ") and "escaped" in said and "ss@db" not in said, said
    assert refusal(PersistenceSettings, MONGODB_URL="postgres://db.example/").startswith("MONGODB_URL: ")
    assert refusal(PersistenceSettings, MONGODB_URL="mongodb://db.example:99999/").startswith("MONGODB_URL: ")
    for url in ["mongodb://u:p%40ss@db.example:27017/?replicaSet=rs0", "mongodb+srv://u:p@cluster.example.com/db"]:
        assert PersistenceSettings(mongodb_url=url).mongodb_url == url  # no DNS, no connection


@pytest.mark.parametrize("settings_class", list(PORTS))
def test_every_port_is_between_1_and_65535(settings_class):
    variable = PORTS[settings_class]
    for port in ("99999", "0", "-1"):
        assert refusal(settings_class, **{variable: port}).startswith(f"{variable}: "), port
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(variable, "65535")
        assert settings_class().port == 65535


def test_a_bind_host_that_is_no_address_names_the_setting():
    for host in ("not-a-host.invalid", "not a host"):
        said = refusal(ServiceSettings, BIND_HOST=host)
        assert said.startswith("BIND_HOST: ") and host not in said, said
    for host in ("0.0.0.0", "::", "localhost"):
        assert ServiceSettings(bind_host=host).bind_host == host


@pytest.mark.parametrize(
    ("text", "logged"),
    [("amqp://guest:p@ss#word@127.0.0.1:5672/", "amqp://guest:***@127.0.0.1:5672/"),
     ("Reconnect attempt failed amqp//guest:s3cretPW@rabbit:5672/ due to ValueError",
      "Reconnect attempt failed amqp//guest:***@rabbit:5672/ due to ValueError"),
     ("<RobustConnection: \"amqps://u:pa:ss@rabbit/vh?heartbeat=5\" 0 channels>",
      "<RobustConnection: \"amqps://u:***@rabbit/vh?heartbeat=5\" 0 channels>"),
     ("mongodb://app:s3cret@db1,db2/?replicaSet=rs0 and x@y", "mongodb://app:***@db1,db2/?replicaSet=rs0 and x@y"),
     ("amqp://guest@rabbit/ and user@example.com", "amqp://guest@rabbit/ and user@example.com")],
)  # fmt: skip
def test_the_password_of_a_url_is_masked_whole(text, logged):
    assert redact_credentials(text) == logged


@pytest.fixture
def captured():
    """What configure_logging's handler writes; the logging of other tests restored after."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("interview", "INFO")
    written = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(written)
    yield lambda: [json.loads(line) for line in written.getvalue().splitlines()]
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


def test_no_log_line_shows_a_password_whichever_library_writes_it(captured):
    url = "amqp://guest:s3cretPW@rabbit:5672/"
    logging.getLogger("aio_pika.robust_connection").error(
        "Reconnect attempt failed %s due to %s: %s. Retrying after %r seconds.", url, "ValueError", "no host", 5
    )
    logging.getLogger("aiormq.connection").warning("connection %r lost", {"url": url})
    logging.getLogger("pymongo.connection").warning("could not reach mongodb://app:p@ss@db/", extra={"url": url})
    try:
        raise ConnectionError(f"cannot reach {url}")
    except ConnectionError:
        logging.getLogger("shared").exception("failed")
    lines = captured()
    assert len(lines) == 4 and not any("s3cretPW" in json.dumps(line) or "p@ss" in json.dumps(line) for line in lines)
    assert lines[0]["msg"] == (
        "Reconnect attempt failed amqp://guest:***@rabbit:5672/ due to ValueError: no host. Retrying after 5 seconds."
    )
    assert lines[2]["url"] == "amqp://guest:***@rabbit:5672/" and "mongodb://app:***@db/" in lines[2]["msg"]
    assert "cannot reach amqp://guest:***@rabbit:5672/" in lines[3]["exc"]


def test_the_broker_is_asked_for_a_heartbeat_unless_the_url_names_one():
    assert with_heartbeat("amqp://u:p%23w@rabbit:5672/").query["heartbeat"] == str(HEARTBEAT_SECONDS)
    assert with_heartbeat("amqp://u:p%23w@rabbit:5672/").password == "p#w"
    assert with_heartbeat("amqp://rabbit/?heartbeat=5").query["heartbeat"] == "5"
    assert HEARTBEAT_SECONDS <= 20  # three missed ones end the connection: within about a minute


def failed_publishes(event_type: str, service: str = "gateway") -> float:
    return metrics.PUBLISH_FAILED.labels(service, event_type)._value.get()


async def test_a_publish_without_a_broker_is_counted_as_failed():
    event = interview_events(complete=False)[0]
    broker = Broker(ServiceSettings(), "gateway")
    before = failed_publishes(event.type)
    with pytest.raises(PublishFailed, match="not connected"):
        await broker.publish(event)
    with pytest.raises(PublishFailed, match="not connected"):
        await broker.later(event, 5, {})
    assert failed_publishes(event.type) == before + 2


class StuckQueue:
    async def bind(self, *_: object, **__: object) -> None:
        await asyncio.sleep(60)


async def test_a_live_binding_that_fails_a_request_is_counted():
    async def unblocked() -> None:
        return None

    counter = metrics.PUBLISH_FAILED.labels("gateway", LIVE_BINDING)
    before = failed_publishes(LIVE_BINDING)
    feed = SessionFeed(StuckQueue(), object(), unblocked, timeout=0.05, failed=counter)  # type: ignore[arg-type]
    with pytest.raises(TimeoutError):
        await feed.follow("s1")
    assert failed_publishes(LIVE_BINDING) == before + 1


async def test_a_configuration_error_is_not_retried():
    attempts = []

    async def attempt() -> None:
        attempts.append(1)
        raise ConfigurationError("the broker refused the password")

    with pytest.raises(ConfigurationError):
        await with_backoff(attempt, 10, "retrying")
    assert len(attempts) == 1


@pytest.mark.parametrize(
    ("variable", "value"),
    [("AMQP_URL", "amqp//guest:s3cretPW@rabbit:5672/"), ("LOG_LEVEL", "verbose"), ("INTERVIEW_PORT", "99999"),
     ("BIND_HOST", "not-a-host.invalid")],
)  # fmt: skip
def test_a_service_with_a_bad_setting_stops_at_once_with_one_line(variable, value):
    env = os.environ | {"BROKER_NAMESPACE": fresh_namespace("opfix"), "INTERVIEW_PORT": "8942", variable: value}
    result = subprocess.run([sys.executable, "-m", "services.interview"], capture_output=True, text=True, timeout=60,
                            cwd=ROOT, env=env)  # fmt: skip
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "s3cretPW" not in result.stderr, result.stderr
    assert json.loads(lines[0])["msg"].startswith(f"configuration error: {variable}: "), lines


@pytest.mark.parametrize(
    ("value", "asked"),
    [("sex,age_band", ("sex", "age_band")), (" Sex , race_ethnicity ", ("sex", "race_ethnicity")), ("none", ()),
     ("", ("sex", "race_ethnicity", "age_band"))],  # empty counts as unset, as for every setting
)  # fmt: skip
def test_self_identification_names_what_the_form_asks(monkeypatch, value, asked):
    """Collecting race or ethnicity is restricted in some countries: a deployment chooses (docs/fairness.md)."""
    monkeypatch.setenv("SELF_IDENTIFICATION", value)
    assert GatewaySettings().self_identification == asked


def test_self_identification_refuses_a_question_it_does_not_know(monkeypatch):
    monkeypatch.setenv("SELF_IDENTIFICATION", "sex,religion")
    with pytest.raises(ValidationError) as raised:
        GatewaySettings()
    assert "self_identification" in str(raised.value).lower()


@pytest.mark.parametrize(
    "line",
    ["https://hooks.example.com:8443/notify?to=ops@example.com", "https://registry.npmjs.org:443/@types/node",
     "http://[::1]:8080/a@b", "write to ada@example.com", "https://user@host/"],
)  # fmt: skip
def test_masking_leaves_urls_without_a_password_alone(line):
    """Found by a security retest: a port and a path with an '@' in it were taken for a password."""
    assert redact_credentials(line) == line


def test_an_amqp_url_with_a_space_is_refused_at_start(monkeypatch):
    """Found by a security retest: `amqp://guest:wr ong pass@host/` was accepted, and the masking, which ends a
    password at a space, left it in the log lines."""
    monkeypatch.setenv("AMQP_URL", "amqp://guest:wr ong pass@127.0.0.1:5672/")
    with pytest.raises(ValidationError) as raised:
        GatewaySettings()
    said = what_is_wrong(raised.value)
    assert "AMQP_URL" in said and "space" in said and "wr ong" not in said
