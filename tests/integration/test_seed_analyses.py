"""The seed's four analysis snippets, run unchanged on an exported folder, print the right answers."""

import subprocess
import sys
from pathlib import Path

import pytest

from services.persistence.exports import export_folder
from tests.integration.stores import STORE_KINDS, open_store
from tests.integration.test_stores import cohort, record_all

SNIPPETS = Path(__file__).parent.parent / "seed_snippets"
EXPECTED = {
    "example1_top_performers": [
        "Top 5 Candidates:",
        "Ada Lovelace: 9.0/10",
        "Grace Hopper: 7.0/10",
        "Edsger Dijkstra: 6.0/10",
        "Alan Turing: 5.0/10",
    ],
    "example2_by_experience": [
        "2 years exp: 5.00 avg score (1 candidates)",
        "5 years exp: 8.00 avg score (2 candidates)",
        "10 years exp: 6.00 avg score (1 candidates)",
    ],
    "example3_common_weaknesses": [
        "Top 5 Common Weaknesses:",
        "- Cloud: 3 times",
        "- Testing: 2 times",
        "- Security: 1 times",
        "- Communication: 1 times",
    ],
    # every stored answer, the in-progress interview's too: Q3 (10, 6, 7), Q1 (9, 4, 7, 6, 3), Q2 (8, 5, 7, 2)
    "example4_question_effectiveness": [
        "Question Effectiveness (sorted by avg score):",
        "7.7: Question 3 about Django?...",
        "5.8: Question 1 about Django?...",
        "5.5: Question 2 about Django?...",
    ],
}


@pytest.mark.parametrize("kind", STORE_KINDS)
async def test_the_seeds_analysis_scripts_run_unchanged_on_an_export(kind, tmp_path):
    async with open_store(kind) as store:
        await record_all(store, cohort())
        counts = await export_folder(store, tmp_path / "backend" / "interview_data")
    assert counts == {"interviews": 4, "answers": 12, "job_descriptions": 5}
    for name, expected in EXPECTED.items():
        run = subprocess.run(
            [sys.executable, str(SNIPPETS / f"{name}.py")], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert run.returncode == 0, run.stderr
        assert run.stdout.splitlines() == expected, name
