"""What the OpenAI provider tells the model about an interview, written once: the provider sends
it, and the training export (services/persistence/training.py) writes the same, so that a model
fine-tuned on the export is asked as it learnt.

Candidate text (answers, and the job description, which candidates type too) is fenced as data and
cut to a bounded size."""

from shared.ai.guard import addresses_the_grader, fenced, without_instructions
from shared.contracts.events import LANGUAGES

JOB_CHARS, ANSWER_CHARS = 4000, 1500


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + " [...]"


def job_context(
    job_description: str, difficulty: str, experience: int | str, rubric: str = "", language: str | None = None
) -> str:
    """What every request to the model says about the job; `language`, a code of LANGUAGES, asks for
    everything the model writes (question, feedback, report) in that language."""
    if addresses_the_grader(job_description):
        job_description = without_instructions(job_description)
    context = (
        f"Job description:\n{fenced('job', cut(job_description, JOB_CHARS))}\n"
        f"Difficulty: {difficulty}. Candidate experience: {experience} years."
    )
    if rubric:
        context += f"\nThe hiring team's scoring rubric for this position:\n{fenced('rubric', cut(rubric, JOB_CHARS))}"
    if language is not None:
        context += f"\nInterview language: {LANGUAGES[language]} ({language}). Write everything you write in it."
    return context


def assessment_request(job: str, question: str, answer: str) -> str:
    """The user message asking for one answer's score; `job` is job_context(...)."""
    return (
        f"{job}\n\nThe question asked:\n{fenced('question', question)}\n\n"
        f"The candidate's answer:\n{fenced('answer', cut(answer, ANSWER_CHARS))}"
    )
