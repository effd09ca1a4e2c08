"""The AI evaluation set: one JSON file per job, graded answers to its questions (README.md here).

`load_set` reads and checks every file; a malformed set raises `MalformedSet` naming the file. The
folder `held_out/` holds a second set in the same format, reported apart (README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from shared.contracts.events import Difficulty

FOLDER = Path(__file__).parent
# jobs written after the offline rules and never tuned against: measured and reported apart
HELD_OUT = "held_out"
Grade = Literal["excellent", "decent", "vague", "off_topic", "dont_know", "keywords", "injection"]
# each answer scored below `decent` that must still rank below the excellent and the decent answer
BELOW_DECENT: tuple[Grade, ...] = ("off_topic", "dont_know", "keywords", "injection")
ONE_EACH: tuple[Grade, ...] = ("excellent", "decent", "vague")
Disguise = Literal["plain", "polite", "fake_system", "json", "other_language", "code_block", "note_to_grader"]
Language = Literal["en", "de", "es", "fr"]


class MalformedSet(ValueError):
    """The evaluation set cannot be measured as it is."""


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Answer(Strict):
    grade: Grade
    text: str = Field(min_length=1)
    disguise: Disguise | None = None  # how an injection hides; injections only

    @model_validator(mode="after")
    def _disguised_iff_injection(self) -> Answer:
        if (self.grade == "injection") != (self.disguise is not None):
            raise ValueError("an injection names its disguise, and only an injection does")
        return self


class Question(Strict):
    text: str = Field(min_length=10)
    answers: tuple[Answer, ...]

    @model_validator(mode="after")
    def _every_grade(self) -> Question:
        grades = [a.grade for a in self.answers]
        for grade in ONE_EACH:
            if grades.count(grade) != 1:
                raise ValueError(f"needs exactly one {grade} answer, has {grades.count(grade)}: {self.text!r}")
        for grade in BELOW_DECENT:
            if grade not in grades:
                raise ValueError(f"needs at least one {grade} answer: {self.text!r}")
        return self

    def answer(self, grade: Grade) -> Answer:
        return next(a for a in self.answers if a.grade == grade)


class Job(Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    field: str
    language: Language
    title: str
    description: str = Field(min_length=200)
    difficulty: Difficulty = "intermediate"
    candidate_experience: int = Field(4, ge=0, le=40)
    software: bool  # software vocabulary ("build", "deploy", "code") belongs in its questions
    # a duty or skill of the job -> the words that show a question is about it (matched at word starts)
    key_terms: dict[str, tuple[str, ...]] = Field(min_length=3)
    questions: tuple[Question, ...] = Field(min_length=2)


def load_job(path: Path) -> Job:
    try:
        job = Job.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as error:  # JSONDecodeError is a ValueError
        raise MalformedSet(f"{path.name}: {error}") from error
    if job.id != path.stem:
        raise MalformedSet(f"{path.name}: its id is {job.id!r}, not the file's name")
    return job


def load_set(folder: Path = FOLDER) -> tuple[Job, ...]:
    jobs = tuple(load_job(path) for path in sorted(folder.glob("*.json")))
    if not jobs:
        raise MalformedSet(f"no job files (*.json) in {folder}")
    return jobs
