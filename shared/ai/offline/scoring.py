"""How the offline interviewer scores an answer, in any field, in English or German, and in Spanish or
French in an interview held in them.

Points (before the difficulty's strictness): up to 3.75 for length (1.75 at 30 words, 2 more from 60
to 160); 2 for relevance (the answer's words shared with the question, the job description's own
words beyond it, and the share of the answer's words tied to either, compared by stem:
shared/ai/offline/lang.py; plus the question's technology; a quarter of it from the sentence embedding's
closeness to the question or job: shared/ai/offline/embedding.py, when installed); up to 5 for specifics (0.2 per job term
and 0.35 per technology up to 1, 0.5 per number up to 2.5, 0.2 per name or acronym not in the
question up to 1, 0.5 for an example); up to 2.75 for structure (situation 0.5, 0.25 per
first-person action up to 1, result 0.75, all three 0.5 more); minus 0.75 per vague phrase (up to 2.25), 0.75 per
opinion or private aside in an answer that narrates little (up to 1.5) and 1 for rambling past 450
words. Strictness multiplies: beginner 1.15, intermediate 1.0, advanced 0.85.

Non-answers get a fixed score instead: nothing 0; a copy of the question, "I don't know", an
off-topic (by the rules, or doubted by them and far from the question by embedding) or a vague answer 1.
A bare list of keywords caps at 3, repeating an earlier answer (the same words, or embeddings closer than
0.92) at 2.
An answer with instructions to the scorer is scored without them and capped at 2, and its feedback
says so. A sentence that repeats an earlier one of the same answer word for word is set aside (padding
earned length points: one sentence twenty times scored 8), and the feedback says so. An answer in neither
English, German nor the interview's language gets a neutral 5 and says it needs a human review; text that
is not prose in any language (keys hit at random, held down or over and over: "jjjjjj kkkk", "asdf asdf asdf";
placeholder text) is unreadable: 0, as no answer.
"I don't know" is a don't-know in whichever of the four languages it is said.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from shared.ai.language import interview_language
from shared.ai.offline import advice, embedding, lang, text
from shared.ai.offline.analysis import Analysis
from shared.ai.offline.injection import instructions_to_the_scorer, without_instructions
from shared.ai.skills import find_skills, skills_of, with_implied
from shared.contracts.events import Feedback, InterviewContext, QuestionAnswer

log = logging.getLogger(__name__)
STRICTNESS = {"beginner": 1.15, "intermediate": 1.0, "advanced": 0.85}
FLOORS = {"empty": 0, "unreadable": 0, "copy": 1, "dont_know": 1, "off_topic": 1, "vague": 1, "language": 5}
CAPS = {"repeat": 2, "keywords": 3}
INJECTION_CAP = 2
# "ich habe", "wir sind": a German action cue, but alone ("Ich habe keine Erfahrung damit") nothing done
# the sentence-embedding model's part (shared/ai/offline/embedding.py): cosines below NEAR are off the
# subject, from NEAR to FAR count linearly into relevance, with this weight; above REPEATED, a repeat
SEMANTIC_WEIGHT = 0.25
SEMANTIC_NEAR, SEMANTIC_FAR = 0.1, 0.4
OFF_SUBJECT = 0.12  # an answer this far from its question (and from its job) is off-topic when the rules doubt it
ON_SUBJECT = 0.18  # an answer this close to its question is not off-topic, whatever words it uses
REPEATED = 0.92
AUXILIARY = re.compile(r"\b(?:ich|wir)\s{1,3}(?:habe|haben|hatte|hatten|bin|sind)\b", re.IGNORECASE)


def analyse(
    context: InterviewContext, question: str, answer: str, transcript: Sequence[QuestionAnswer] = ()
) -> Analysis:
    answer, repeats = text.without_repeats(text.analysed(answer))
    interview = interview_language(context)
    injected = instructions_to_the_scorer(answer)
    if injected:
        answer = without_instructions(answer)
    words = lang.words(answer)
    written_in = lang.language_of(answer) if words else None
    # the cues of a language scored here; "Je ne sais pas" in an English interview is not a don't-know but French
    if written_in in ("en", "de", interview):
        cues = text.CUES[written_in]
    else:  # too short to tell ("No sé."): the interview's, if it is one of the Romance languages
        cues = text.CUES[interview] if written_in is None and interview in ("es", "fr") else text.ENGLISH_CUES
    job = f"{context.job_description}\n{context.rubric}"
    # the rubric names what the hiring team values: its skills count as the job's
    job_skills = tuple(s.name for s in skills_of(job) if s.category != "soft")
    asked_about = skills_of(question)
    question_skills = {s.name for s in asked_about}
    skills = frozenset(s.name for s in find_skills(answer))
    shown = with_implied(skills)

    question_stems = _question_stems(question) | {lang.stem(name) for name in question_skills}
    job_stems = _job_stems(job)
    answer_stems = lang.content_stems(answer)
    answer_tokens = [lang.stem(w) for w in words if len(w) > 2 and not w[0].isdigit() and not lang.stopword(w)]
    on_question = len(answer_stems & question_stems) / max(1, min(len(question_stems), 5))
    job_terms = frozenset(answer_stems & job_stems - question_stems)
    tied = sum(t in job_stems or t in question_stems for t in answer_tokens) / max(1, len(answer_tokens))
    on_the_question_skill = bool(shown & question_skills)
    relevant_skills = skills & (set(job_skills) | question_skills)
    related = len(relevant_skills - question_skills)
    relevance = min(1.0, 0.2 * min(3, len(answer_stems & question_stems)) + 0.1 * min(6, len(job_terms))
                    + 0.5 * tied + 0.4 * on_the_question_skill + 0.2 * min(related, 2))  # fmt: skip

    situation = cues.situation_in(answer)
    actions = text.count_any(answer, cues.action)
    if cues.present_action is not None:
        actions = max(actions, text.count_any(answer, cues.present_action))
    if actions and cues is text.ENGLISH_CUES:  # "I profiled it, replaced the loops and batched the inserts"
        actions += text.count_any(answer, text.CHAINED_ACTION)
    result = cues.result_in(answer)
    behavioural = not question_skills or all(s.category == "soft" for s in asked_about)
    if behavioural and actions and (situation or result):
        relevance = max(relevance, 0.8 if situation and result else 0.5)  # a story is what was asked for
    code = text.looks_like_code(answer)
    if code and (on_the_question_skill or on_question > 0):
        relevance = max(relevance, 0.5)
    numbers = sum(1 for w in words if w[0].isdigit()) + len(text.NUMBER_WORDS.findall(answer))
    # naming what the question names is not yet a specific
    names = len({n for n in _names(answer, written_in == "de") if n.lower() not in question.lower()})
    example = text.contains_any(answer, cues.example)
    vague_hits = cues.vague_hits(answer)
    asides = text.count_any(answer, cues.aside) if actions <= 2 else 0
    specifics = len(skills - question_skills) + numbers + int(example) + min(names, 3) + len(job_terms) // 3

    semantic = _semantics(answer, question, context.job_description, transcript) if words else None
    if semantic is not None:
        on_subject = max(semantic.question, 0.5 * semantic.job)
        closeness = min(1.0, max(0.0, (on_subject - SEMANTIC_NEAR) / (SEMANTIC_FAR - SEMANTIC_NEAR)))
        relevance = (1 - SEMANTIC_WEIGHT) * relevance + SEMANTIC_WEIGHT * closeness
    kind = _kind(answer, words, written_in, interview, cues, code, (question, job), transcript)
    if kind == "answer" and semantic is not None and semantic.earlier > REPEATED:
        kind = "repeat"
    if kind == "answer":
        far = semantic is not None and semantic.question < OFF_SUBJECT and semantic.job < 2 * OFF_SUBJECT
        # the words alone miss a paraphrase ("comment with questions, separate blocking from nits" to "how do
        # you review a pull request?"): off-topic by them only when the model does not find it on the subject
        near = semantic is not None and semantic.question >= ON_SUBJECT
        # the job's own words in what the candidate did is not off the topic, however short (found by a
        # newcomer: "... habe ich die Beatmung angepasst und den Arzt gerufen" for an intensive care nurse was)
        own_work_in_the_jobs_words = actions > 0 and bool(job_terms)
        if (relevance < 0.2 and not near and not skills & set(job_skills) and not (actions > 1 and numbers > 1)
                and not own_work_in_the_jobs_words):  # fmt: skip
            kind = "off_topic"
        elif far and relevance < 0.35 and not skills & set(job_skills) and not own_work_in_the_jobs_words:
            kind = "off_topic"
        elif numbers + names == 0 and vague_hits > 0 and actions <= 1 + vague_hits // 2:
            kind = "vague"
        elif len(words) >= 6 and (len(skills) + numbers) / len(words) > 0.3 and not code:
            kind = "keywords"
    return Analysis(
        word_count=len(words), relevance=relevance, skills=skills, relevant_skills=frozenset(relevant_skills),
        job_skills=job_skills, job_terms=job_terms, names=names, numbers=numbers, example=example,
        situation=situation, action=actions > 0, actions=actions, result=result, vague_hits=vague_hits, asides=asides,
        specifics=specifics, code=code, kind=kind, language=_interview_language(context), injected=injected,
        repeats=repeats,
    )  # fmt: skip


def _kind(
    answer: str,
    words: list[str],
    written_in: str | None,
    interview: str,
    cues: text.Cues,
    code: bool,
    asked: tuple[str, str],  # the question and the job
    transcript: Sequence[QuestionAnswer],
) -> str:
    if not words:
        return "empty"
    if not code and lang.held_keys(answer):  # before "keywords": "aaaa, bbbb, cccc" lists nothing
        return "unreadable"
    if not code and _is_a_list(answer, words):
        return "keywords"
    # before "language": "No idea, sorry" reads as Spanish as English; "No sé." as English as Spanish; and
    # "Je ne sais pas" in an English interview is a don't-know all the same
    said_in = (cues, text.CUES.get(interview, cues), text.CUES.get(written_in or "", cues))
    if any(_only_dont_know(answer, words, c) for c in said_in):
        return "dont_know"  # and before "copy": three words of which none is new would pass for a copy
    if not code and _another_language(answer, words, written_in, interview, asked):
        return "language" if lang.reads_as_prose(answer) else "unreadable"
    question_words = _question_stems(asked[0])
    answer_words = lang.content_stems(answer)
    copied = answer_words & question_words
    if len(words) < 60 and len(copied) >= 2 and len(copied) >= 0.6 * len(answer_words):
        return "copy"
    normalised = text.normalise(answer)
    if any(normalised == text.normalised(earlier.answer) for earlier in transcript):
        return "repeat"
    return "answer"


def _another_language(
    answer: str, words: list[str], written_in: str | None, interview: str, asked: tuple[str, str]
) -> bool:
    """Not clearly the interview's language, and another script, prose of eight words or more in neither English nor German, or a short sentence
    ("Je ne sais pas", "No sé, nunca lo he hecho") that reads no more English or German than Spanish:
    three or more words, mostly lower-case (not a list of names), none of them a word of the question or
    the job. Too few words to tell a language by its function words ("he" is English too)."""
    if lang.other_script(answer):
        return True
    share = lang.shares(answer)
    if written_in == interview and share[interview] > max(v for k, v in share.items() if k != interview):
        return False
    if interview in ("es", "fr") and written_in in ("es", "fr") and share[interview] >= 0.5 * share[written_in] > 0:
        return False  # French and Spanish share short words: "en général ça se passe" is French enough
    if len(words) >= 8:
        if written_in is not None:
            return written_in not in ("en", "de", interview)
        # prose of a language without function words here (French...) is mostly lower-case; a run of names
        # and numbers with a few English words ("Django AWS Redis 10 20 for example") is not a language
        lettered = [w for w in words[1:] if not w[0].isdigit()]
        return sum(w[0].islower() for w in lettered) >= 0.6 * len(lettered)
    if written_in in ("en", "de") and share[written_in] > share["es"]:
        return False
    if len(words) < 3 or sum(w[0].islower() for w in words[1:]) < 0.5 * (len(words) - 1):
        return False
    return not lang.content_stems(answer) & (_question_stems(asked[0]) | _job_stems(asked[1]))


def _only_dont_know(answer: str, words: list[str], cues: text.Cues) -> bool:
    """ "I don't know" and nothing else: no action, no result, no number, and at most three more words
    that carry meaning (or eight when it opens the answer: "I don't know, our DBA always did that").
    "I was not sure he was stable, so I checked his vitals" is an answer."""
    found = [m for p in (cues.dont_know, text.DONT_KNOW) for m in p.finditer(answer)]
    if not found or len(words) >= 40 or any(w[0].isdigit() for w in words):
        return False
    if text.contains_any(AUXILIARY.sub(" ", answer), cues.action) or text.contains_any(answer, cues.result):
        return False
    rest = text.DONT_KNOW.sub(" ", cues.dont_know.sub(" ", answer))
    said = len(lang.content_stems(rest))
    opens = len(lang.words(answer[: min(m.start() for m in found)])) <= 3
    return said <= 3 or (opens and said <= 8)


def _interview_language(context: InterviewContext) -> str:
    """Feedback is in the interview's language, whatever the answer's (English where it has none yet)."""
    language = interview_language(context)
    return language if language in advice.ADVICE else "en"


@dataclass(frozen=True)
class Semantics:
    """Cosines of the answer's sentence embedding with the question's, the job description's and the
    closest earlier answer's."""

    question: float
    job: float
    earlier: float


