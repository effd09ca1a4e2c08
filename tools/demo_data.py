"""Demo interviews with people's reviews, made through the gateway as candidates and recruiters would.

    .venv/bin/python -m tools.demo_data [--gateway http://127.0.0.1:8000] [--interviews 30] [--token T] [--seed 7]

Candidates (varied jobs, experience, difficulty and answer quality, some empty or "I don't know"
answers) go through POST /api/start-interview and /api/submit-answer. Then reviewers score most
answers (the AI's score moved by a seeded -2..+2, kept within 0..10, with a short note) and give a
verdict on some interviews, through /api/data/.../review with the admin token (--token or
ADMIN_TOKEN). Most candidates then answer the optional self-identification form (POST
/api/self-identification, categories drawn at random) for the dashboard's Fairness view. The same --seed
makes the same requests. The gateway allows each client 30 starts and
120 answers a minute by default (START_RATE_PER_MINUTE, ANSWER_RATE_PER_MINUTE): a 429 is waited
out as its Retry-After says, so raise those limits for big runs.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, field
from typing import get_args

import httpx

from shared.contracts.events import AgeBand, RaceEthnicity, Sex

JOBS = [
    ("Senior Python Developer with 5+ years of Django, REST APIs, PostgreSQL and AWS. You will mentor two "
     "engineers and talk to stakeholders.", ["Django", "REST", "PostgreSQL", "AWS", "Python"]),
    ("Backend engineer (Go) building microservices on Kubernetes with Kafka and Redis; on-call for the "
     "payment platform, strong testing and observability habits.", ["Go", "Kubernetes", "Kafka", "Redis"]),
    ("Frontend developer: React and TypeScript single-page apps talking to GraphQL APIs; accessibility, "
     "testing and close work with designers.", ["React", "TypeScript", "GraphQL", "testing"]),
    ("Data engineer: Airflow pipelines, Spark and SQL on GCP; data modeling for analytics and ETL "
     "from dozens of sources.", ["Airflow", "Spark", "SQL", "GCP", "ETL"]),
    ("Platform engineer: Terraform, Docker and Kubernetes on Azure, CI/CD with GitHub Actions, "
     "security reviews and incident response.", ["Terraform", "Docker", "Kubernetes", "Azure", "CI/CD"]),
    ("Junior Java developer: Spring Boot services on MySQL, unit tests and code reviews in an agile "
     "team.", ["Spring", "Java", "MySQL", "testing"]),
]  # fmt: skip
FIRST = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Linus", "Radia",
         "Tim", "Katherine", "Dennis", "Hedy", "Guido", "Karen", "Niklaus", "Sophie", "John"]  # fmt: skip
LAST = ["Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Torvalds",
        "Perlman", "Berners-Lee", "Johnson", "Ritchie", "Lamarr", "van Rossum", "Sparck Jones", "Wirth"]  # fmt: skip
COMPANIES = ["a logistics start-up", "my last company", "a bank", "an online shop", "a hospital group", "an agency"]
DIFFICULTIES = ["beginner", "intermediate", "advanced"]
# how each kind of candidate answers: weights for strong, fair, vague, don't know, empty
ABILITIES = {"strong": (6, 3, 1, 0.2, 0), "average": (3, 4, 2, 0.6, 0.3), "weak": (0.5, 3, 3.5, 1.2, 0.8)}
QUALITIES = ("strong", "fair", "vague", "dont_know", "empty")
# reviewers' offsets -2..+2: they find the AI generous to polished answers and harsh to plain ones
OFFSETS = {"strong": (2, 3, 4, 1, 0.5), "fair": (0.5, 2, 4, 3, 1), "vague": (0.5, 1, 4, 2, 1),
           "dont_know": (0, 1, 6, 1, 0), "empty": (0, 0, 1, 0, 0)}  # fmt: skip
NOTES = {
    -1: ["Sounds good but stays on the surface.", "Names the tools without showing how they were used.",
         "Generous: the result is claimed, not explained."],
    0: ["Agree with the AI's score.", "Fair score.", "Matches my reading of the answer."],
    1: ["Better than the score suggests: the reasoning is sound.", "Plain wording, but the example is convincing.",
        "Worth more: the trade-off is well argued."],
}  # fmt: skip
NO_TOKEN = ("The gateway needs a token: pass an admin's API token with --token (create-admin printed the first "
            "one), or set ADMIN_TOKEN to the server's.")  # fmt: skip
WRONG_TOKEN = "The gateway refused the token: pass an admin's API token with --token, or the server's ADMIN_TOKEN."


class DemoError(Exception):
    """An expected failure, said in one line (no traceback)."""


@dataclass
class Interview:
    session_id: str
    name: str
    quality: dict[int, str] = field(default_factory=dict)
    scores: dict[int, int] = field(default_factory=dict)


def answer_text(quality: str, skill: str, rng: random.Random) -> str:
    company, before = rng.choice(COMPANIES), rng.randint(3, 40) * 10
    after, people = max(1, before // rng.randint(3, 9)), rng.randint(2, 12)
    match quality:
        case "strong":
            return rng.choice([
                f"At {company} our {skill} service was slow: reports timed out for {people} customers. I profiled "
                f"it, designed a cache and wrote tests around the slow path. As a result p95 latency went from "
                f"{before} ms to {after} ms and the support tickets stopped.",
                f"When I joined {company} the {skill} deployments kept failing. I set up a pipeline with automated "
                f"tests, for example contract tests for each API, and led {people} engineers through the change; "
                f"releases went from {before} minutes to {after} and failures fell to zero.",
            ])  # fmt: skip
        case "fair":
            return rng.choice([
                f"I used {skill} at {company} for about {people} months. I built a small internal service with it "
                f"and added some tests. It worked and the team still uses it.",
                f"In my previous job I fixed a bug in our {skill} code that broke the nightly import; I added a "
                f"check so it would not happen again.",
            ])  # fmt: skip
        case "vague":
            return rng.choice([f"I have used {skill} a lot, it is basically fine, I know it well.",
                               f"{skill} is important in general, I am a fast learner and a team player."])  # fmt: skip
        case "dont_know":
            return rng.choice(["I don't know, sorry.", f"I'm not sure, I have never used {skill}.", "No idea."])
    return ""


def skill_of(question: str, skills: list[str]) -> str:
    return next((s for s in skills if s.lower() in question.lower()), skills[0])


class Gateway:
    def __init__(self, url: str, token: str | None) -> None:
        self.url = url.rstrip("/")
        self.http = httpx.Client(base_url=self.url, timeout=90)
        self.admin = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, body: dict | None = None, *, ok: tuple[int, ...] = (200,)) -> dict:
        """The JSON answer; waits out rate limits and a moment's unavailability, says anything else."""
        headers = self.admin if path.startswith("/api/data/") else {}
        for _ in range(30):
            try:
                response = self.http.request(method, path, json=body, headers=headers)
            except httpx.TransportError as error:
                problem = f"Cannot reach the gateway at {self.url} ({error}). Is it running (make run)?"
                raise DemoError(problem) from None
            if response.status_code in (429, 503) and "Retry-After" in response.headers:
                wait = int(response.headers["Retry-After"])
                print(f"  {'rate limited' if response.status_code == 429 else 'busy'}: waiting {wait} s", flush=True)
                time.sleep(wait)
                continue
            if response.status_code in ok:
                return response.json()
            if response.status_code == 401:
                raise DemoError(WRONG_TOKEN if self.admin else NO_TOKEN)
            message = response.json().get("message") if "json" in response.headers.get("content-type", "") else None
            raise DemoError(f"{method} {path} answered {response.status_code}: {message or response.text[:200]}")
        raise DemoError(f"{method} {path}: still throttled after 30 waits; raise the gateway's rate limits")

    def wait_for(self, session_id: str, ready, what: str) -> dict:
        """Poll the candidate's view of the interview until `ready(state)` (after a 202)."""
        for _ in range(240):
            state = self.call("GET", f"/api/interview/{session_id}")
            if state.get("problem"):
                raise DemoError(f"Interview {session_id}: {state['problem']}")
            if ready(state):
                return state
            time.sleep(0.25)
        raise DemoError(f"Interview {session_id}: {what} did not come within a minute")


