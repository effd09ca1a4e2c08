"""Untrusted text in prompts: fenced as data, and answers that address the grader flagged."""

import re
import secrets

INSTRUCTIONS_TO_THE_GRADER = re.compile(
    r"\b(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+|your\s+)?(previous|prior|above|earlier|system|scoring)?\s*"
    r"(instructions|rules|prompt|guidelines)"
    r"|\b(give|award|assign|grant)\s+(me|this(\s+answer)?|it)\s+(a\s+)?(score\s+of\s+|an?\s+)?(10|ten|full\s+marks|perfect)"
    r"|\bscore\s+(me|this|it)\s+(a\s+|as\s+)?(10|ten|perfect)"
    r"|\byou\s+are\s+now\b|\bsystem\s+prompt\b|\bnew\s+instructions\b"
    r"|\bas\s+(the|an)\s+(ai\s+)?(grader|evaluator|scorer|assessor)\b",
    re.IGNORECASE,
)


def addresses_the_grader(text: str) -> bool:
    return INSTRUCTIONS_TO_THE_GRADER.search(text) is not None


def fenced(label: str, text: str) -> str:
    """`text` between markers the writer cannot guess, so it cannot close them early."""
    tag = f"data-{label}-{secrets.token_hex(6)}"
    return f"<{tag}>\n{text}\n</{tag}>"
