"""The persistence service's HTTP side: the read API under /api/data and the internal event read,
all behind the admin token when ADMIN_TOKEN is set."""

from fastapi import Depends, FastAPI

from services.persistence.api import analysis, data, erasure, export, improvement, internal, reviews
from shared.admin import require_admin


def include_routers(app: FastAPI) -> None:
    for module in (data, analysis, improvement, export, erasure, reviews, internal):
        app.include_router(module.router, dependencies=[Depends(require_admin)])