def run_interview(gateway: Gateway, rng: random.Random) -> Interview:
    description, skills = rng.choice(JOBS)
    ability = rng.choices(list(ABILITIES), weights=(3, 4, 3))[0]
    start = {"job_description": description, "candidate_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
             "experience_years": rng.randint(0, 15), "difficulty": rng.choice(DIFFICULTIES),
             "num_questions": rng.randint(3, 5)}  # fmt: skip
    started = gateway.call("POST", "/api/start-interview", start, ok=(200, 202))
    if started["status"] == "failed":
        raise DemoError(f"The interview could not start: {started.get('message')}")
    interview = Interview(started["session_id"], start["candidate_name"])
    number, question = started.get("question_number"), started.get("question")
    if question is None:
        state = gateway.wait_for(interview.session_id, lambda s: s["current_question"], "the first question")
        number, question = state["current_question"]["question_number"], state["current_question"]["question"]
    while question is not None:
        quality = rng.choices(QUALITIES, weights=ABILITIES[ability])[0]
        text = answer_text(quality, skill_of(question, skills), rng)
        if number == 1 and text and rng.random() < 0.3:  # some introduce themselves (anonymised in training data)
            text = f"Hi, I'm {interview.name.split()[0]}. {text}"
        body = {"session_id": interview.session_id, "question_number": number, "answer": text}
        result = submit(gateway, body)
        interview.quality[number], interview.scores[number] = quality, result["score"]
        following = None if result["completed"] else result["next_question"]
        number, question = (following["question_number"], following["question"]) if following else (None, None)
    return interview


