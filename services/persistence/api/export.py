"""Downloads in the seed's file layout (JSON lists) and as CSV."""

import re
import unicodedata
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import StreamingResponse

from services.persistence.api.dependencies import StoreDep
from services.persistence.documents import Document
from services.persistence.exports import csv_table, json_array
from services.persistence.queries import DataSet
from services.persistence.store import Store
from shared.platform.http_types import PositionQuery

router = APIRouter(prefix="/api/data/export", tags=["export"])


@router.get("/{data_set}.json")
async def export_json(data_set: DataSet, store: StoreDep, position_id: PositionQuery = None) -> StreamingResponse:
    """The seed's `<data_set>.json`: a list of objects with the seed's field names; interviews are
    the completed ones, oldest first."""
    titles = await position_titles(store, position_id)
    return StreamingResponse(
        json_array(rows(store.export(data_set), data_set, position_id)),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{file_name(data_set, position_id, titles)}.json"'},
    )


@router.get("/{data_set}.csv")
async def export_csv(
    data_set: DataSet,
    store: StoreDep,
    position_id: PositionQuery = None,
    excel: Annotated[bool, Query(description="Start with a UTF-8 byte-order mark, for Excel")] = False,
) -> StreamingResponse:
    """The data set as CSV, with each position's title beside its id; one position's file is named after it."""
    titles = await position_titles(store, position_id)
    return StreamingResponse(
        csv_table(data_set, rows(store.export(data_set), data_set, position_id), titles, excel=excel),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{file_name(data_set, position_id, titles)}.csv"'},
    )


async def position_titles(store: Store, position_id: str | None) -> dict[str, str]:
    """Every position's title by its id; a 404 for a `position_id` that names none (rather than a file with
    no rows, which would say that the position has no interviews)."""
    titles = {record.id: str(record.document.get("title", "")) for record in await store.list_records("position")}
    if position_id is not None and position_id not in titles:
        raise HTTPException(404, f"No position with position_id '{position_id}'")
    return titles


def file_name(data_set: DataSet, position_id: str | None, titles: dict[str, str]) -> str:
    """`interviews`, or `interviews-senior-python-developer` for one position's (ASCII: every browser keeps it)."""
    if position_id is None:
        return data_set
    ascii_title = unicodedata.normalize("NFKD", titles[position_id]).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-")
    return f"{data_set}-{slug or position_id}"


def rows(exported: AsyncIterator[Document], data_set: DataSet, position_id: str | None) -> AsyncIterator[Document]:
    """All of the data set, or the interviews or answers of one position (`position_id`)."""
    if position_id is None:
        return exported
    if data_set == "job_descriptions":
        raise HTTPException(422, "position_id: job descriptions are not kept per position; leave it out")
    return of_position(exported, position_id)


async def of_position(exported: AsyncIterator[Document], position_id: str) -> AsyncIterator[Document]:
    async for row in exported:
        if getattr(row, "position_id", None) == position_id:
            yield row
