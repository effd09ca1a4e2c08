"""The broker rules in shared/platform/messaging.py, against the real local RabbitMQ."""

import asyncio

import aio_pika
import pytest

from shared.contracts.events import (
    AnswerCorrected,
    AnswerScored,
    AnswerSubmitted,
    Event,
    InterviewCompleted,
    InterviewStarted,
    QuestionGenerated,
    QuestionGeneratedPayload,
    parse_event,
)
from shared.platform import dlq
from shared.platform.failures import processing_failed
from shared.platform.messaging import Broker, PermanentFailure, PublishFailed, delivery_headers
from shared.platform.settings import ServiceSettings
from tests.conftest import AMQP_URL
from tests.factories import handler_table, interview_events
from tests.faults.probes import publish_raw


def settings_for(namespace: str, **overrides) -> ServiceSettings:
    return ServiceSettings(broker_namespace=namespace, delivery_limit=overrides.pop("delivery_limit", 2), **overrides)


def started_event() -> InterviewStarted:
    return next(e for e in interview_events(complete=False) if isinstance(e, InterviewStarted))


async def queue_depth(namespace_queue: str) -> int:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(namespace_queue, passive=True)
        return queue.declaration_result.message_count


async def until(check, timeout: float = 10.0) -> None:
    """Wait until `check()` holds (other tasks run meanwhile); the assertions after it say what was expected."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not check() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)


async def wait_for_depth(queue: str, expected: int, timeout: float = 15.0) -> int:
    deadline = asyncio.get_running_loop().time() + timeout
    while (depth := await queue_depth(queue)) != expected and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.1)
    return depth


async def test_the_topology_declares_a_quorum_queue_and_dlq_per_service(namespace):
    broker = Broker(settings_for(namespace), "interview")
    await broker.connect()
    try:
        for service in ("gateway", "interview", "scoring", "persistence", "exporter"):
            assert await queue_depth(broker.names.queue(service)) == 0
            assert await queue_depth(broker.names.dead_letter_queue(service)) == 0
    finally:
        await broker.close()


async def test_a_published_event_waits_in_every_subscribed_queue_before_its_consumers_run(namespace):
    broker = Broker(settings_for(namespace), "gateway")
    await broker.connect()
    try:
        await broker.publish(started_event())
        # InterviewStarted goes to the interview service and to persistence, not to scoring
        assert await wait_for_depth(broker.names.queue("interview"), 1) == 1
        assert await wait_for_depth(broker.names.queue("persistence"), 1) == 1
        assert await queue_depth(broker.names.queue("scoring")) == 0
    finally:
        await broker.close()


async def test_a_handlers_events_are_published_before_its_message_is_acked(namespace):
    interview = Broker(settings_for(namespace), "interview")
    await interview.connect()
    received: list[Event] = []
    try:

        async def ask(event: Event) -> list[Event]:
            return [
                QuestionGenerated.derived(
                    session_id=event.session_id,
                    producer="interview",
                    key=(1,),
                    payload=QuestionGeneratedPayload(question_number=1, question="Why?"),
                )
            ]

        async def never(event: Event) -> list[Event]:
            return []

        await interview.consume(handler_table({InterviewStarted: ask, AnswerSubmitted: never}))
        await interview.publish(started_event())
        # the interview queue is drained (acked) and persistence received both events
        assert await wait_for_depth(interview.names.queue("interview"), 0) == 0
        assert await wait_for_depth(interview.names.queue("persistence"), 2) == 2
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            channel = await connection.channel()
            queue = await channel.declare_queue(interview.names.queue("persistence"), passive=True)
            for _ in range(2):
                message = await queue.get(timeout=5)
                received.append(parse_event(message.body))
                assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
                await message.ack()
        assert sorted(e.type for e in received) == ["InterviewStarted", "QuestionGenerated"]
    finally:
        await interview.close()


async def test_a_message_that_is_not_an_event_goes_straight_to_the_dlq(namespace):
    broker = Broker(settings_for(namespace), "interview")
    await broker.connect()
    handled: list[Event] = []

    async def record(event: Event) -> list[Event]:
        handled.append(event)
        return []

    try:
        await broker.consume(handler_table({InterviewStarted: record, AnswerSubmitted: record}))
        await publish_raw(namespace, [("InterviewStarted", b"{not json")])
        await broker.publish(started_event())  # the queue is not blocked by the poison message
        assert await wait_for_depth(broker.names.dead_letter_queue("interview"), 1) == 1
        await until(lambda: handled)
        assert [e.type for e in handled] == ["InterviewStarted"]
    finally:
        await broker.close()


async def test_an_event_without_a_handler_is_dead_lettered_at_once_not_retried(namespace):
    broker = Broker(settings_for(namespace, delivery_limit=5), "interview")
    await broker.connect()
    handled: list[Event] = []

    async def record(event: Event) -> list[Event]:
        handled.append(event)
        return []

    try:
        await broker.consume(handler_table({InterviewStarted: record, AnswerSubmitted: record}))
        report = next(e for e in interview_events() if e.type == "ReportGenerated")
        began = asyncio.get_running_loop().time()
        # a valid event routed to a service that has no handler for its type
        await publish_raw(namespace, [("InterviewStarted", report.model_dump_json().encode())])
        await broker.publish(started_event())
        assert await wait_for_depth(broker.names.dead_letter_queue("interview"), 1, timeout=10) == 1
        # five retries would take seconds (0.5 s, 1 s, 2 s, ... apart); a straight dead-letter, a moment
        assert asyncio.get_running_loop().time() - began < 2.0
        await until(lambda: handled)
        assert [e.type for e in handled] == ["InterviewStarted"]
        assert await queue_depth(broker.names.queue("interview")) == 0
    finally:
        await broker.close()


async def test_a_handler_that_always_fails_is_dead_lettered_after_the_delivery_limit(namespace):
    broker = Broker(settings_for(namespace, delivery_limit=2), "interview")
    await broker.connect()
    attempts: list[int] = []

    async def always_fails(event: Event) -> list[Event]:
        attempts.append(1)
        raise RuntimeError("boom")

    try:
        await broker.consume(handler_table({InterviewStarted: always_fails, AnswerSubmitted: always_fails}))
        await broker.publish(started_event())
        assert await wait_for_depth(broker.names.dead_letter_queue("interview"), 1, timeout=30) == 1
        assert len(attempts) == 3  # the first delivery and two redeliveries
        assert await queue_depth(broker.names.queue("interview")) == 0
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            channel = await connection.channel()
            dlq = await channel.declare_queue(broker.names.dead_letter_queue("interview"), passive=True)
            message = await dlq.get(timeout=5)
            assert parse_event(message.body).type == "InterviewStarted"  # the event itself, intact
            await message.ack()
    finally:
        await broker.close()


async def test_publishing_without_a_broker_fails_clearly(namespace):
    broker = Broker(settings_for(namespace), "gateway")
    with pytest.raises(PublishFailed, match="not connected"):
        await broker.publish(started_event())


async def test_connecting_to_a_broker_that_is_not_there_fails_with_a_clear_message(namespace):
    broker = Broker(settings_for(namespace, amqp_url="amqp://guest:secret@127.0.0.1:1/"), "gateway")
    with pytest.raises(ConnectionError, match=r"cannot reach RabbitMQ at amqp://guest:\*\*\*@127.0.0.1:1/"):
        await broker.connect(timeout=1)


def answer_event():
    return next(e for e in interview_events(complete=False) if e.type == "AnswerSubmitted")


async def drain(queue_name: str, count: int) -> list[Event]:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, passive=True)
        events = []
        for _ in range(count):
            message = await queue.get(timeout=5)
            events.append(parse_event(message.body))
            await message.ack()
        return events


@pytest.mark.parametrize("permanent", [True, False], ids=["permanent-failure", "retries-exhausted"])
async def test_giving_up_dead_letters_the_event_and_tells_who_waits(namespace, permanent):
    settings = settings_for(namespace, delivery_limit=1)
    broker = Broker(settings, "scoring")
    broker.on_give_up = processing_failed("scoring", settings)
    await broker.connect()
    attempts: list[int] = []

    async def fails(event: Event) -> list[Event]:
        attempts.append(1)
        raise PermanentFailure("the AI refuses our key") if permanent else RuntimeError("the AI is down")

    try:
        await broker.consume(handler_table({AnswerSubmitted: fails, InterviewCompleted: fails, AnswerCorrected: fails}))
        submitted = answer_event()
        await broker.publish(submitted)
        assert await wait_for_depth(broker.names.dead_letter_queue("scoring"), 1, timeout=30) == 1
        assert len(attempts) == (1 if permanent else 2)
        assert await wait_for_depth(broker.names.queue("persistence"), 2) == 2
        notice = next(e for e in await drain(broker.names.queue("persistence"), 2) if e.type == "ProcessingFailed")
        assert notice.payload.failed_event_id == submitted.event_id
        assert notice.payload.question_number == submitted.payload.question_number
        assert "could not be scored" in notice.payload.message
        # what comes back by itself says so; what needs a person does not promise it
        assert ("has to fix it first" if permanent else "tried again automatically") in notice.payload.message
        assert ("refuses our key" if permanent else "is down") in notice.payload.error
    finally:
        await broker.close()


async def test_dead_letters_can_be_listed_and_redriven_to_their_service_only(namespace):
    settings = settings_for(namespace, delivery_limit=1)
    broker = Broker(settings, "scoring")
    await broker.connect()
    handled: list[Event] = []
    broken = True

    async def score(event: Event) -> list[Event]:
        if broken:
            raise RuntimeError("the AI is down")
        handled.append(event)
        return []

    try:
        await broker.consume(handler_table({AnswerSubmitted: score, InterviewCompleted: score, AnswerCorrected: score}))
        submitted = answer_event()
        await broker.publish(submitted)
        assert await wait_for_depth(broker.names.dead_letter_queue("scoring"), 1, timeout=30) == 1
        assert (await dlq.depths(settings))["scoring"] == 1
        [line] = await dlq.peek(settings, "scoring", 5)
        assert f"AnswerSubmitted session={submitted.session_id}" in line and "delivery_limit" in line
        assert (await dlq.depths(settings))["scoring"] == 1  # peeking leaves it there

        broken = False
        assert await dlq.redrive(settings, "scoring") == 1
        await until(lambda: handled)
        assert [e.event_id for e in handled] == [submitted.event_id]
        assert await queue_depth(broker.names.dead_letter_queue("scoring")) == 0
        assert await queue_depth(broker.names.queue("persistence")) == 1  # the original publish only
    finally:
        await broker.close()


async def test_work_that_kept_failing_comes_back_by_itself_a_few_times_and_poison_waits_for_a_person(namespace):
    settings = settings_for(namespace, delivery_limit=1, auto_redrive_seconds=0.3, auto_redrive_times=2)
    broker = Broker(settings, "scoring")
    attempts: dict[str, int] = {}
    handled: list[str] = []

    async def score(event: Event) -> list[Event]:
        attempts[event.session_id] = attempts.get(event.session_id, 0) + 1
        if event.session_id == "never01" or attempts[event.session_id] <= 3:  # "recovers" on the 4th attempt
            raise RuntimeError("the AI is down")
        handled.append(event.session_id)
        return []

    recovers = next(e for e in interview_events("recover1") if e.type == "AnswerSubmitted")
    never = next(e for e in interview_events("never01") if e.type == "AnswerSubmitted")
    try:
        await broker.start(handler_table({AnswerSubmitted: score, InterviewCompleted: score, AnswerCorrected: score}))
        await publish_raw(namespace, [("AnswerSubmitted", b"{not json")])
        await broker.publish(recovers)
        await broker.publish(never)
        # two attempts per round (delivery limit 1), a round every 0.3 s or so
        await until(lambda: handled and attempts.get("never01", 0) >= 6, timeout=15)
        assert handled == ["recover1"] and attempts["recover1"] == 4  # dead-lettered once, back by itself
        await asyncio.sleep(1.5)  # more rounds: nothing else may come back
        assert attempts["never01"] == 6  # the first round and two re-drives, then it stays
        lines = await dlq.peek(settings, "scoring", 5)
        assert len(lines) == 2 and sum("not an event" in line for line in lines) == 1
        assert sum("session=never01" in line and "delivery_limit" in line for line in lines) == 1
    finally:
        await broker.close()


async def test_later_brings_an_event_back_with_its_headers_even_after_its_delay_queue_expired(namespace):
    broker = Broker(settings_for(namespace), "interview")
    await broker.connect()
    seen: list[tuple[str, dict]] = []

    async def remember(event: Event) -> list[Event]:
        seen.append((event.type, {"x-attempt": delivery_headers().get("x-attempt")}))
        return []

    try:
        await broker.consume(handler_table({InterviewStarted: remember, AnswerSubmitted: remember}))
        event = started_event()
        await broker.later(event, 1, {"x-attempt": 2})
        await until(lambda: len(seen) == 1)
        assert seen == [("InterviewStarted", {"x-attempt": 2})]
        # the broker deletes a delay queue unused for a while (x-expires), messages and all: the next
        # `later` must not take it for granted
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            await (await connection.channel()).queue_delete(broker.names.delay_queue("interview", 1))
        await broker.later(event, 1, {"x-attempt": 3})
        await until(lambda: len(seen) == 2)
        assert seen[1] == ("InterviewStarted", {"x-attempt": 3})
    finally:
        await broker.close()


async def test_a_session_feed_hears_only_the_sessions_it_follows_and_the_services_still_hear_all(namespace):
    listening, publishing = Broker(settings_for(namespace), "gateway"), Broker(settings_for(namespace), "interview")
    heard: list[tuple[str, str]] = []

    async def listener(event) -> None:
        heard.append((event.session_id, event.type))

    await listening.start(session_listener=listener)
    await publishing.connect()
    try:
        feed = listening.feed
        assert feed is not None
        mine, other = interview_events("s0000001", (8,), 1), interview_events("s0000002", (3,), 1)
        await feed.follow("s0000001")
        for event in mine[:2] + other[:2]:
            await publishing.publish(event)
        await until(lambda: len(heard) >= 2)
        await asyncio.sleep(0.3)  # the other session's events would have come by now
        assert heard == [("s0000001", e.type) for e in mine[:2]]
        # every service queue bound by type still got both sessions' starts (`<type>.#`)
        assert await wait_for_depth(publishing.names.queue("persistence"), 4) == 4

        await feed.unfollow("s0000001")
        task = asyncio.ensure_future(feed.unfollow("s0000001"))  # forgotten, then at once followed again ...
        await feed.follow("s0000001")
        await task
        assert feed.follows("s0000001")  # ... stays bound
        await publishing.publish(mine[2])
        await until(lambda: len(heard) == 3)
        assert heard[-1] == ("s0000001", mine[2].type)

        await feed.unfollow("s0000001")
        assert not feed.follows("s0000001") and len(feed) == 0
        await publishing.publish(mine[3])
        await asyncio.sleep(0.3)
        assert len(heard) == 3  # unfollowed: no more of it
    finally:
        await publishing.close()
        await listening.close()


async def test_the_gateways_queue_gets_an_interviews_last_score_only_and_its_live_queue_every_score(namespace):
    """Four scores in five never enter the gateway's durable queue (its completion check needs the last one);
    the live queue of the replica serving the interview hears them all, and every other service queue too.
    A binding of an earlier version (`AnswerScored.#` on the gateway's queue) is removed when declared again."""
    settings = settings_for(namespace)
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:  # the gateway's queue as an earlier version left it: bound to every score
        channel = await connection.channel()
        exchange = await channel.declare_exchange(f"{namespace}.events", aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(
            f"{namespace}.gateway", durable=True,
            arguments={"x-queue-type": "quorum", "x-delivery-limit": 2, "x-dead-letter-exchange": f"{namespace}.dead-letter",
                       "x-dead-letter-routing-key": "gateway"})  # fmt: skip
        await queue.bind(exchange, routing_key="AnswerScored.#")
    listening, publishing = Broker(settings, "gateway"), Broker(settings, "interview")
    heard: list[int] = []

    async def listener(event) -> None:
        if isinstance(event, AnswerScored):
            heard.append(event.payload.question_number)

    await listening.start(session_listener=listener)
    await publishing.connect()
    try:
        assert listening.feed is not None
        await listening.feed.follow("s0000001")
        scores = [e for e in interview_events("s0000001", (8, 6, 7), 3) if isinstance(e, AnswerScored)]
        assert [s.payload.total_questions for s in scores] == [3, 3, 3]
        for score in scores:
            await publishing.publish(score)
        await until(lambda: len(heard) == 3)
        assert sorted(heard) == [1, 2, 3]
        assert await wait_for_depth(publishing.names.queue("persistence"), 3) == 3
        assert await wait_for_depth(publishing.names.queue("gateway"), 1) == 1
        await asyncio.sleep(0.3)  # an earlier score routed to it would be there by now
        assert await queue_depth(publishing.names.queue("gateway")) == 1
        (last,) = await drain(publishing.names.queue("gateway"), 1)
        assert isinstance(last, AnswerScored) and last.payload.question_number == 3
    finally:
        await publishing.close()
        await listening.close()
