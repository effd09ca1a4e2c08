"""`/api/data/*` on the gateway is the persistence service's read API, so the browser
and the seed's curl lines use one origin."""

import re
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from services.gateway.persistence_client import PersistenceClient
from shared.http_errors import error_body

FORWARDED_REQUEST_HEADERS = ("authorization", "accept", "if-none-match")
FORWARDED_RESPONSE_HEADERS = (
    "content-type",
    "content-encoding",
    "content-disposition",
    "etag",
    "cache-control",
    "www-authenticate",
)

SAFE_PATH = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")

router = APIRouter(tags=["data"])


def get_persistence(request: Request) -> PersistenceClient:
    return request.app.state.persistence


@router.api_route("/api/data/{path:path}", methods=["GET", "DELETE"], include_in_schema=False)
async def forward_to_persistence(
    path: str, request: Request, persistence: Annotated[PersistenceClient, Depends(get_persistence)]
) -> Response:
    if ".." in path.split("/") or not SAFE_PATH.fullmatch(path):
        return JSONResponse(error_body(404, f"No data endpoint at /api/data/{path}"), status_code=404)
    headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED_REQUEST_HEADERS}
    upstream_request = persistence.http.build_request(
        request.method, f"/api/data/{path}", params=list(request.query_params.multi_items()), headers=headers
    )
    try:
        upstream = await persistence.http.send(upstream_request, stream=True)
    except httpx.HTTPError:
        return JSONResponse(
            error_body(503, "The data service is not reachable right now; please retry in a moment."), status_code=503
        )
    # streamed through, so an export of any size never sits whole in the gateway's memory
    return StreamingResponse(
        upstream.aiter_raw(),
        status_code=upstream.status_code,
        headers={k: v for k, v in upstream.headers.items() if k.lower() in FORWARDED_RESPONSE_HEADERS},
        background=BackgroundTask(upstream.aclose),
    )
