from pydantic import Field

from shared.settings import ServiceSettings


class InterviewSettings(ServiceSettings):
    port: int = Field(8002, validation_alias="INTERVIEW_PORT")
    openai_api_key: str | None = None
