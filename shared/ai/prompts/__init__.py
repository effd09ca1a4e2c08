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
    raw = (HERE / f"{name}.md").read_text(encoding="utf-8")
    match = VERSION_LINE.match(raw)
    if match is None:
        raise ValueError(f"prompt {name}.md must start with '<!-- version: ... -->'")
    return Prompt(name, match.group(1), raw[match.end() :].strip())
