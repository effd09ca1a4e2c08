"""A real HTTP server that speaks enough of the OpenAI API for the real `openai` client.

It answers chat completions with structured outputs (a sensible reply for each of our three
schemas), speech and transcription, and can be scripted to reply with errors, malformed JSON
or refusals. Every request is recorded, with when it arrived and when it was answered. A `delay`
makes each chat completion take that long, as a real model does. Runs in a thread of the test
process.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections import deque
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tools.stack import free_port

ANSWER = re.compile(r"<data-answer-[0-9a-f]+>\n(.*?)\n</data-answer-", re.S)
NUMBER = re.compile(r"This is question (\d+) of")


class FakeOpenAI:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self._script: deque[dict[str, Any]] = deque()
        self.port = free_port()
        app = Starlette(routes=[
            Route("/v1/chat/completions", self._chat, methods=["POST"]),
            Route("/v1/audio/speech", self._speech, methods=["POST"]),
            Route("/v1/audio/transcriptions", self._transcription, methods=["POST"]),
            Route("/v1/models", self._models),
        ])  # fmt: skip
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeOpenAI:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake OpenAI server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)

    def then(self, *replies: dict[str, Any]) -> None:
        """Script the next replies, in order: {"status": 429, "headers": {...}, "error": {...}},
        {"content": "raw text"}, {"refusal": "..."} or {"json": {...}} (the structured content)."""
        self._script.extend(replies)

    def always(self, reply: dict[str, Any], times: int = 1000) -> None:
        self._script.extend([reply] * times)

    def clear(self) -> None:
        self._script.clear()
        self.requests.clear()

    def chat_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"].endswith("/chat/completions")]

    async def _chat(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ClientDisconnect:  # the caller was killed mid-request
            return Response(status_code=499)
        record = {"path": request.url.path, "body": body, "headers": dict(request.headers),
                  "received": time.monotonic(), "answered": None}  # fmt: skip
        self.requests.append(record)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            return self._completion(body)
        finally:
            record["answered"] = time.monotonic()

    def _completion(self, body: dict) -> Response:
        reply = self._script.popleft() if self._script else {}
        if "status" in reply:
            error = reply.get(
                "error", {"message": f"fake error {reply['status']}", "type": "server_error", "code": None}
            )
            return JSONResponse({"error": error}, status_code=reply["status"], headers=reply.get("headers"))
        schema = body.get("response_format", {}).get("json_schema", {}).get("name", "")
        if "refusal" in reply:
            message = {"role": "assistant", "content": None, "refusal": reply["refusal"]}
        else:
            content = (
                reply["content"] if "content" in reply else json.dumps(reply.get("json") or _default(schema, body))
            )
            message = {"role": "assistant", "content": content, "refusal": None}
        return JSONResponse({
            "id": f"chatcmpl-fake-{len(self.requests)}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "finish_reason": "stop", "message": message, "logprobs": None}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        })  # fmt: skip

    async def _models(self, request: Request) -> Response:
        if request.headers.get("authorization") == "Bearer sk-refused":  # the key a test wants refused
            return JSONResponse({"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}, 401)
        return JSONResponse({"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model"}]})

    async def _speech(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append({"path": request.url.path, "body": body, "headers": dict(request.headers)})
        return Response(b"ID3" + body["input"].encode()[:64], media_type="audio/mpeg")

    async def _transcription(self, request: Request) -> Response:
        form = await request.form()
        audio = await form["file"].read()
        self.requests.append({"path": request.url.path, "body": {"model": form.get("model"), "bytes": len(audio)}})
        return JSONResponse({"text": f"I built a Django API ({len(audio)} bytes of audio)"})


def _default(schema: str, body: dict) -> dict:
    user = body["messages"][-1]["content"]
    if "Question" in schema:
        number = int(match.group(1)) if (match := NUMBER.search(user)) else 1
        return {
            "question": f"Question {number} from the fake model: which trade-offs did you weigh in your last project?"
        }
    if "Assessment" in schema:
        answer = match.group(1) if (match := ANSWER.search(user)) else ""
        score = min(10, len(answer.split()) // 4)
        return {"score": score, "strengths": ["Answers the question"], "improvements": ["Add numbers"],
                "rationale": f"{len(answer.split())} words"}  # fmt: skip
    return {"overall_score": 7.0, "summary": "A solid candidate, says the fake model.", "strengths": ["Python"],
            "weaknesses": ["Cloud"], "recommendations": ["Study AWS"], "hire_recommendation": "yes",
            "rationale": "fake"}  # fmt: skip
