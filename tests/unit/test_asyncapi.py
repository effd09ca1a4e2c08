"""docs/asyncapi.yaml is generated from the contracts and must be current; it names every event, who
publishes it and who consumes it. (Its validity against AsyncAPI 3.0 is checked by tools/validate-asyncapi
in `make lint`, with the AsyncAPI CLI.)"""

import yaml

from shared.contracts.events import EVENT_TYPES
from shared.contracts.topology import PUBLISHERS, SUBSCRIPTIONS
from tools.asyncapi import TARGET, render


def test_the_document_is_current():
    assert TARGET.read_text() == render(), "run: .venv/bin/python -m tools.asyncapi"


def test_every_event_its_publishers_and_consumers_are_in_it():
    document = yaml.safe_load(TARGET.read_text())
    names = {event_type.type_name() for event_type in EVENT_TYPES}
    assert set(document["channels"]) == names == set(document["components"]["messages"])
    expected = {f"{service}.publish{t.type_name()}" for t, services in PUBLISHERS.items() for service in services}
    expected |= {f"{service}.receive{t.type_name()}" for service, types in SUBSCRIPTIONS.items() for t in types}
    assert set(document["operations"]) == expected
    started = document["components"]["schemas"]["InterviewStarted"]
    assert {"event_id", "type", "session_id", "payload"} <= set(started["properties"])