def _semantics(
    answer: str, question: str, job_description: str, transcript: Sequence[QuestionAnswer]
) -> Semantics | None:
    try:
        # the answer remembered too: it is an earlier answer for the next ones, and the report's evidence
        found = embedding.vectors([], cached=_embedded(answer, question, job_description, transcript))
    except Exception:  # the model failing on one text (say, a lone surrogate) leaves the rules to score it
        log.exception("the sentence-embedding model failed on an answer: scored by the rules alone")
        return None
    if found is None:
        return None
    *known, this = found
    cosines = [float(this @ v) for v in known]
    return Semantics(cosines[0], cosines[1], max(cosines[2:], default=0.0))


def _embedded(answer: str, question: str, job_description: str, transcript: Sequence[QuestionAnswer]) -> list[str]:
    """The texts whose vectors `_semantics` compares, the answer last."""
    return [question, job_description, *(e.answer for e in transcript if e.answer.strip()), answer]


def to_embed(context: InterviewContext, question: str, answer: str, transcript: Sequence[QuestionAnswer]) -> list[str]:
    """What `analyse` will ask the embedding model for, so that it can be embedded beforehand together with
    other answers' (`embedding.together`); nothing for an answer without words, which it does not embed.
    (An answer that addresses the scorer is embedded without those sentences: this one is then unused.)"""
    analysed = text.analysed(answer)
    return _embedded(analysed, question, context.job_description, transcript) if lang.words(analysed) else []


