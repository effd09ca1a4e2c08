"""Which interviewer a service uses: OpenAI (or any compatible server) when OPENAI_API_KEY is set, the
offline interviewer otherwise."""

from shared.ai.offline import OfflineInterviewer
from shared.ai.provider import InterviewerAI
from shared.ai.settings import AISettings


def make_provider(settings: AISettings) -> InterviewerAI:
    if settings.openai_configured:
        from shared.ai.openai_provider import OpenAIInterviewer  # its SDK is imported only when it is used

        return OpenAIInterviewer.from_settings(settings, fallback=OfflineInterviewer())
    return OfflineInterviewer()
