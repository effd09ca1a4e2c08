"""Handler tables keyed by event class: a handler says which event it takes, and a service's table must
match its subscriptions (the broker refuses to start otherwise)."""

import pytest

from services.exporter.handlers import acknowledging_handlers
from services.gateway.handlers import build_handlers as gateway_handlers
from services.gateway.sessions import SessionRegistry
from services.interview.handlers import build_handlers as interview_handlers
from services.persistence.handlers import build_handlers as persistence_handlers
from services.scoring.handlers import build_handlers as scoring_handlers
from shared.ai.offline import OfflineInterviewer
from shared.contracts.events import AnswerScored, AnswerSubmitted, Event, InterviewStarted
from shared.contracts.topology import SUBSCRIPTIONS
from shared.platform.handlers import Handlers
from shared.platform.messaging import Broker
from shared.platform.settings import ServiceSettings


def test_a_handler_takes_the_events_it_is_registered_for():
    handlers = Handlers()

    @handlers.on(InterviewStarted)
    async def started(event: InterviewStarted) -> list[Event]:
        return []

    @handlers.on(AnswerSubmitted, AnswerScored)
    async def either(event: AnswerSubmitted | AnswerScored) -> list[Event]:
        return []

    assert handlers[InterviewStarted] is started and handlers[AnswerScored] is either
    assert handlers.event_types == {InterviewStarted, AnswerSubmitted, AnswerScored}


def test_a_handler_for_another_event_unannotated_or_registered_twice_is_refused():
    handlers = Handlers()

    async def started(event: InterviewStarted) -> list[Event]:
        return []

    async def anything(event) -> list[Event]:  # noqa: ANN001
        return []

    with pytest.raises(TypeError, match="started takes InterviewStarted, so it cannot handle AnswerSubmitted"):
        handlers.on(AnswerSubmitted)(started)
    with pytest.raises(TypeError, match="must annotate its event parameter"):
        handlers.on(InterviewStarted)(anything)
    handlers.on(InterviewStarted)(started)
    with pytest.raises(ValueError, match="InterviewStarted already has a handler: started"):
        handlers.on(InterviewStarted)(started)


class NoStore:
    description = "none"


@pytest.mark.parametrize(
    ("service", "table"),
    [
        ("gateway", lambda: gateway_handlers(SessionRegistry(None), 0.0)),
        ("interview", lambda: interview_handlers(OfflineInterviewer())),
        ("scoring", lambda: scoring_handlers(OfflineInterviewer())),
        ("persistence", lambda: persistence_handlers(NoStore())),
        ("exporter", acknowledging_handlers),
    ],
)
def test_each_services_table_is_its_subscriptions(service, table):
    handlers = table()
    assert handlers.event_types == set(SUBSCRIPTIONS[service])
    Broker(ServiceSettings(), service)._check_subscriptions(handlers)  # what the broker checks at start-up


def test_the_broker_refuses_a_table_unlike_the_subscriptions():
    with pytest.raises(ValueError, match="interview handles .* but subscribes to"):
        Broker(ServiceSettings(), "interview")._check_subscriptions(scoring_handlers(OfflineInterviewer()))
