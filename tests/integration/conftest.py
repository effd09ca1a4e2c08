import pytest

from tests.integration.stores import STORE_KINDS, open_store


@pytest.fixture(params=STORE_KINDS)
async def store(request):
    """An empty store of each kind (SQLite, MongoDB on a real server): a test module may define its own."""
    async with open_store(request.param) as store:
        yield store
