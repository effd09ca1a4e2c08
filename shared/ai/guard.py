"""Untrusted text in prompts: fenced as data; text that addresses the grader found and set aside.

Patterns are bounded (no unbounded repetition next to another) and read at most MAX_CHECKED
characters, so any input is cheap to check."""

import re
import secrets

MAX_CHECKED = 20_000
_S = r"[\s,:;.!-]{1,4}"  # a bounded gap between words
_W = r"(?:\w{1,20}" + _S + r"){0,3}"  # up to three words in between
# "give it 10 minutes", "give them ten more days": a quantity, not a score
_UNIT = r"\s{0,2}(?:%|percent|more\s{1,2}(?:minutes?|hours?|days?|weeks?|people)|minutes?|mins?\b|hours?|days?|weeks?|months?|years?|seconds?|people|times)"
# an imperative: at the start of a line or clause, or after "please" / "you must"
_ORDER = (
    r"(?:(?:^|(?<=[.!?;:,\n\"'(>]))\s{0,4}|\bplease\s{1,3}|\byou\s{1,3}(?:must|should|will|shall|have\s{1,3}to)\s{1,3})"
)
INSTRUCTIONS_TO_THE_GRADER = re.compile(
    "|".join(
        [
            rf"{_ORDER}(?:ignore|disregard|forget|override|bypass){_S}{_W}(?:instructions?|rules|rubric|prompt|guidelines|criteria)\b",
            rf"{_ORDER}(?:ignore|disregard|forget){_S}(?:all{_S})?(?:everything|anything|the{_S}text|what){_S}(?:above|before|previous|prior|you\b)",
            rf"{_ORDER}(?:give|award|assign|grant|rate|score|mark){_S}{_W}(?:(?:10|ten)\b(?!{_UNIT})|full{_S}(?:marks|points|score)|perfect|maximum|top|highest|all{_S}(?:the{_S})?points)\b",
            rf"{_ORDER}(?:set|output|return|respond{_S}with){_S}{_W}score\b",
            r"\b10\s?/\s?10\b",
            r"[\"']score[\"']\s{0,3}:\s{0,3}(?:10|9)\b",
            r"\bscore\s{0,3}[=:]\s{0,3}(?:10|9|ten|nine)\b",
            # a note to the grader, a verdict on its own answer, a score declared
            rf"\b(?:note|message|instructions?|reminder){_S}(?:to|for){_S}(?:the{_S})?(?:ai|model|llm|grader|evaluator|scorer|assessor|examiner)\b",
            r"\b(?:note|message|reminder)\s{1,3}(?:to|for)\s{1,3}(?:the\s{1,3})?(?:reviewer|interviewer)\s{0,2}:",
            rf"\b(?:this|my){_S}answer{_S}(?:deserves|merits|earns|should{_S}(?:get|receive|be{_S}given)){_S}{_W}(?:10|ten|full|perfect|maximum|top|highest|best)\b",
            rf"\b(?:correct|right|appropriate|fair|final|only|expected){_S}(?:score|grade|mark|rating){_S}{_W}(?:is|=|:){_S}(?:a{_S})?(?:10|ten|9|nine)\b",
            r"(?:^|\n)\s{0,4}(?:system|assistant|developer)\s{0,2}:",  # a role label, as in a chat transcript
            rf"\byou{_S}are{_S}now\b|\bsystem{_S}prompt\b|\bnew{_S}instructions\b|\bdeveloper{_S}mode\b",
            rf"\bas{_S}(?:the|an|a){_S}(?:ai{_S})?(?:grader|evaluator|scorer|assessor|interviewer)\b",
            rf"{_ORDER}(?:ignoriere|ignora|ignorez|ignorer)\b",  # the same order in German, Spanish/Italian, French
        ]
    ),
    re.IGNORECASE | re.MULTILINE,
)
SENTENCE = re.compile(r"[^.!?\n]{0,2000}[.!?\n]?")


def addresses_the_grader(text: str) -> bool:
    return INSTRUCTIONS_TO_THE_GRADER.search(text[:MAX_CHECKED]) is not None


def without_instructions(text: str) -> str:
    """The text minus every sentence that addresses the grader."""
    sentences = SENTENCE.findall(text[:MAX_CHECKED])
    return " ".join(s.strip() for s in sentences if s.strip() and not addresses_the_grader(s))


def fenced(label: str, text: str) -> str:
    """`text` between markers the writer cannot guess, so it cannot close them early."""
    tag = f"data-{label}-{secrets.token_hex(6)}"
    return f"<{tag}>\n{text}\n</{tag}>"
