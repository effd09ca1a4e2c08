"""Downloads in the seed's file layout (JSON lists) and as CSV."""

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from services.persistence.api.dependencies import StoreDep
from services.persistence.exports import csv_table, json_array
from services.persistence.queries import DataSet

router = APIRouter(prefix="/api/data/export", tags=["export"])


@router.get("/{data_set}.json")
async def export_json(data_set: DataSet, store: StoreDep) -> StreamingResponse:
    """The seed's `<data_set>.json`: a list of objects with the seed's field names; interviews are
    the completed ones, oldest first."""
    return StreamingResponse(
        json_array(store.export(data_set)),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{data_set}.json"'},
    )


@router.get("/{data_set}.csv")
async def export_csv(data_set: DataSet, store: StoreDep) -> StreamingResponse:
    return StreamingResponse(
        csv_table(data_set, store.export(data_set)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{data_set}.csv"'},
    )
