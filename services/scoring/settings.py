from pydantic import Field

from shared.ai.settings import AISettings


class ScoringSettings(AISettings):
    port: int = Field(8003, validation_alias="SCORING_PORT")
