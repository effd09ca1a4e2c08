"""The adverse-impact monitor's read (docs/fairness.md): for admins and recruiters only, in aggregate only
(no candidate's self-identification is ever served), as JSON and as the audit's CSV."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response

from services.persistence.api.dependencies import StoreDep
from services.persistence.fairness import DEFAULT_MIN_GROUP, AdverseImpact, adverse_impact, audit_csv
from shared.platform.http_types import PositionQuery

router = APIRouter(prefix="/api/data/analysis", tags=["fairness"])
MinGroup = Annotated[
    int, Query(ge=2, le=1000, description="Categories with fewer completed interviews are not shown (at least 2)")
]
Since = Annotated[date | None, Query(description="Only interviews completed on or after this day (UTC)")]
Until = Annotated[date | None, Query(description="Only interviews completed before this day (UTC)")]


async def analysis(
    store: StoreDep, position_id: str | None, min_group: int, since: date | None, until: date | None
) -> AdverseImpact:
    if since is not None and until is not None and since >= until:
        raise HTTPException(422, f"since ({since}) must be before until ({until}): until is the first day left out")
    rows = await store.demographic_rows(position_id)
    first, last = (moment.isoformat() if moment else None for moment in (since, until))
    return adverse_impact(rows, min_group, position_id, first, last)


@router.get("/adverse-impact")
async def adverse_impact_report(
    store: StoreDep,
    position_id: PositionQuery = None,
    min_group: MinGroup = DEFAULT_MIN_GROUP,
    since: Since = None,
    until: Until = None,
) -> AdverseImpact:
    """Selection rate (the AI's 'yes' and 'strong yes'), mean score and scoring rate per self-identified
    category, impact ratios against the highest category and the four-fifths flag: per position, or overall
    with each position's flags."""
    return await analysis(store, position_id, min_group, since, until)


@router.get("/adverse-impact.csv", response_class=Response)
async def adverse_impact_csv(
    store: StoreDep,
    position_id: PositionQuery = None,
    min_group: MinGroup = DEFAULT_MIN_GROUP,
    since: Since = None,
    until: Until = None,
) -> Response:
    """The same as the audit's tables (NYC Local Law 144's layout), one CSV."""
    report = await analysis(store, position_id, min_group, since, until)
    name = f"adverse-impact-{position_id or 'all'}-{date.today().isoformat()}.csv"
    return Response(
        audit_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
