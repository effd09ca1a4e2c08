from pydantic import Field

from shared.settings import ServiceSettings


class ScoringSettings(ServiceSettings):
    port: int = Field(8003, validation_alias="SCORING_PORT")
    openai_api_key: str | None = None
