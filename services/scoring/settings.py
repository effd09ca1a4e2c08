from pydantic import Field

from shared.ai.settings import AISettings
from shared.platform.settings import Port


class ScoringSettings(AISettings):
    port: Port = Field(8003, validation_alias="SCORING_PORT")
