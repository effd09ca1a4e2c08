"""SIGKILL a consumer while it holds unacknowledged messages, read what the broker took back, and
tell afterwards whether each of those messages had its effect."""

from __future__ import annotations

import json
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.fakes.openai_server import FakeOpenAI
from tests.faults.probes import peek, wait_for_depth

AI_WORK = {"interview": {"QuestionOut"}, "scoring": {"AssessmentOut", "ReportOut"}}  # whose requests are whose
FENCE = re.compile(r"<(/?data-[a-z]+)-[0-9a-f]+>")


@dataclass
class Kill:
    unacked: int  # messages the process held when SIGKILL landed
    returned: list[dict]  # the events ready in its queue once the broker saw it die (it had no other consumer)
    caught: object  # what it was in the middle of, as `doing` said
    killed: float


def prompt(request: dict) -> str:
    """What an AI request asks, without the fences' random markers."""
    return FENCE.sub(r"<\1>", request["body"]["messages"][-1]["content"])


def ai_calls(ai: FakeOpenAI, service: str) -> Callable[[], set[str]]:
    """The prompts of the service's AI requests that the fake model is still answering."""
    kinds = AI_WORK[service]
    return lambda: {prompt(r) for r in ai.chat_requests() if r["answered"] is None and _kind(r) in kinds}


def _kind(request: dict) -> str:
    return request["body"].get("response_format", {}).get("json_schema", {}).get("name", "")


def kill_while_holding_messages(
    stack, service: str, doing: Callable[[], object], holding: int = 1, timeout: float = 60.0
) -> Kill:
    """Freeze the service (SIGSTOP) while `doing()` says it is mid-work and still says so once it is
    frozen, show from the broker that it holds at least `holding` unacknowledged messages, SIGKILL it,
    see the broker take them back, read them (leaving them queued) and start the service again."""
    process = stack.processes[service].popen
    deadline = time.monotonic() + timeout
    while True:
        while not doing():
            time.sleep(0.01)
            assert time.monotonic() < deadline, f"{service} was never seen at work"
        process.send_signal(signal.SIGSTOP)
        if caught := doing():
            break
        process.send_signal(signal.SIGCONT)  # done in the meantime: catch the next piece of work
        assert time.monotonic() < deadline, f"{service} was never caught at work"
    try:
        unacked = wait_for_depth(stack.namespace, service, lambda d: d.unacked >= holding, timeout).unacked
    except BaseException:
        process.send_signal(signal.SIGCONT)
        raise
    assert stack.stop_service(service, signal.SIGKILL) == -signal.SIGKILL
    killed = time.monotonic()
    ready = wait_for_depth(stack.namespace, service, lambda d: d.consumers == 0 and d.unacked == 0).ready
    assert ready >= unacked, f"{service}: {unacked} held at the kill, {ready} back in the queue"
    returned = [json.loads(body) for body in peek(stack.namespace, service, ready)]
    stack.start_service(service)
    stack.wait_ready()
    return Kill(unacked, returned, caught, killed)


def without_effect(service: str, events: list[dict], stored: Callable[[str], list[dict]], exported: set[str]) -> list:
    """The events of which nothing shows at the end, had `service` handled them: in the event store
    (`stored(session_id)`: the session's events) or among the sessions exported to the sheet."""
    missing = []
    for event in events:
        session_id, payload = event["session_id"], event["payload"]
        events_stored = stored(session_id)
        derived = {(e["type"], e["payload"].get("question_number")) for e in events_stored}
        number = payload.get("question_number")
        match service, event["type"]:
            case "persistence", _:
                shown = event["event_id"] in {e["event_id"] for e in events_stored}
            case "exporter", "ReportGenerated":
                shown = session_id in exported
            case "interview", "InterviewStarted":
                shown = ("QuestionGenerated", 1) in derived
            case "interview", "AnswerSubmitted":
                shown = number == payload["context"]["total_questions"] or ("QuestionGenerated", number + 1) in derived
            case "scoring", "AnswerSubmitted":
                shown = ("AnswerScored", number) in derived
            case "scoring", "InterviewCompleted":
                shown = ("ReportGenerated", None) in derived
            case _:
                raise AssertionError(f"{service} holds an unexpected {event['type']}")
        if not shown:
            missing.append((event["type"], session_id, number))
    return missing
