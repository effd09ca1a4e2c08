from pydantic import Field

from shared.ai.settings import AISettings
from shared.platform.settings import Port


class InterviewSettings(AISettings):
    port: Port = Field(8002, validation_alias="INTERVIEW_PORT")
