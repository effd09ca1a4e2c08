"""A shadow run (docs/shadow-scoring.md): the answers people reviewed, scored again by a candidate provider or
prompt, beside the scores they have, before that provider or prompt scores anyone.

    .venv/bin/python -m services.scoring shadow --provider offline|openai [--prompt FILE] [--limit N]
        [--position ID] [--label TEXT] [--api URL] [--token T] [--json]

It reads the reviewed answers of completed interviews from the read API (with the admin token: --token or
ADMIN_TOKEN), scores each again with the rubric it was scored with (`Rubrics`), publishes each new score as
an AnswerShadowScored event of the run's own stream (`shadow-…`, never the interview's: its scores, report
and documents stay as they are) and the run's end as ShadowRunCompleted, then waits for the persistence
service to record them and prints its comparison: how far the scores moved, and the old and the new scores'
agreement with people's side by side.
Exit codes: 0 done, 1 the API, the broker or the AI failed, 2 a wrong argument (a bad prompt file),
3 no reviewed answers to score.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from services.scoring.handlers import PRODUCER
from services.scoring.settings import ScoringSettings
from services.scoring.shadow_rubrics import Rubrics
from shared.ai.offline import OfflineInterviewer
from shared.ai.prompts import Prompt, read_prompt
from shared.ai.provider import AIUnavailable, InterviewerAI
from shared.contracts.events import (
    AnswerShadowScored,
    AnswerShadowScoredPayload,
    InterviewContext,
    Provenance,
    QuestionAnswer,
    ShadowRunCompleted,
    ShadowRunCompletedPayload,
    new_id,
    utc_now,
)
from shared.platform.messaging import Broker, PermanentFailure
from shared.platform.redaction import redact_credentials

PAGE = 100
STATISTICS = ("n", "mean_absolute_error", "mean_bias", "spearman", "quadratic_weighted_kappa")


class ShadowError(Exception):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class StoredAnswer:
    session_id: str
    context: InterviewContext
    question_number: int
    question: str
    answer: str
    score: int
    provenance: Provenance | None
    transcript: tuple[QuestionAnswer, ...]  # the answers before it


class ReadApi:
    def __init__(self, url: str, token: str | None) -> None:
        self.url = url.rstrip("/")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=self.url, timeout=30, headers=headers)

    def get(
        self, path: str, params: dict[str, Any] | None = None, missing_ok: bool = False, refused_ok: bool = False
    ) -> Any:
        try:
            response = self.http.get(path, params=params)
        except httpx.TransportError as error:
            raise ShadowError(f"Cannot reach the read API at {self.url} ({error}): pass --api or start it.") from None
        if (response.status_code == 404 and missing_ok) or (response.status_code in (401, 403) and refused_ok):
            return None
        if response.status_code in (401, 403):
            raise ShadowError(
                f"The read API refused the token ({response.status_code}): pass --token or set ADMIN_TOKEN."
            )
        if response.status_code != 200:
            raise ShadowError(f"GET {path} answered {response.status_code}: {response.text[:200]}")
        return response.json()


def reviewed_answers(api: ReadApi, limit: int, position_id: str | None, rubrics: Rubrics) -> list[StoredAnswer]:
    """The answers people scored, of completed interviews, newest interview first, at most `limit`."""
    found: list[StoredAnswer] = []
    offset = 0
    while len(found) < limit:
        params: dict[str, Any] = {"limit": PAGE, "offset": offset, "status": "completed"}
        if position_id:
            params["position_id"] = position_id
        page = api.get("/api/data/interviews", params)
        for interview in page["interviews"]:
            if len(found) < limit and _reviewed(interview):
                found += answers_of(interview, rubrics.of(interview))
        offset += PAGE
        if offset >= page["total"] or not page["interviews"]:
            break
    return found[:limit]


def _reviewed(interview: dict[str, Any]) -> bool:
    return any(qa.get("human_score") is not None for qa in interview["questions_and_answers"])


def answers_of(interview: dict[str, Any], rubric: str = "") -> list[StoredAnswer]:
    context = InterviewContext(
        candidate_name=interview["candidate_name"], candidate_experience=interview["candidate_experience"],
        job_description=interview["job_description"], difficulty=interview["difficulty"],
        total_questions=interview["total_questions"], started_at=interview["started_at"],
        position_id=interview.get("position_id"), language=interview.get("language"), rubric=rubric,
    )  # fmt: skip
    qas = sorted(interview["questions_and_answers"], key=lambda qa: qa["question_number"])
    answers = []
    for i, qa in enumerate(qas):
        if qa.get("human_score") is None:
            continue
        before = tuple(QuestionAnswer(question_number=q["question_number"], question=q["question"], answer=q["answer"])
                       for q in qas[:i])  # fmt: skip
        provenance = Provenance.model_validate(qa["provenance"]) if qa.get("provenance") else None
        answers.append(StoredAnswer(interview["session_id"], context, qa["question_number"], qa["question"],
                                    qa["answer"], qa["score"], provenance, before))  # fmt: skip
    return answers


def make_ai(provider: str, prompt: Prompt | None, settings: ScoringSettings) -> InterviewerAI:
    if provider == "offline":
        if prompt is not None:
            raise ShadowError("--prompt tries a prompt of the OpenAI provider: add --provider openai", 2)
        return OfflineInterviewer()
    if not settings.openai_configured:
        raise ShadowError("--provider openai needs OPENAI_API_KEY", 2)
    from shared.ai.openai_provider import OpenAIInterviewer

    ai = OpenAIInterviewer.from_settings(settings, fallback=OfflineInterviewer())
    if prompt is not None:
        ai.prompts[prompt.name] = prompt
    return ai


async def score_again(
    ai: InterviewerAI, answers: Sequence[StoredAnswer], settings: ScoringSettings, run_id: str, label: str
) -> ShadowRunCompleted:
    started = utc_now()
    broker = Broker(settings, PRODUCER)
    try:
        await broker.connect(timeout=10)
    except Exception as error:
        where = redact_credentials(settings.amqp_url)
        raise ShadowError(f"Cannot reach the message broker at {where} ({error})") from None
    try:
        last: Provenance | None = None
        for stored in answers:
            try:
                assessment = await ai.assess_answer(stored.context, stored.question, stored.answer, stored.transcript)
            except AIUnavailable as error:
                raise ShadowError(f"The AI stayed unavailable ({error}): nothing of run {run_id} is complete; "
                                  "run it again later.") from None  # fmt: skip
            except PermanentFailure as error:  # bad credentials, an unknown model, an exhausted quota
                raise ShadowError(f"The AI refused the configuration ({error}): nothing of run {run_id} is "
                                  "complete.") from None  # fmt: skip
            last = assessment.provenance
            payload = AnswerShadowScoredPayload(
                run_id=run_id, interview_session_id=stored.session_id, question_number=stored.question_number,
                question=stored.question, answer=stored.answer, original_score=stored.score,
                original_provenance=stored.provenance, score=assessment.score, feedback=assessment.feedback,
                provenance=assessment.provenance, scored_at=utc_now(),
            )  # fmt: skip
            key = (stored.session_id, stored.question_number)
            await broker.publish(AnswerShadowScored.derived(session_id=run_id, producer=PRODUCER, key=key,
                                                            payload=payload))  # fmt: skip
        completed = ShadowRunCompleted.create(
            session_id=run_id, producer=PRODUCER,
            payload=ShadowRunCompletedPayload(
                run_id=run_id, provider=last.provider if last else "", model=last.model if last else "",
                prompt_version=last.prompt_version if last else None, label=label, answers=len(answers),
                started_at=started, completed_at=utc_now(),
            ),
        )  # fmt: skip
        await broker.publish(completed)
        return completed
    finally:
        await broker.close()


def wait_for_report(api: ReadApi, run_id: str, answers: int, timeout: float) -> dict[str, Any]:
    """The persistence service's report of the run, once it has recorded all of it."""
    deadline = time.monotonic() + timeout
    while True:
        report = api.get(f"/api/data/analysis/shadow/{run_id}", missing_ok=True)
        if report is not None and report["status"] == "completed" and report["answers"] == answers:
            return dict(report)
        if time.monotonic() > deadline:
            raise ShadowError(f"Published run {run_id}, but the persistence service has not recorded it within "
                              f"{timeout:.0f} s: see /api/data/analysis/shadow/{run_id} later.")  # fmt: skip
        time.sleep(0.5)


