"""The seed's file layout (`interviews.json`, `answers.json`, `job_descriptions.json`) and
CSV versions of the same data sets, streamed from a store."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import get_args

from services.persistence.documents import Document
from services.persistence.queries import DataSet
from services.persistence.store import Store

DATA_SETS: tuple[DataSet, ...] = get_args(DataSet)
CSV_COLUMNS = {
    "interviews": (
        "session_id", "timestamp", "candidate_name", "candidate_experience", "difficulty", "started_at", "ended_at",
        "total_questions", "average_score", "individual_scores", "overall_score", "hire_recommendation", "summary",
        "strengths", "weaknesses", "recommendations",
        # beyond the seed's: which position (empty for an open interview), what a person decided, a revised report
        "position_id", "position_title", "human_verdict", "report_revision.average_score", "report_revision.hire_recommendation",
        # a recruiter's test asked for these: how the interview ended, how much was answered, every person's verdict
        "completion_reason", "questions_answered", "human_verdicts",
    ),
    "answers": (
        "session_id", "question_number", "question", "answer", "score", "feedback.strengths",
        "feedback.improvements", "timestamp", "candidate_name", "difficulty", "position_id", "position_title",
        "human_score",
    ),
    "job_descriptions": (
        "session_id", "timestamp", "candidate_name", "candidate_experience", "difficulty", "job_description",
    ),
}  # fmt: skip
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


async def json_array(rows: AsyncIterator[Document]) -> AsyncIterator[str]:
    """A JSON list, one object at a time, as the seed's files hold it."""
    yield "["
    first = True
    async for row in rows:
        yield ("\n" if first else ",\n") + row.model_dump_json()
        first = False
    yield "\n]\n"


async def csv_table(
    data_set: DataSet, rows: AsyncIterator[Document], titles: dict[str, str], excel: bool = False
) -> AsyncIterator[str]:
    """One line per row; lists are joined with ' | ', a position named by its title (`titles`) beside its id.
    Cells that a spreadsheet would read as a formula (candidates type these) are prefixed with an apostrophe.
    `excel`: a UTF-8 byte-order mark first, without which Excel reads "Öztürk" as "Ã–ztÃ¼rk"."""
    columns = CSV_COLUMNS[data_set]
    buffer = io.StringIO()
    if excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    async for row in rows:
        document = row.model_dump(mode="json")
        document["position_title"] = titles.get(document.get("position_id") or "", "")
        if data_set == "interviews":
            document["questions_answered"] = len(document.get("individual_scores") or [])
            document["human_verdicts"] = [
                f"{v['verdict']} by {v['reviewer']}" for v in document.get("human_verdicts") or []
            ]
        writer.writerow([_cell(_lookup(document, column)) for column in columns])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _lookup(row: dict[str, object], column: str) -> object:
    value: object = row
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " | ".join(map(str, value))
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


async def export_folder(store: Store, folder: Path) -> dict[str, int]:
    """Write the three seed files into `folder`; the number of rows in each."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for data_set in DATA_SETS:
        rows = 0

        async def counted(data_set: DataSet = data_set) -> AsyncIterator[Document]:
            nonlocal rows
            async for row in store.export(data_set):
                rows += 1
                yield row

        target = folder / f"{data_set}.json"
        partial = target.with_suffix(".json.partial")
        with partial.open("w", encoding="utf-8") as file:
            async for chunk in json_array(counted()):
                file.write(chunk)
        partial.replace(target)
        counts[data_set] = rows
    return counts
