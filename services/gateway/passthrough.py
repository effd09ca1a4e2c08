"""The recruiters' APIs through the gateway, so the browser and the seed's curl lines use one
origin: `/api/data/*` is the persistence service's read API, `/api/sheets/*` the exporter's.
Responses are streamed through (an export of any size never sits whole in the gateway)."""

import re
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from services.gateway.persistence_client import PersistenceClient
from shared.http_errors import error_body

FORWARDED_REQUEST_HEADERS = ("authorization", "accept", "if-none-match", "content-type")
FORWARDED_RESPONSE_HEADERS = (
    "content-type", "content-encoding", "content-disposition", "etag", "cache-control", "www-authenticate",
)  # fmt: skip
SAFE_PATH = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")

router = APIRouter(tags=["data"])


async def get_persistence(request: Request) -> PersistenceClient:
    return request.app.state.persistence


async def get_exporter(request: Request) -> httpx.AsyncClient:
    return request.app.state.exporter_http


@router.api_route("/api/data/{path:path}", methods=["GET", "POST", "DELETE"], include_in_schema=False)
async def forward_to_persistence(
    path: str, request: Request, persistence: Annotated[PersistenceClient, Depends(get_persistence)]
) -> Response:
    return await forward(persistence.http, f"/api/data/{path}", path, request, "The data service")


@router.api_route("/api/sheets/{path:path}", methods=["GET", "POST"], include_in_schema=False)
async def forward_to_exporter(
    path: str, request: Request, exporter: Annotated[httpx.AsyncClient, Depends(get_exporter)]
) -> Response:
    return await forward(exporter, f"/api/sheets/{path}", path, request, "The Sheets exporter")


async def forward(client: httpx.AsyncClient, target: str, path: str, request: Request, who: str) -> Response:
    if ".." in path.split("/") or not SAFE_PATH.fullmatch(path):
        return JSONResponse(error_body(404, f"Nothing at {request.url.path}"), status_code=404)
    headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED_REQUEST_HEADERS}
    body = await request.body() if request.method == "POST" else None
    upstream_request = client.build_request(
        request.method, target, params=list(request.query_params.multi_items()), headers=headers, content=body
    )
    try:
        upstream = await client.send(upstream_request, stream=True)
    except httpx.HTTPError:
        return JSONResponse(
            error_body(503, f"{who} is not reachable right now; please retry in a moment."), status_code=503
        )
    return StreamingResponse(
        upstream.aiter_raw(),
        status_code=upstream.status_code,
        headers={k: v for k, v in upstream.headers.items() if k.lower() in FORWARDED_RESPONSE_HEADERS},
        background=BackgroundTask(upstream.aclose),
    )
