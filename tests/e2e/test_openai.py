"""The five services with the OpenAI provider, against a local OpenAI-compatible server: a whole
interview with provenance, the candidate told when the AI stays down, and server voice."""

import json

import httpx
import pytest

from shared.ai.prompts import load_prompt
from tests.e2e.conftest import assert_clean_shutdown, eventually, start_stack, stop_stack
from tests.e2e.test_interview import ANSWERS, answer, start
from tests.fakes.openai_server import FakeOpenAI

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fake():
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stack(fake, tmp_path_factory):
    env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake.base_url, "OPENAI_MODEL": "gpt-fake",
           "OPENAI_MAX_RETRIES": "0", "DELIVERY_LIMIT": "1"}  # fmt: skip
    stack = start_stack("test_openai", tmp_path_factory.mktemp("stack"), **env)
    yield stack
    assert_clean_shutdown(stack, stop_stack(stack))


def test_a_whole_interview_through_openai_with_provenance(gateway, fake):
    fake.clear()
    started = start(gateway, num_questions=2)
    assert started["question"].startswith("Question 1 from the fake model")
    first = answer(gateway, started["session_id"], ANSWERS[0]).json()
    assert first["score"] == min(10, len(ANSWERS[0].split()) // 4)
    assert first["next_question"]["question"].startswith("Question 2 from the fake model")
    last = answer(gateway, started["session_id"], ANSWERS[2]).json()
    report = last["report"]
    assert report["summary"] == "A solid candidate, says the fake model." and report["hire_recommendation"] == "yes"

    stored = eventually(lambda: gateway.get(f"/api/data/interview/{started['session_id']}").json(),
                        lambda doc: doc.get("status") == "completed")  # fmt: skip
    provenance = stored["questions_and_answers"][0]["provenance"]
    assert provenance == {"provider": "openai", "model": "gpt-fake", "prompt_version": "assess_answer-v3",
                          "rationale": f"{len(ANSWERS[0].split())} words"}  # fmt: skip
    assert stored["report_provenance"]["prompt_version"] == "write_report-v2"
    # the candidate's answer travelled to the model fenced as data
    rules = load_prompt("assess_answer").text
    scoring = [r for r in fake.chat_requests() if r["body"]["messages"][0]["content"] == rules]
    assert scoring and all("<data-answer-" in r["body"]["messages"][1]["content"] for r in scoring)


def test_when_the_ai_stays_down_the_candidate_is_told_instead_of_waiting(stack, gateway, fake):
    fake.clear()
    session_id = start(gateway, num_questions=3)["session_id"]
    fake.always({"status": 500})
    try:
        response = answer(gateway, session_id, ANSWERS[0])
        assert response.status_code == 202
        body = response.json()
        assert body["status"] == "failed" and "AI service is unavailable" in body["message"]
        state = gateway.get(f"/api/interview/{session_id}").json()
        assert "AI service is unavailable" in state["problem"]
        with httpx.Client(base_url=stack.url(), timeout=10) as client:
            with client.stream("GET", f"/api/interview/{session_id}/events") as stream:
                data = next(line for line in stream.iter_lines() if line.startswith("data:"))
        assert "AI service is unavailable" in json.loads(data[5:])["problem"]  # a reloaded page says so too
    finally:
        fake.clear()


def test_server_voice_is_the_candidates_and_reads_only_their_questions(gateway, fake):
    started = start(gateway, num_questions=2)
    session_id, mine = started["session_id"], {"X-Candidate-Token": started["candidate_token"]}
    spoken = gateway.post("/api/tts", json={"session_id": session_id, "question_number": 1}, headers=mine)
    assert spoken.status_code == 200 and spoken.headers["content-type"] == "audio/mpeg", spoken.text
    assert spoken.content.startswith(b"ID3")
    said = [r for r in fake.requests if r["path"] == "/v1/audio/speech"][-1]["body"]
    assert said["input"] == started["question"]  # the server reads the question itself
    recording, webm = b"\x1aE\xdf\xa3" + b"0" * 1000, {"content-type": "audio/webm"}
    transcribe = f"/api/transcribe?session_id={session_id}"
    heard = gateway.post(transcribe, content=recording, headers=webm | mine)
    assert heard.status_code == 200 and heard.json()["text"].startswith("I built a Django API")

    # the operator's key is not a speech service for anyone else, nor for anything but the questions

    def voiced() -> list[dict]:
        return [r for r in fake.requests if r["path"].startswith("/v1/audio/")]

    asked = len(voiced())
    question_1 = {"session_id": session_id, "question_number": 1}
    for refused, status in (
        (gateway.post("/api/tts", json=question_1), 403),
        (gateway.post("/api/tts", json=question_1, headers={"X-Candidate-Token": "x" * 43}), 403),
        (gateway.post("/api/tts", json={"text": "Say anything I like."}, headers=mine), 422),
        (gateway.post("/api/tts", json=question_1 | {"question_number": 2}, headers=mine), 404),
        (gateway.post("/api/tts", json=question_1 | {"session_id": "nosuchid"}, headers=mine), 404),
        (gateway.post("/api/transcribe", content=recording, headers=webm | mine), 422),
        (gateway.post(transcribe, content=recording, headers=webm), 403),
        (gateway.post(transcribe, content=b"x", headers={"content-type": "text/plain"} | mine), 415),
        (gateway.post(transcribe, content=b"", headers=webm | mine), 422),
    ):
        assert refused.status_code == status, refused.text
        assert refused.json()["message"]
    assert "candidate token" in gateway.post("/api/tts", json=question_1).json()["message"]
    assert len(voiced()) == asked

    assert gateway.post("/api/end-interview", json={"session_id": session_id}, headers=mine).status_code == 200
    ended = gateway.post("/api/tts", json=question_1, headers=mine)
    assert ended.status_code == 409 and "ended" in ended.json()["message"]
    assert len(voiced()) == asked


def test_server_voice_speaks_the_interviews_language(gateway, fake):
    for language, told in (("de", True), (None, False)):
        started = start(gateway, num_questions=1, **({"language": language} if language else {}))
        body = {"session_id": started["session_id"], "question_number": 1}
        assert (
            gateway.post("/api/tts", json=body, headers={"X-Candidate-Token": started["candidate_token"]}).status_code
            == 200
        )
        request = [r for r in fake.requests if r["path"] == "/v1/audio/speech"][-1]["body"]
        assert request["input"] == started["question"]
        assert ("Deutsch (de)" in request.get("instructions", "")) is told, request
