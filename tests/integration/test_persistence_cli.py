"""The persistence service's commands, as an operator runs them."""

import json
import os
import subprocess
import sys

from services.persistence.store.sqlite import SQLiteStore
from tests.integration.test_stores import cohort, record_all


def run(*args: str, data_dir) -> subprocess.CompletedProcess:
    # the SQLite store's commands, even where MONGODB_URL points the services at MongoDB
    env = {k: v for k, v in os.environ.items() if k != "MONGODB_URL"} | {"DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "services.persistence", *args], env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


async def test_export_and_replay_commands(tmp_path):
    store = SQLiteStore(tmp_path / "data" / "interviewer.sqlite3")
    await store.open()
    await record_all(store, cohort())
    await store.clear_read_models()  # as if the read models were lost
    await store.close()

    replayed = run("replay", data_dir=tmp_path / "data")
    assert replayed.returncode == 0, replayed.stderr
    assert "Rebuilt the read models of 5 sessions" in replayed.stdout

    exported = run("export", str(tmp_path / "out"), data_dir=tmp_path / "data")
    assert exported.returncode == 0, exported.stderr
    assert "4 interviews, 12 answers, 5 job_descriptions" in exported.stdout
    interviews = json.loads((tmp_path / "out" / "interviews.json").read_text())
    assert [i["candidate_name"] for i in interviews] == [
        "Ada Lovelace",
        "Alan Turing",
        "Grace Hopper",
        "Edsger Dijkstra",
    ]


def test_a_bad_setting_is_one_clear_line():
    env = os.environ | {"PREFETCH": "lots"}
    result = subprocess.run([sys.executable, "-m", "services.persistence", "replay"], env=env, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode != 0
    assert "configuration error" in result.stderr and "prefetch" in result.stderr.lower()
    assert "Traceback" not in result.stderr


def test_the_examples_placeholder_tokens_stop_the_service_at_once(tmp_path):
    """Found by an operator's test: deploy/k8s/base/secret.yaml ships ADMIN_TOKEN "change-me"; applied as it is,
    anyone who read the repository was an admin."""
    for name, value in (("ADMIN_TOKEN", "change-me"), ("INTERNAL_TOKEN", "Change-Me-Too")):
        env = os.environ | {name: value, "DATA_DIR": str(tmp_path), "BROKER_NAMESPACE": "placeholder"}
        result = subprocess.run([sys.executable, "-m", "services.persistence"], env=env, capture_output=True,
                                text=True, timeout=60)  # fmt: skip
        assert result.returncode == 2, result.stderr[-500:]
        assert f"configuration error: {name} is the example's placeholder" in result.stderr
        assert value not in result.stderr  # the secret itself is never written out
