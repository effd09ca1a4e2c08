"""The persistence service's HTTP side: the read API under /api/data and the internal event read,
all behind the admin token when ADMIN_TOKEN is set; the reads honour consistency tokens."""

from fastapi import Depends, FastAPI

from services.persistence.api import (
    analysis,
    audit,
    data,
    erasure,
    export,
    fairness,
    improvement,
    internal,
    oidc,
    positions,
    reviews,
    users,
    webhooks,
)
from services.persistence.api.auth import reading, requires
from services.persistence.api.dependencies import consistent_read
from shared.platform.admin import require_admin


def include_routers(app: FastAPI) -> None:
    for module in (data, analysis, improvement, export):  # the reads: they can wait for a client's writes
        app.include_router(module.router, dependencies=[Depends(reading), Depends(consistent_read)])
    # aggregates of what candidates said of themselves: not for reviewers (docs/fairness.md)
    app.include_router(fairness.router, dependencies=[requires("admin", "recruiter"), Depends(consistent_read)])
    for internal_router in (internal.router, webhooks.internal):  # the services' own: ADMIN_TOKEN
        app.include_router(internal_router, dependencies=[Depends(require_admin)])
    # each route of these says who may use it (api/auth.py)
    for module in (erasure, reviews, positions, users, oidc, audit, webhooks):
        app.include_router(module.router)
    audit.record_audited_requests(app)