def _is_a_list(answer: str, words: list[str]) -> bool:
    """Items between commas, semicolons or line breaks, few words each, hardly a function word."""
    items = [item for item in text.LIST_SEPARATORS.split(answer) if item.strip()]
    if len(items) < 4 or len(words) / len(items) > 4:
        return False
    return max(lang.shares(answer).values()) < 0.1 or (len(items) >= 6 and len(words) / len(items) <= 2)


def _names(answer: str, german: bool) -> set[str]:
    """Names and acronyms (SBAR, NetSuite, p95) and, in English, capitalised words inside a sentence
    (Looker, Excel): the specifics of a field. German capitalises every noun: acronyms only."""
    found = {m.group(0) for m in text.ACRONYM.finditer(answer)}
    if not german:
        found |= {m.group(0) for m in text.MID_SENTENCE_NAME.finditer(answer)}
    return found


def _question_stems(question: str) -> frozenset[str]:
    return text.cached_stems(question)


def _job_stems(job: str) -> frozenset[str]:
    return text.cached_stems(job)


def points(a: Analysis) -> float:
    """The answer's points before strictness (the module's docstring gives the weights)."""
    length = 1.75 * min(1.0, a.word_count / 30) + 2.0 * min(1.0, max(0.0, (a.word_count - 60) / 100))
    gained = length + 2.0 * a.relevance
    gained += min(1.0, 0.2 * len(a.job_terms) + 0.35 * len(a.skills)) + min(2.5, 0.5 * a.numbers)
    gained += min(1.0, 0.2 * a.names) + (0.5 if a.example else 0.0)
    gained += 0.5 * a.situation + min(1.0, 0.25 * a.actions) + 0.75 * a.result + 0.5 * a.structured
    lost = min(2.25, 0.75 * a.vague_hits) + min(1.5, 0.75 * a.asides) + (1.0 if a.word_count > 450 else 0.0)
    return gained - lost


