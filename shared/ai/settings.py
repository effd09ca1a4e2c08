"""Settings of the services that call the AI (interview, scoring, and the gateway's voice)."""

from pydantic import Field, SecretStr

from shared.platform.settings import ServiceSettings

CONNECT_SECONDS = 5.0


class AISettings(ServiceSettings):
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None  # any OpenAI-compatible server: Azure, vLLM, Ollama ...
    openai_model: str = "gpt-4o-mini"
    openai_timeout_seconds: float = Field(30.0, gt=0, le=600)
    openai_max_retries: int = Field(3, ge=0, le=10)  # by the SDK, honouring retry-after, before the broker retries
    openai_tts_model: str = "gpt-4o-mini-tts"
    openai_tts_voice: str = "alloy"
    openai_transcribe_model: str = "gpt-4o-mini-transcribe"

    @property
    def openai_configured(self) -> bool:
        return self.openai_api_key is not None and bool(self.openai_api_key.get_secret_value())

    @property
    def openai_connect_seconds(self) -> float:
        """How long a connection to OpenAI may take: OPENAI_TIMEOUT_SECONDS is for its answer (found by a newcomer:
        with no way to OpenAI, each attempt waited the whole 30 s to connect, a candidate three minutes for a question)."""
        return min(CONNECT_SECONDS, self.openai_timeout_seconds)

    def openai_key(self) -> str:
        """OPENAI_API_KEY, asked for only where openai_configured."""
        if self.openai_api_key is None:
            raise ValueError("OPENAI_API_KEY is not set")
        return self.openai_api_key.get_secret_value()
