"""Every HTTP error is JSON with a message that says what is wrong."""

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
    500: "internal_error",
    501: "not_implemented",
    502: "bad_gateway",
    503: "unavailable",
    504: "timeout",
}


# what FastAPI answers (400) for a body it could not decode as JSON: an unknown charset, nesting too deep
UNPARSED_BODY = "There was an error parsing the body"
NOT_JSON = "the request body is not valid JSON"
UNEXPECTED = "Something went wrong on our side; the error was logged."


class Refusal(HTTPException):
    """A 4xx whose body carries `fields` beside its message, for a client that says it in its own words
    (the candidate page, in the interview's language)."""

    def __init__(self, status_code: int, message: str, headers: dict[str, str] | None = None, **fields: object) -> None:
        super().__init__(status_code, message, headers)
        self.fields = fields


def error_body(status: int, message: str, **extra: object) -> dict[str, Any]:
    return {"error": _CODES.get(status, "error"), "message": message, "detail": message} | extra


def plainly(error: Mapping[str, Any]) -> str:
    """What is wrong with a value, as a person would say it (pydantic's "String should have at least 1
    character" is "must not be empty"); pydantic's own words where it says it plainly already."""
    kind, limits = error.get("type"), error.get("ctx") or {}
    match kind:
        case "missing":
            return "is required"
        case "string_too_short" if limits.get("min_length") == 1:
            return "must not be empty"
        case "string_too_short":
            return f"needs at least {limits.get('min_length')} characters"
        case "string_too_long":
            return f"takes at most {limits.get('max_length')} characters"
        case "too_short":
            return f"needs at least {limits.get('min_length')}"
        case "too_long":
            return f"takes at most {limits.get('max_length')}"
        case "greater_than_equal":
            return f"must be at least {limits.get('ge')}"
        case "less_than_equal":
            return f"must be at most {limits.get('le')}"
        case "greater_than":
            return f"must be more than {limits.get('gt')}"
        case "less_than":
            return f"must be less than {limits.get('lt')}"
        case "int_type" | "int_parsing" | "int_from_float":
            return "must be a whole number"
        case "float_type" | "float_parsing" | "finite_number":  # NaN and inf too
            return "must be a number"
        case "bool_type" | "bool_parsing":
            return "must be true or false"
        case "string_type":
            return "must be text"
        case "literal_error" | "enum":
            return f"must be one of {limits.get('expected')}"
        case "value_error":  # a validator's own words, without pydantic's "Value error, " before them
            return str(error.get("msg")).removeprefix("Value error, ")
        case "string_pattern_mismatch":
            return pattern_in_words(str(limits.get("pattern", "")))
    return str(error.get("msg"))


# the forms the API's patterns ask for, in words: a regular expression says nothing to most people
CHARACTERS = re.compile(r"\^\[A-Za-z0-9_(\.)?-\]\{(\d+),(\d+)\}\$")
PREFIXED_ID = re.compile(r"\^([a-z]+-)\[a-z0-9\]\{(\d+)(?:,(\d+))?\}\$")
PATTERNS = {
    r"^[^\x00]*$": "must not contain the control character U+0000",
    r"^https?://[^\s/]+(/\S*)?$": "must be a web address starting with https:// (or http://), without spaces",
    r"^[^'\[\]:*?/\\]+$": "must not contain any of ' [ ] : * ? / \\",
}


def pattern_in_words(pattern: str) -> str:
    if pattern in PATTERNS:
        return PATTERNS[pattern]
    if match := CHARACTERS.fullmatch(pattern):
        dot = ", '.'" if match.group(1) else ""
        return f"must be {match.group(2)} to {match.group(3)} letters, digits{dot}, '-' or '_'"
    if match := PREFIXED_ID.fullmatch(pattern):
        prefix, least, most = match.groups()
        size = f"{least}" if most is None else f"up to {most}"
        return f"must be {prefix} followed by {size} lower-case letters or digits"
    return "is not in the form expected here"


UNION_MEMBER = re.compile(r"^(literal|function-[a-z-]+|[a-z]+)\[")


def describe_validation_errors(errors: Sequence[Mapping[str, Any]]) -> str:
    parts = []
    for error in errors:
        # not pydantic's names of a union's members ("literal['yes','no']"), which say nothing to a person
        location = [
            str(p)
            for p in error.get("loc", ())
            if p not in ("body", "query", "path") and not UNION_MEMBER.match(str(p))
        ]
        if error.get("type") == "json_invalid":
            parts.append(NOT_JSON)
        elif error.get("type") == "missing":
            parts.append(f"{'.'.join(location)} is required" if location else "the request needs a JSON body")
        else:
            field = ".".join(location)
            parts.append(f"{field}: {plainly(error)}" if field else plainly(error))
    return "; ".join(parts) or "invalid request"


