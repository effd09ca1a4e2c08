"""The OpenAI provider's prompts: one Markdown file each, versioned by its first line."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
VERSION_LINE = re.compile(r"<!-- version: (\S+) -->\n")


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    text: str


@cache
def load_prompt(name: str) -> Prompt:
    """A prompt the provider ships (shared/ai/prompts/NAME.md)."""
    return read_prompt(HERE / f"{name}.md")


def read_prompt(path: Path) -> Prompt:
    """A prompt from a file elsewhere (a candidate prompt tried in a shadow run); its name is the file's
    stem up to the first dot (`assess_answer.v4.md` is an `assess_answer` prompt)."""
    raw = path.read_text(encoding="utf-8")
    match = VERSION_LINE.match(raw)
    if match is None:
        raise ValueError(f"{path} must start with '<!-- version: ... -->'")
    return Prompt(path.name.split(".")[0], match.group(1), raw[match.end() :].strip())
