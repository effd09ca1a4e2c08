"""The language an interview is held in: the one its position or start request names, else the job
description's (German descriptions get German interviews, every other one English)."""

from shared.ai.offline.lang import language_of
from shared.contracts.events import InterviewContext, Language


def interview_language(context: InterviewContext) -> Language:
    if context.language is not None:
        return context.language
    return "de" if language_of(context.job_description) == "de" else "en"
