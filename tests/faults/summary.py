"""The fault suite's figures, gathered from every scenario and written to
test-output/faults/summary.json when the suite ends (tests/faults/conftest.py)."""

import json
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "faults"
SUMMARY: dict[str, dict] = {}


def record(name: str, figures: dict, faults: int) -> None:
    SUMMARY[name] = {k: v for k, v in figures.items() if k != "statistics"} | {"faults": faults}


def write() -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "summary.json").write_text(json.dumps(SUMMARY, indent=2))
    for name, figures in SUMMARY.items():
        print(f"\n{name}: {figures['interviews']} interviews, {figures['faults']} faults injected, "
              f"lost {figures['lost']}, duplicated {figures['duplicated']}, client retries {figures['client_retries']}")  # fmt: skip