def submit(gateway: Gateway, body: dict) -> dict:
    """The answer's score, whether the interview is over and the next question, once known."""
    result = gateway.call("POST", "/api/submit-answer", body, ok=(200, 202))
    session_id, number = body["session_id"], body["question_number"]
    if result["status"] == "failed":
        raise DemoError(f"Interview {session_id}: {result.get('message')}")
    if result["status"] == "scored":
        return result
    state = gateway.wait_for(
        session_id, lambda s: scored(s, number) is not None and settled(s, number), f"the score of answer {number}"
    )
    completed = state["status"] != "in_progress"
    return {"score": scored(state, number), "completed": completed, "next_question": state["current_question"]}


def scored(state: dict, number: int) -> int | None:
    return next((a["score"] for a in state["answers"] if a["question_number"] == number), None)


def settled(state: dict, number: int) -> bool:
    """The next question is asked, or the interview is over."""
    current = state["current_question"]
    return state["status"] != "in_progress" or (current is not None and current["question_number"] > number)


# the form's answers, and how often demo candidates give each (every category, "prefer_not_to_say" last)
SEXES, SEX_WEIGHTS = get_args(Sex), (10, 10, 1, 2)
RACES, RACE_WEIGHTS = get_args(RaceEthnicity), (4, 8, 4, 0.5, 4, 0.5, 1, 3)
AGE_BANDS, AGE_WEIGHTS = get_args(AgeBand), (6, 8, 5, 3, 1, 2)


def self_identify(gateway: Gateway, interview: Interview, rng: random.Random, share: float) -> bool:
    """About `share` of the candidates answer the optional form once their report is ready."""
    if rng.random() >= share:
        return False
    gateway.wait_for(interview.session_id, lambda s: s["status"] == "completed", "the report")
    body = {"session_id": interview.session_id, "sex": rng.choices(SEXES, weights=SEX_WEIGHTS)[0],
            "race_ethnicity": rng.choices(RACES, weights=RACE_WEIGHTS)[0],
            "age_band": rng.choices(AGE_BANDS, weights=AGE_WEIGHTS)[0]}  # fmt: skip
    gateway.call("POST", "/api/self-identification", body)
    return True


