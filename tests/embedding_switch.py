"""The embedding model's switch for tests (shared/ai/offline/embedding.py). `needs_the_model` skips where it is not
installed; the fixtures `fresh_embedder` (each test reads the switch afresh, so none inherits the process state an
earlier test left: a module asks for it with `pytestmark = pytest.mark.usefixtures("fresh_embedder")`) and
`switched_off` (the rules score alone) are in tests/conftest.py."""

import pytest

from shared.ai.offline import embedding

needs_the_model = pytest.mark.skipif(embedding.model() is None, reason="embeddings off or not installed")
