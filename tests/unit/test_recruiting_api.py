"""The recruiters' API without a broker: a CSV from a spreadsheet in any of its separators, a position's
candidates ranked, a reviewer's refusals that say what is wrong, and an error label for every 4xx the
services answer."""

import ast
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, HTTPException, Request

from services.persistence.api.auth import Actor, reading
from services.persistence.api.invitation_lists import candidates_from_csv
from services.persistence.api.positions import Candidate, rank
from shared.platform.http_errors import _CODES, install_error_handlers

ROOT = Path(__file__).resolve().parents[2]
REVIEWER = Actor("usr-reva", "Reva", "reviewer", frozenset({"pos-mine"}))


@pytest.mark.parametrize(
    "raw",
    [
        b"candidate_name,email\nAda Lovelace,ada@example.com\n",
        "\ufeffname;email\r\nAda Lovelace;ada@example.com\r\n".encode(),  # Excel's CSV in German or French
        b"name\temail\nAda Lovelace\tada@example.com\n",
        "\ufeffName;E-Mail\r\nAda Lovelace;ada@example.com\r\n".encode(),  # German Excel's heading
        b'name;email;"e-mail, work"\n"Ada Lovelace";ada@example.com;x\n',
        b"Name;Mail\nAda Lovelace;ada@example.com\n",  # a tester's: the e-mails were dropped without a word
        b"Full name,Email Address,Phone\nAda Lovelace,ada@example.com,+44 20 7946 0000\n",
        b"Nom;Courriel\nAda Lovelace;ada@example.com\n",
    ],
    ids=["comma", "semicolon-with-bom", "tab", "e-mail", "a-quoted-comma", "mail", "email-address", "courriel"],
)
def test_a_csv_is_read_whichever_separator_it_uses(raw):
    candidates = candidates_from_csv(raw)
    assert [(c.candidate_name, c.email) for c in candidates] == [("Ada Lovelace", "ada@example.com")]


@pytest.mark.parametrize(
    "raw",
    [b"First name,Last name,Email\nAda,Lovelace,ada@example.com\n",
     "Prénom;Nom;Courriel\nAda;Lovelace;ada@example.com\n".encode(),
     b"sep=;\nVorname;Nachname;E-Mail\nAda;Lovelace;ada@example.com\n"],  # Excel's separator line too
    ids=["english", "french", "german-excel"],
)  # fmt: skip
def test_a_name_in_two_columns_is_joined(raw):
    """Found by a recruiter's test: "First name,Last name" were not read, and the candidates had no name."""
    assert [(c.candidate_name, c.email) for c in candidates_from_csv(raw)] == [("Ada Lovelace", "ada@example.com")]


def test_a_file_not_in_utf8_says_how_to_save_it():
    with pytest.raises(ValueError, match=r'save it as "CSV UTF-8"'):
        candidates_from_csv("name;email\nJosé;jose@example.com\n".encode("cp1252"))


def test_e_mail_addresses_under_a_heading_not_read_are_refused_not_dropped():
    with pytest.raises(ValueError, match=r"^CSV line 2: the column 'Contact' holds e-mail addresses but is not read"):
        candidates_from_csv(b"name,Contact\nAda Lovelace,ada@example.com\n")
    other = candidates_from_csv(b"name,email,Notes\nAda Lovelace,ada@example.com,met at PyCon\n")
    assert [(c.candidate_name, c.email) for c in other] == [("Ada Lovelace", "ada@example.com")]  # notes: not read


def test_a_quoted_separator_in_the_header_does_not_decide_it():
    candidates = candidates_from_csv(b'"name, as written";name;email\nx, y;Ada;ada@example.com\n')
    assert [(c.candidate_name, c.email) for c in candidates] == [("Ada", "ada@example.com")]


def test_a_header_without_the_columns_says_which_it_found():
    with pytest.raises(ValueError, match=r"its first row names 'Telefon', 'Notiz'\.$"):
        candidates_from_csv("\ufeffTelefon;Notiz\n0301234567;Ada\n".encode())
    with pytest.raises(ValueError, match=r"its first row is empty\.$"):
        candidates_from_csv(b"")