def review(gateway: Gateway, interview: Interview, rng: random.Random, share: float, verdict_share: float) -> int:
    """Record a reviewer's score for about `share` of the answers; the number recorded."""
    human: dict[int, int] = {}
    for number, ai_score in sorted(interview.scores.items()):
        offset = rng.choices(range(-2, 3), weights=OFFSETS[interview.quality[number]])[0]
        note = rng.choice(NOTES[(offset > 0) - (offset < 0)])
        if rng.random() >= share:
            continue
        human[number] = max(0, min(10, ai_score + offset))
        body = {"score": human[number], "note": note}  # the reviewer is whoever the token names
        path = f"/api/data/interview/{interview.session_id}/answers/{number}/review"
        for attempt in range(20):  # the data service may still be storing the last answer's score
            try:
                gateway.call("POST", path, body)
                break
            except DemoError as error:
                if "answered 404" not in str(error) or attempt == 19:
                    raise
                time.sleep(0.5)
    if human and rng.random() < verdict_share:
        mean = sum(human.values()) / len(human)
        verdict = "strong yes" if mean >= 8 else "yes" if mean >= 6.5 else "maybe" if mean >= 4.5 else "no"
        note = f"Reviewed {len(human)} answers; average {mean:.1f}."
        body = {"verdict": verdict, "note": note}
        gateway.call("POST", f"/api/data/interview/{interview.session_id}/review", body)
    return len(human)


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.demo_data", description=__doc__.split("\n\n")[0])
    parser.add_argument("--gateway", default="http://127.0.0.1:8000", help="the gateway's address")
    parser.add_argument("--interviews", type=int, default=30, help="how many interviews to make (default 30)")
    parser.add_argument("--token", default=os.environ.get("ADMIN_TOKEN"), help="admin token (default: $ADMIN_TOKEN)")
    parser.add_argument("--seed", type=int, default=7, help="the same seed makes the same data (default 7)")
    parser.add_argument("--review-share", type=float, default=0.85, help="share of answers reviewed (default 0.85)")
    parser.add_argument("--verdict-share", type=float, default=0.4, help="share of interviews given a verdict")
    parser.add_argument("--demographics-share", type=float, default=0.8,
                        help="share of candidates answering the self-identification form (default 0.8)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.interviews < 1:
        parser.error("--interviews must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    gateway = Gateway(args.gateway, args.token)
    try:
        gateway.call("GET", "/api/data/statistics")  # reachable, and the token works, before making anything
        interviews = []
        for index in range(args.interviews):
            interview = run_interview(gateway, random.Random(f"{args.seed}-interview-{index}"))
            interviews.append(interview)
            kinds = [interview.quality[n] for n in sorted(interview.quality)]
            print(f"[{index + 1:>3}/{args.interviews}] {interview.session_id} {interview.name}: scores "
                  f"{' '.join(map(str, interview.scores.values()))} ({', '.join(kinds)})", flush=True)  # fmt: skip
        identified = sum(self_identify(gateway, interview, random.Random(f"{args.seed}-identify-{index}"),
                                       args.demographics_share) for index, interview in enumerate(interviews))  # fmt: skip
        print(f"{identified} candidates answered the self-identification form.")
        reviewed = 0
        for index, interview in enumerate(interviews):
            rng = random.Random(f"{args.seed}-review-{index}")
            reviewed += review(gateway, interview, rng, args.review_share, args.verdict_share)
        print(f"Reviews recorded for {reviewed} answers.")
        print(summary(gateway, interviews))
    except DemoError as error:
        print(f"demo_data: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("demo_data: interrupted", file=sys.stderr)
        return 130
    finally:
        gateway.http.close()
    return 0


def summary(gateway: Gateway, interviews: list[Interview]) -> str:
    answers = [q for i in interviews for q in i.quality.values()]
    non_answers = sum(q in ("empty", "dont_know") for q in answers)
    lines = [f"Made {len(interviews)} interviews with {len(answers)} answers ({non_answers} empty or 'I don't know')."]
    calibration = gateway.call("GET", "/api/data/analysis/calibration", ok=(200, 404))
    overall = calibration.get("overall") or {}
    if overall.get("enough_data"):
        lines.append(f"Calibration over {calibration['reviewed_answers']} reviewed answers: average gap "
                     f"{overall['mean_absolute_error']:.2f}, exact agreement {overall['exact_agreement']:.0%}.")  # fmt: skip
    lines.append(f"See them at {gateway.url}/dashboard")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