def score(analysis: Analysis, difficulty: str) -> int:
    a = analysis
    if a.kind in FLOORS:
        return min(FLOORS[a.kind], INJECTION_CAP) if a.injected else FLOORS[a.kind]
    result = int(round(max(1.0, min(10.0, points(a) * STRICTNESS[difficulty]))))
    cap = min(CAPS.get(a.kind, 10), INJECTION_CAP if a.injected else 10)
    return min(result, cap)


def feedback(analysis: Analysis) -> Feedback:
    return advice.feedback(analysis, FLOORS, CAPS)


def rationale(analysis: Analysis, difficulty: str) -> str:
    a = analysis
    ignored = "; instructions to the scorer ignored (capped at 2)" if a.injected else ""
    ignored += f"; {a.repeats} repeated sentences set aside" if a.repeats else ""
    if a.kind in FLOORS:
        return f"{a.kind.replace('_', ' ')}: fixed score {FLOORS[a.kind]}{ignored}"
    return (
        f"{a.word_count} words, relevance {a.relevance:.2f}, {len(a.skills)} technologies, {len(a.job_terms)} job "
        f"terms, {a.names} names, {a.numbers} numbers, example {'yes' if a.example else 'no'}, structure "
        f"{int(a.situation)}{a.actions}{int(a.result)}, {a.vague_hits} vague phrases, {a.asides} asides, {difficulty} strictness"
        + (f"; {a.kind} (capped at {CAPS[a.kind]})" if a.kind in CAPS else "")
        + ignored
    )