def body_not_sent_as_json(request: Request, errors: Sequence[Mapping[str, Any]]) -> bool:
    """The whole body refused (no field named) because it came as another media type (text/plain, a form):
    FastAPI then reads it as text or a form, never as JSON."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    whole_body = any(tuple(e.get("loc", ())) == ("body",) and e.get("type") != "missing" for e in errors)
    return whole_body and media_type != "application/json" and not media_type.endswith("+json")


# what every error answers, as the OpenAPI documents say it (FastAPI's own 422 schema is not what is sent)
FIELD_ERROR_SCHEMA = {
    "title": "FieldError", "type": "object", "required": ["loc", "msg", "type"],
    "properties": {
        "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                "description": "where: body, query, path or header, then the field"},
        "msg": {"type": "string", "description": "what is wrong with it, in words"},
        "type": {"type": "string", "description": "pydantic's kind of error, e.g. missing, string_too_long"},
    },
}  # fmt: skip
ERROR_SCHEMA = {
    "title": "Error", "type": "object", "required": ["error", "message", "detail"],
    "description": "Every 4xx and 5xx answer. A refusal a page says in its own words carries `reason` and the "
                   "values its words need.",
    "properties": {
        "error": {"type": "string", "description": "the status in a word: " + ", ".join(sorted(set(_CODES.values())))},
        "message": {"type": "string", "description": "what is wrong and what to do, in English"},
        "detail": {"type": "string", "description": "the same as message"},
        "reason": {"type": "string", "description": "a refusal's kind, where a client says it in its own words"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"},
                   "description": "a 422's fields and what is wrong with each"},
    },
    "additionalProperties": True,
}  # fmt: skip
ERROR_RESPONSE = {
    "description": "An error (4xx, 5xx); each says what is wrong in `message`",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def document_errors(app: FastAPI) -> None:
    """The app's OpenAPI document says what an error answers: its 422 is ours (`message`, `detail` as text,
    `errors`), not FastAPI's, and every operation has the other errors as its default response."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = ERROR_SCHEMA
        components["ValidationError"] = FIELD_ERROR_SCHEMA
        components["HTTPValidationError"] = ERROR_SCHEMA | {"title": "HTTPValidationError", "required": [
            "error", "message", "detail", "errors"]}  # fmt: skip
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"].setdefault("default", ERROR_RESPONSE)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    document_errors(app)

    @app.exception_handler(RequestValidationError)
    async def on_invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = list(error.errors())
        if body_not_sent_as_json(request, errors):
            media_type = request.headers.get("content-type", "").split(";")[0].strip() or "no Content-Type"
            message = f"Send the body as JSON with Content-Type: application/json (it came as {media_type})."
            return JSONResponse(error_body(415, message), status_code=415)
        body = error_body(422, describe_validation_errors(errors))
        # each error as a person would say it (a form shows it under its field), pydantic's kind of error beside it
        body["errors"] = [{"loc": list(e.get("loc", ())), "msg": plainly(e), "type": e.get("type")} for e in errors]
        return JSONResponse(body, status_code=422)

    @app.exception_handler(HTTPException)
    async def on_http_error(_: Request, error: HTTPException) -> JSONResponse:  # a Refusal's fields too
        message = error.detail if isinstance(error.detail, str) else str(error.detail)
        if error.status_code == 400 and message == UNPARSED_BODY:  # the same fault as malformed JSON, the same answer
            body = error_body(422, NOT_JSON, errors=[{"loc": ["body"], "msg": NOT_JSON, "type": "json_invalid"}])
            return JSONResponse(body, status_code=422)
        return JSONResponse(
            error_body(error.status_code, message, **getattr(error, "fields", {})),
            status_code=error.status_code,
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        return JSONResponse(error_body(500, UNEXPECTED), status_code=500)


class AnswerUnexpected:
    """ASGI middleware: an error nothing handled is logged once, with its traceback, and answered as a JSON 500.
    (Starlette's handler for `Exception` answers, then raises it again for the server, which logs the same
    traceback a second time.) An error after the response started cannot be answered: it goes on up."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            if started:
                raise
            log.exception("unhandled error", extra={"path": scope.get("path")})
            body = error_body(500, UNEXPECTED)
            await JSONResponse(body, status_code=500)(scope, receive, send)
