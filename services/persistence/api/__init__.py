"""The persistence service's HTTP side: the read API under /api/data, the recruiters' APIs and the internal
reads of the other services (api/auth.py says who may use what); the reads honour consistency tokens."""

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
from services.persistence.api.auth import known_position, reading, require_internal, requires
from services.persistence.api.dependencies import consistent_read


def include_routers(app: FastAPI) -> None:
    for module in (data, analysis, improvement, export):  # the reads: they can wait for a client's writes
        app.include_router(module.router, dependencies=[Depends(reading), Depends(consistent_read)])
    # aggregates of what candidates said of themselves: not for reviewers (docs/fairness.md)
    app.include_router(fairness.router, dependencies=[requires("admin", "recruiter"), Depends(known_position),
                                                      Depends(consistent_read)])  # fmt: skip
    for internal_router in (internal.router, webhooks.internal):  # the services' own: INTERNAL_TOKEN
        app.include_router(internal_router, dependencies=[Depends(require_internal)])
    # each route of these says who may use it (api/auth.py)
    for module in (erasure, reviews, positions, users, oidc, audit, webhooks):
        app.include_router(module.router)
    audit.record_audited_requests(app)
