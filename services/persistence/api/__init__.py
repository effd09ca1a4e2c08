"""The persistence service's HTTP side: the read API under /api/data and the internal event read,
all behind the admin token when ADMIN_TOKEN is set; the reads honour consistency tokens."""

from fastapi import Depends, FastAPI

from services.persistence.api import analysis, data, erasure, export, improvement, internal, positions, reviews
from services.persistence.api.dependencies import consistent_read
from shared.platform.admin import require_admin


def include_routers(app: FastAPI) -> None:
    for module in (data, analysis, improvement, export):  # the reads: they can wait for a client's writes
        app.include_router(module.router, dependencies=[Depends(require_admin), Depends(consistent_read)])
    for module in (erasure, reviews, internal):
        app.include_router(module.router, dependencies=[Depends(require_admin)])
    app.include_router(positions.router)  # each route says who may use it (api/auth.py)
