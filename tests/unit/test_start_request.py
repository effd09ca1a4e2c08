"""The start request's language: one of the four, any case; else a 422 naming the ones there are."""

import pytest
from pydantic import ValidationError

from services.gateway.schemas import StartInterviewRequest
from services.gateway.starts import invited_language

OPEN = {"job_description": "Python developer with Django and PostgreSQL.", "candidate_name": "A", "experience_years": 3}
ENGLISH_JOB = {"job_description": "Python developer with Django and PostgreSQL."}


@pytest.mark.parametrize(("given", "kept"), [(None, None), ("de", "de"), (" FR ", "fr"), ("es", "es"), ("en", "en")])
def test_a_start_names_one_of_four_languages_or_none(given, kept):
    assert StartInterviewRequest.model_validate(OPEN | {"language": given}).language == kept


@pytest.mark.parametrize("given", ["it", "deutsch", "", 1])
def test_any_other_language_is_refused_naming_the_four(given):
    with pytest.raises(ValidationError, match="'en', 'de', 'es' or 'fr'"):
        StartInterviewRequest.model_validate(OPEN | {"language": given})


def test_an_invited_interview_takes_the_starts_language_then_the_positions_then_the_job_descriptions():
    assert invited_language("fr", ENGLISH_JOB | {"language": "es"}) == "es"  # the position's, for all alike
    assert invited_language("fr", ENGLISH_JOB | {"language": None}) == "fr"
    assert invited_language(None, ENGLISH_JOB | {"language": "es"}) == "es"
    assert invited_language(None, ENGLISH_JOB | {"language": None}) == "en"
    german = {"job_description": "Wir suchen eine Entwicklerin mit Erfahrung in Python und Sie arbeiten im Team."}
    assert invited_language(None, german) == "de"
