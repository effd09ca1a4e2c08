"""The candidate's optional self-identification, after the interview (docs/fairness.md): a form apart from
the interview, every answer "prefer not to say" unless chosen. It becomes a DemographicsProvided event that
only the persistence service hears, for the adverse-impact monitor: the scorer and reviewers never see it,
and it is erased with the interview."""

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from services.gateway.publishing import confirmed
from services.gateway.routes import (
    PRODUCER,
    BrokerDep,
    PresentedTokenDep,
    RecentWritesDep,
    SessionsDep,
    SettingsDep,
    acknowledged,
    check_candidate,
    find_session,
    limited,
)
from services.gateway.schemas import CandidateToken
from shared.contracts.events import (
    AgeBand,
    DemographicsProvided,
    DemographicsProvidedPayload,
    RaceEthnicity,
    SessionId,
    Sex,
    utc_now,
)

router = APIRouter(prefix="/api", tags=["interview"])


class SelfIdentification(BaseModel):
    model_config = ConfigDict(extra="forbid")
    session_id: SessionId
    candidate_token: CandidateToken | None = None
    sex: Sex = "prefer_not_to_say"
    race_ethnicity: RaceEthnicity = "prefer_not_to_say"
    age_band: AgeBand = "prefer_not_to_say"


@router.post("/self-identification", dependencies=[limited("answer")])
async def self_identification(
    body: SelfIdentification,
    broker: BrokerDep,
    sessions: SessionsDep,
    settings: SettingsDep,
    recent_writes: RecentWritesDep,
    token: PresentedTokenDep,
) -> JSONResponse:
    """Record what the candidate says of themselves, once their interview is finished; sent again, the
    latest answers count."""
    session = await find_session(sessions, body.session_id)
    check_candidate(session.view, body.candidate_token or token, settings)
    if session.view.report is None:
        raise HTTPException(409, "This optional form opens once the interview is finished and its report is ready.")
    payload = DemographicsProvidedPayload(sex=body.sex, race_ethnicity=body.race_ethnicity, age_band=body.age_band,
                                          provided_at=utc_now())  # fmt: skip
    # confirmed by the broker, but not applied to this gateway's session: no gateway keeps it in memory
    await confirmed(broker, DemographicsProvided.create(session_id=body.session_id, producer=PRODUCER, payload=payload))
    answer = {"session_id": body.session_id, "recorded": True} | payload.model_dump(
        mode="json", exclude={"provided_at"}
    )
    return acknowledged(JSONResponse(answer), session, recent_writes)
