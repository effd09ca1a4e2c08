"""The candidate's optional self-identification, after the interview (docs/fairness.md): a form apart from
the interview, every answer "prefer not to say" unless chosen. It becomes a DemographicsProvided event that
only the persistence service hears, for the adverse-impact monitor: the scorer and reviewers never see it,
and it is erased with the interview."""

from fastapi import APIRouter, Request
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
from shared.platform.http_errors import Refusal

router = APIRouter(prefix="/api", tags=["interview"])


@router.get("/self-identification")
async def self_identification_questions(request: Request) -> dict[str, list[str]]:
    """What the optional form after the interview asks here (none: it is not offered)."""
    return {"questions": list(request.app.state.settings.self_identification)}


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
    asked = settings.self_identification
    if not asked:
        raise Refusal(404, "Self-identification is not offered here.", reason="self_id_off")
    if session.view.report is None:
        raise Refusal(409, "This optional form opens once the interview is finished and its report is ready.",
                      reason="self_id_not_yet")  # fmt: skip
    if not_asked := [name for name in ("sex", "race_ethnicity", "age_band")
                     if name not in asked and getattr(body, name) != "prefer_not_to_say"]:  # fmt: skip
        raise Refusal(422, f"{', '.join(not_asked)}: not asked here (SELF_IDENTIFICATION is {', '.join(asked)}).",
                      reason="self_id_not_asked")  # fmt: skip
    payload = DemographicsProvidedPayload(sex=body.sex, race_ethnicity=body.race_ethnicity, age_band=body.age_band,
                                          provided_at=utc_now())  # fmt: skip
    # confirmed by the broker, but not applied to this gateway's session: no gateway keeps it in memory
    await confirmed(broker, DemographicsProvided.create(session_id=body.session_id, producer=PRODUCER, payload=payload))
    answer = {"session_id": body.session_id, "recorded": True} | payload.model_dump(
        mode="json", exclude={"provided_at"}
    )
    return acknowledged(JSONResponse(answer), session, recent_writes)
