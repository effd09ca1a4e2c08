"""An in-process stand-in for PyMongo's AsyncMongoClient, over mongomock.

Used only because no MongoDB server can run on this machine: the MongoDB store's real queries
(filters, sorts, aggregation pipelines, upserts) run against mongomock's implementation of
them. Where MONGODB_URL is set, the same tests run against a real server instead.
"""

from __future__ import annotations

from typing import Any

import mongomock


class FakeAsyncMongoClient:
    def __init__(self) -> None:
        self._client = mongomock.MongoClient(tz_aware=True)
        self.admin = _Admin()

    def __getitem__(self, name: str) -> _Database:
        return _Database(self._client[name])

    async def close(self) -> None:
        self._client.close()


class _Admin:
    async def command(self, name: str) -> dict:
        return {"ok": 1.0}


class _Database:
    def __init__(self, database: Any) -> None:
        self._database = database

    def get_collection(self, name: str, **options: Any) -> _Collection:
        return _Collection(self._database.get_collection(name, **options))


class _Collection:
    def __init__(self, collection: Any) -> None:
        self._collection = collection

    def find(self, *args: Any, **kwargs: Any) -> _Cursor:
        return _Cursor(self._collection.find(*args, **kwargs))

    async def aggregate(self, pipeline: list[dict], **options: Any) -> _Cursor:
        return _Cursor(self._collection.aggregate(pipeline, **options))

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._collection, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return method(*args, **kwargs)

        return call


class _Cursor:
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def sort(self, *args: Any) -> _Cursor:
        return _Cursor(self._cursor.sort(*args))

    def skip(self, count: int) -> _Cursor:
        return _Cursor(self._cursor.skip(count))

    def limit(self, count: int) -> _Cursor:
        return _Cursor(self._cursor.limit(count))

    async def to_list(self, length: int | None = None) -> list[dict]:
        return list(self._cursor)

    def __aiter__(self) -> _Cursor:
        self._iterator = iter(self._cursor)
        return self

    async def __anext__(self) -> dict:
        try:
            return next(self._iterator)
        except StopIteration:
            raise StopAsyncIteration from None
