from pydantic import Field

from shared.ai.settings import AISettings


class InterviewSettings(AISettings):
    port: int = Field(8002, validation_alias="INTERVIEW_PORT")
