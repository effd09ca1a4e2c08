"""The persistence service's HTTP side: the read API under /api/data and the internal event read."""

from fastapi import APIRouter, Depends

from services.persistence.api import analysis, data, erasure, export, internal
from services.persistence.api.dependencies import require_admin

routers: list[APIRouter] = []
for module in (data, analysis, export, erasure):
    module.router.dependencies.append(Depends(require_admin))
    routers.append(module.router)
internal.router.dependencies.append(Depends(require_admin))
routers.append(internal.router)