def table(report: dict[str, Any]) -> str:
    moved, calibration = report["differences"], report["calibration"]
    lines = [
        f"Shadow run {report['run_id']}: {report['provider']} {report['model']} "
        f"(prompt {report['prompt_version'] or 'shipped'}) {report['label']}".rstrip(),
        f"{moved['n']} answers scored again: mean |new - old| {moved['mean_absolute_difference']}, "
        f"mean new - old {moved['mean_difference']}, {moved['changed']} changed",
        f"Against people's scores ({calibration['reviewed']} reviewed answers):",
        f"  {'':26}{'old':>10}{'new':>10}",
    ]
    for name in STATISTICS:
        old, new = calibration["old"].get(name), calibration["new"].get(name)
        lines.append(f"  {name:26}{_cell(old):>10}{_cell(new):>10}")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    return "-" if value is None else str(value)


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m services.scoring shadow", description=__doc__.split("\n\n")[0])
    parser.add_argument("--provider", choices=("offline", "openai"), required=True)
    parser.add_argument("--prompt", type=Path, help="a candidate prompt file (OpenAI), e.g. assess_answer.v4.md")
    parser.add_argument("--limit", type=int, default=200, help="answers to score at most (default 200)")
    parser.add_argument("--position", help="only the interviews of this position")
    parser.add_argument("--label", default="", help="what the run tries, shown beside it")
    parser.add_argument("--api", default=os.environ.get("PERSISTENCE_URL", "http://127.0.0.1:8001"),
                        help="the read API (default: $PERSISTENCE_URL or http://127.0.0.1:8001)")  # fmt: skip
    parser.add_argument(
        "--token",
        default=os.environ.get("ADMIN_TOKEN") or os.environ.get("INTERNAL_TOKEN"),
        help="admin token (default: $ADMIN_TOKEN, else $INTERNAL_TOKEN)",
    )
    parser.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the report (default 60)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    try:
        if args.limit < 1:
            raise ShadowError("--limit must be at least 1", 2)
        try:
            prompt = read_prompt(args.prompt) if args.prompt else None
        except (OSError, ValueError) as error:
            raise ShadowError(f"Bad prompt file: {error}", 2) from None
        settings = ScoringSettings()
        ai = make_ai(args.provider, prompt, settings)
        api = ReadApi(args.api, args.token)
        rubrics = Rubrics(api)
        if args.position and api.get(f"/api/positions/{args.position}", missing_ok=True) is None:
            raise ShadowError(f"No position with position_id '{args.position}'.", 2)  # (the read API's 404 too)
        answers = reviewed_answers(api, args.limit, args.position, rubrics)
        if not answers:
            raise ShadowError("No reviewed answers to score again: review some answers first.", 3)
        if rubrics.unsure:
            some = "1 interview" if rubrics.unsure == 1 else f"{rubrics.unsure} interviews"
            print(f"{some} started before their position last changed: scored with its rubric as it is now, which "
                  "may not be theirs (--api at the persistence service reads theirs).", file=sys.stderr)  # fmt: skip
        run_id = new_id("shadow")
        print(f"Scoring {len(answers)} reviewed answers again as {run_id} ...", file=sys.stderr, flush=True)
        asyncio.run(score_again(ai, answers, settings, run_id, args.label))
        report = wait_for_report(api, run_id, len(answers), args.wait)
    except ShadowError as error:
        print(f"shadow: {' '.join(str(error).split())}", file=sys.stderr)  # one line, whatever the error says
        return error.code
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0
