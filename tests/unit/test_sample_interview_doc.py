"""docs/sample-interview.md is what `python -m tools.sample_interview` prints today: a change to the offline
interviewer that changes the sample changes the document in the same commit (it went stale once)."""

import asyncio
import contextlib
import io
from pathlib import Path

from tools.sample_interview import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "sample-interview.md"


def test_the_sample_interview_document_is_the_tools_output():
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        asyncio.run(main())
    assert printed.getvalue() == DOC.read_text(encoding="utf-8"), (
        "docs/sample-interview.md is stale: .venv/bin/python -m tools.sample_interview > docs/sample-interview.md"
    )
