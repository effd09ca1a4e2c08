"""The language an interview is held in: the one its position or start request names, else the job
description's (German descriptions get German interviews, every other one English)."""

from shared.contracts.events import InterviewContext, Language


def interview_language(context: InterviewContext) -> Language:
    return context.language if context.language is not None else job_language(context.job_description)


def job_language(job_description: str) -> Language:
    """The language of an interview for this job description when nobody named one."""
    from shared.ai.offline.lang import language_of  # here: the offline package imports this module

    return "de" if language_of(job_description) == "de" else "en"
