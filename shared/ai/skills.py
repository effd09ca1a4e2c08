"""Skills named in a job description or an answer, from a fixed vocabulary."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

# category -> {canonical name: extra spellings}
VOCABULARY: dict[str, dict[str, tuple[str, ...]]] = {
    "language": {
        "Python": (),
        "Java": (),
        "JavaScript": ("js",),
        "TypeScript": ("ts",),
        "Go": ("golang",),
        "Rust": (),
        "C++": ("cpp",),
        "C#": ("csharp", ".net", "dotnet"),
        "Kotlin": (),
        "Swift": (),
        "Ruby": (),
        "PHP": (),
        "Scala": (),
        "SQL": (),
        "R": (),
    },
    "framework": {
        "Django": ("django orm", "queryset", "select_related", "prefetch_related", "models.model"),
        "Flask": (),
        "FastAPI": (),
        "Spring": ("spring boot",),
        "React": ("react.js", "reactjs"),
        "Angular": (),
        "Vue": ("vue.js",),
        "Node.js": ("node", "nodejs", "express"),
        "Rails": ("ruby on rails",),
        "pandas": (),
        "PyTorch": (),
        "TensorFlow": (),
        "asyncio": ("async",),
        "GraphQL": (),
        "REST": ("rest api", "restful"),
    },
    "cloud": {
        "AWS": ("amazon web services", "ec2", "s3", "lambda"),
        "Azure": (),
        "GCP": ("google cloud",),
        "Docker": ("containers", "container"),
        "Kubernetes": ("k8s",),
        "Terraform": (),
        "serverless": (),
    },
    "data": {
        "PostgreSQL": ("postgres",),
        "MySQL": (),
        "MongoDB": ("mongo",),
        "Redis": (),
        "Kafka": (),
        "RabbitMQ": (),
        "Elasticsearch": (),
        "Spark": (),
        "Airflow": (),
        "data modeling": ("data modelling",),
        "machine learning": ("ml", "scikit-learn", "sklearn", "xgboost", "feature selection", "churn model"),
        "ETL": ("data pipelines", "data pipeline"),
    },
    "practice": {
        "testing": ("unit tests", "tdd", "pytest", "test automation"),
        "CI/CD": (
            "continuous integration",
            "continuous delivery",
            "ci",
            "cd",
            "github actions",
            "gitlab ci",
            "jenkins",
        ),  # not "pipeline": a sales pipeline is not a build pipeline
        "microservices": ("microservice",),
        "system design": ("architecture", "distributed systems"),
        "security": ("authentication", "oauth"),
        "performance": (
            "optimization",
            "optimisation",
            "scalability",
            "latency",
            "throughput",
            "profiled",
            "profiling",
            "py-spy",
        ),
        "code review": ("code reviews",),
        "observability": ("monitoring", "logging", "tracing"),
        "agile": ("scrum", "kanban"),
        "API design": ("apis", "api"),
    },
    "soft": {
        "communication": ("communicate", "communicating", "explained", "presented", "product manager", "stakeholder"),
        "teamwork": ("collaboration", "collaborate", "team player", "disagreement", "conflict", "pair programming"),
        "leadership": ("mentoring", "mentor", "mentored", "lead", "led"),
        "problem solving": ("problem-solving",),
        "ownership": ("accountability",),
        "stakeholder management": ("stakeholders",),
    },
}


# Naming a framework shows its language too.
IMPLIES = {
    "Django": "Python", "Flask": "Python", "FastAPI": "Python", "pandas": "Python", "PyTorch": "Python",
    "asyncio": "Python", "Rails": "Ruby", "Spring": "Java", "React": "JavaScript", "Vue": "JavaScript",
    "Angular": "TypeScript", "Node.js": "JavaScript",
}  # fmt: skip


@dataclass(frozen=True)
class Skill:
    name: str
    category: str


# Names that are also common English words match only as written here (Go, REST, R).
CASE_SENSITIVE = {"Go", "R", "REST"}


def _pattern(spelling: str) -> str:
    """The spelling, not glued to a word or a version ("Go" not in "Gopher" or "Go2"). Written spelling first,
    then what may not stand before it: a pattern that starts with a literal is searched for by its first
    characters, one that starts with a look-behind is tried at every position (twice as slow)."""
    escaped = re.escape(spelling)
    return rf"{escaped}(?<![\w+#.-]{escaped})(?![\w+#-])"


def _compile(name: str, aliases: tuple[str, ...]) -> list[re.Pattern[str]]:
    patterns = [re.compile("|".join(_pattern(s) for s in aliases), re.IGNORECASE)] if aliases else []
    flags = 0 if name in CASE_SENSITIVE else re.IGNORECASE
    return [re.compile(_pattern(name), flags), *patterns]


WORD_RUN = re.compile(r"\w+")
# what the patterns (IGNORECASE) take for i and s but str.lower() does not make i or s: "İ" (which it makes
# two characters), "ı", "ſ"; the spellings are all ASCII, so with these mapped the lowered text holds each
# spelling a pattern matches, at the same place
LIKE_ASCII = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def _spellings(name: str, aliases: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """A skill's lower-cased spellings, split: the plain words (a match must be one of the text's runs of
    word characters, the patterns allowing none beside it) and the rest ("ci/cd", "node.js", "team player"),
    which a match must contain."""
    spellings = {s.lower() for s in (name, *aliases)}
    plain = frozenset(s for s in spellings if WORD_RUN.fullmatch(s))
    return plain, tuple(sorted(spellings - plain))


# each skill's patterns, behind the spellings one of which a text must hold for a pattern to match it
_PATTERNS: list[tuple[Skill, frozenset[str], tuple[str, ...], list[re.Pattern[str]]]] = [
    (Skill(name, category), *_spellings(name, aliases), _compile(name, aliases))
    for category, skills in VOCABULARY.items()
    for name, aliases in skills.items()
]


def find_skills(text: str) -> list[Skill]:
    """Skills mentioned in `text`, most mentioned first, ties by first mention."""
    counts: Counter[Skill] = Counter()
    first_seen: dict[Skill, int] = {}
    lowered = text.translate(LIKE_ASCII).lower()
    runs = set(WORD_RUN.findall(lowered))
    for skill, plain, other, patterns in _PATTERNS:
        if plain.isdisjoint(runs) and not any(spelling in lowered for spelling in other):
            continue  # far cheaper than the patterns ("ts" in "results" no longer runs TypeScript's), most skills absent
        starts = [m.start() for pattern in patterns for m in pattern.finditer(text)]
        if starts:
            counts[skill] = len(starts)
            first_seen[skill] = min(starts)
    return sorted(counts, key=lambda s: (-counts[s], first_seen[s]))


@functools.lru_cache(maxsize=1024)
def skills_of(text: str) -> tuple[Skill, ...]:
    """`find_skills`, remembered for the texts that come again and again: a job description (with every
    answer to its interview, and for every candidate of its position) and the questions asked from it.
    Answers are not remembered: each is new."""
    return tuple(find_skills(text))


def with_implied(named: set[str] | frozenset[str]) -> set[str]:
    """These skills, and the languages their frameworks imply."""
    return set(named) | {IMPLIES[name] for name in named if name in IMPLIES}


def shown_skills(text: str) -> set[str]:
    """The skills a text names, and the languages its frameworks imply."""
    return with_implied({skill.name for skill in find_skills(text)})
