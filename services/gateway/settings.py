from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, SecretStr
from pydantic_settings import NoDecode

from shared.ai.settings import AISettings
from shared.contracts.events import CandidateReport
from shared.platform.addresses import Networks
from shared.platform.settings import Port

SelfIdQuestion = Literal["sex", "race_ethnicity", "age_band"]


def _questions(value: object) -> object:
    """`sex,age_band` (a comma-separated list, as an environment variable holds it); `none`: none (an empty
    variable counts as unset, as every setting's does)."""
    if isinstance(value, str):
        text = value.strip().lower()
        items = dict.fromkeys(item.strip() for item in text.split(",") if item.strip())  # once each, in order
        return () if text in ("none", "off") else tuple(items)
    return value


# the questions of the candidate's optional self-identification (docs/fairness.md); none: the form is not offered
SelfIdQuestions = Annotated[tuple[SelfIdQuestion, ...], NoDecode, BeforeValidator(_questions)]


class GatewaySettings(AISettings):
    port: Port = Field(8000, validation_alias="GATEWAY_PORT")
    persistence_url: str = "http://127.0.0.1:8001"
    exporter_url: str = "http://127.0.0.1:8004"
    # The persistence service's token, for the gateway's own reads (/internal); /api/data requests
    # carry the caller's Authorization header through unchanged.
    admin_token: SecretStr | None = None
    # How long a request waits for the services' answer before replying 202 (the live stream carries the rest).
    start_wait_seconds: float = Field(20.0, gt=0, le=120)
    answer_wait_seconds: float = Field(30.0, gt=0, le=300)
    # How long the completion check waits for this replica's live view to catch up with other replicas.
    completion_grace_seconds: float = Field(2.0, ge=0, le=30)
    # A read through /api/data waits this long for the writes this gateway answered, then answers 503.
    consistency_wait_seconds: float = Field(2.0, ge=0, le=30)
    # off: interviews start only from a recruiter's invitation (the seed's open start answers 403)
    open_interviews: bool = True
    # which interviews need the candidate's token to answer, end, resume or follow live (docs/recruiting.md)
    candidate_token_required: Literal["invitations", "always", "never"] = "invitations"
    # what candidates of open interviews see of their assessment (a position sets its own): docs/fairness.md
    candidate_report: CandidateReport = "full"
    # what the optional self-identification after the interview asks (docs/fairness.md): collecting race or
    # ethnicity is restricted in some countries (France, say), so a deployment chooses; none: not offered at all
    self_identification: SelfIdQuestions = ("sex", "race_ethnicity", "age_band")
    max_sessions_in_memory: int = Field(10_000, ge=10)
    completed_sessions_in_memory: int = Field(200, ge=0)  # the rest are read back from the store on demand
    # requests per minute per client address for what makes the AI work
    start_rate_per_minute: int = Field(30, ge=1)
    answer_rate_per_minute: int = Field(120, ge=1)
    voice_rate_per_minute: int = Field(60, ge=1)
    # The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the client
    # of a request; unset: the header is ignored and the client is the connecting address.
    trusted_proxies: Networks = ()
