"""Downloads in the seed's file layout (JSON lists) and as CSV."""

from collections.abc import AsyncIterator

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse

from services.persistence.api.dependencies import StoreDep
from services.persistence.documents import Document
from services.persistence.exports import csv_table, json_array
from services.persistence.queries import DataSet
from shared.platform.http_types import PositionQuery

router = APIRouter(prefix="/api/data/export", tags=["export"])


@router.get("/{data_set}.json")
async def export_json(data_set: DataSet, store: StoreDep, position_id: PositionQuery = None) -> StreamingResponse:
    """The seed's `<data_set>.json`: a list of objects with the seed's field names; interviews are
    the completed ones, oldest first."""
    return StreamingResponse(
        json_array(rows(store.export(data_set), data_set, position_id)),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{data_set}.json"'},
    )


@router.get("/{data_set}.csv")
async def export_csv(data_set: DataSet, store: StoreDep, position_id: PositionQuery = None) -> StreamingResponse:
    return StreamingResponse(
        csv_table(data_set, rows(store.export(data_set), data_set, position_id)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{data_set}.csv"'},
    )


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