def test_candidates_who_answered_every_question_rank_before_those_who_ended_early():
    def candidate(name: str, status: str, answered: int, average: float | None) -> Candidate:
        return Candidate(invitation_id=f"inv-{name}", candidate_name=name, email="", status=status,
                         expires_at=datetime(2030, 1, 1, tzinfo=UTC), average_score=average,
                         questions_answered=answered, total_questions=3,
                         ended_early=status == "completed" and answered < 3)  # fmt: skip

    candidates = [candidate("Quitter", "completed", 1, 10.0), candidate("Finisher", "completed", 3, 4.67),
                  candidate("Best", "completed", 3, 8.0), candidate("Started", "started", 2, None),
                  candidate("Invited", "invited", 0, None), candidate("Early", "completed", 2, 6.0)]  # fmt: skip
    ranked = [c.candidate_name for c in sorted(candidates, key=rank)]
    assert ranked == ["Best", "Finisher", "Quitter", "Early", "Started", "Invited"]


def test_a_field_too_many_names_the_files_separator():
    with pytest.raises(ValueError, match=r"CSV line 3: .*\(a semicolon too many\?\)"):
        candidates_from_csv(b"name;email\nAda;ada@example.com\nAlan;alan@example.com;x\n")


def request_for(path: str, query: str = "") -> Request:
    return Request({"type": "http", "method": "GET", "path": path, "query_string": query.encode(), "headers": [],
                    "path_params": {}})  # fmt: skip


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/data/answers", "position_id=pos-mine"),
        ("/api/data/answers", "session_id=s-1"),
        ("/api/data/export/interviews.json", "position_id=pos-mine"),
        ("/api/data/job-descriptions", "position_id=pos-mine"),
        ("/api/data/analysis/question-quality", "position_id=pos-mine"),
    ],
)
async def test_a_reviewer_is_told_an_endpoint_is_not_for_reviewers(path, query):
    with pytest.raises(HTTPException) as refused:
        await reading(request_for(path, query), REVIEWER)
    assert refused.value.status_code == 403
    assert "this endpoint needs the role recruiter or admin" in refused.value.detail
    assert "add position_id" not in refused.value.detail


async def test_a_reviewer_is_told_to_name_a_position_of_theirs():
    with pytest.raises(HTTPException) as without:
        await reading(request_for("/api/data/statistics"), REVIEWER)
    assert "add position_id=<one of yours> to a listing" in without.value.detail
    with pytest.raises(HTTPException) as other:
        await reading(request_for("/api/data/interviews", "position_id=pos-other"), REVIEWER)
    assert other.value.detail == "The position 'pos-other' is not assigned to you."
    assert await reading(request_for("/api/data/interviews", "position_id=pos-mine"), REVIEWER) is REVIEWER


def statuses_raised(path: Path) -> set[int]:
    """The status of every `HTTPException(...)`, `Refusal(...)` and `error_body(...)` in the file, given as a number."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
            "HTTPException",
            "Refusal",
            "error_body",
        ):
            given = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "status_code")]
            found.update(a.value for a in given if isinstance(a, ast.Constant) and isinstance(a.value, int))
    return found


def test_every_4xx_the_services_answer_has_a_label():
    statuses = {status for folder in ("services", "shared") for path in (ROOT / folder).rglob("*.py")
                for status in statuses_raised(path)}  # fmt: skip
    assert 410 in statuses  # the scan sees them
    assert sorted(s for s in statuses if 400 <= s < 500 and s not in _CODES) == []


async def test_a_410_is_labelled_gone():
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/closed")
    async def closed() -> None:
        raise HTTPException(410, "The position is closed.")

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        answer = await client.get("/closed")
    assert answer.status_code == 410
    assert answer.json() == {"error": "gone", "message": "The position is closed.", "detail": "The position is closed."}


def test_a_bad_e_mail_is_said_in_plain_words():
    with pytest.raises(ValueError) as refused:
        candidates_from_csv(b"name,email\nDee,dee-at-example.com\n")
    assert str(refused.value) == "CSV line 2: email: 'dee-at-example.com' is not an e-mail address"
