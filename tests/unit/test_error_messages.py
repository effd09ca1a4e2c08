"""A 422 says what is wrong in words: found by an API test, a missing body was " is required" and a value of the
wrong form was refused with the regular expression it had to match."""

from typing import Annotated

import jsonschema
import pytest
from fastapi import FastAPI, Path
from fastapi.testclient import TestClient
from pydantic import BaseModel, StringConstraints

from services.gateway.schemas import StartInterviewRequest
from services.persistence.api.webhooks import Url
from shared.platform.http_errors import install_error_handlers
from shared.platform.http_types import SessionIdPath


class Body(BaseModel):
    url: Url
    position: Annotated[str, StringConstraints(pattern=r"^pos-[a-z0-9]{1,40}$")] = "pos-1"


app = FastAPI()
install_error_handlers(app)


@app.post("/things")
async def things(body: Body) -> dict[str, str]:
    return {}


@app.get("/interview/{session_id}")
async def interview(session_id: SessionIdPath) -> dict[str, str]:
    return {}


@app.get("/requests/{request_id}")
async def request(request_id: Annotated[str, Path(pattern=r"^req-[a-z0-9]{12}$")]) -> dict[str, str]:
    return {}


@app.post("/start")
async def start(body: StartInterviewRequest) -> dict[str, str]:
    return {}


client = TestClient(app)


def message(response) -> str:
    assert response.status_code == 422, response.text
    return response.json()["message"]


def test_a_missing_body_is_said_so():
    assert message(client.post("/things")) == "the request needs a JSON body"


@pytest.mark.parametrize(
    ("call", "said"),
    [
        (lambda: client.get("/interview/" + "a" * 65), "session_id: must be 1 to 64 letters, digits, '-' or '_'"),
        (lambda: client.get("/requests/req-1"), "request_id: must be req- followed by 12 lower-case letters or digits"),
        (lambda: client.post("/things", json={"url": "ftp://x"}),
         "url: must be a web address starting with https:// (or http://), without spaces"),
        (lambda: client.post("/things", json={"url": "https://x", "position": "POS-1"}),
         "position: must be pos- followed by up to 40 lower-case letters or digits"),
        (lambda: client.post("/start", json={"invitation": "short", "consent": True}),
         "invitation: must be 20 to 100 letters, digits, '-' or '_'"),
    ],
)  # fmt: skip
def test_a_value_of_the_wrong_form_is_told_the_form_in_words(call, said):
    text = message(call())
    assert said in text and "pattern" not in text and "^" not in text, text


def test_the_openapi_document_says_what_an_error_answers():
    """Found by an API test: the documents gave FastAPI's 422 (`detail` a list), not what is sent (`detail` the
    message, `errors` the fields), and no other error at all."""
    document = app.openapi()
    operation = document["paths"]["/things"]["post"]
    assert operation["responses"]["default"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }

    def valid(body: dict, component: str) -> None:
        jsonschema.validate(
            body, {"$ref": f"#/components/schemas/{component}"} | {"components": document["components"]}
        )

    refused = client.post("/things", json={"url": "ftp://x"})
    valid(refused.json(), "HTTPValidationError")
    valid(client.get("/nothing").json(), "Error")
    with pytest.raises(jsonschema.ValidationError):  # what FastAPI would have sent is not what is documented
        valid({"detail": [{"loc": ["body"], "msg": "x", "type": "missing"}]}, "HTTPValidationError")
