"""Consistency tokens: what a write's response names, and when the read models reflect it."""

import uuid

import pytest

from services.persistence.consistency import reflects
from services.persistence.store import SessionProgress
from shared.contracts.consistency import ConsistencyToken, InvalidToken, parse_tokens

IDS = [uuid.uuid4() for _ in range(5)]


def test_a_token_survives_its_header():
    token = ConsistencyToken.of("k3v9x2ab", IDS)
    assert parse_tokens(token.encode()) == [token]
    assert token.encode().startswith("k3v9x2ab.") and len(token.encode()) < 9 + 5 * 12


def test_several_tokens_of_one_session_ask_for_all_their_events():
    first, later = ConsistencyToken.of("s1", IDS[:2]), ConsistencyToken.of("s1", IDS[2:])
    other = ConsistencyToken.of("s2", IDS[:1])
    parsed = parse_tokens(f"{first.encode()}, {later.encode()},{other.encode()}")
    assert parsed == [ConsistencyToken.of("s1", IDS), other]


@pytest.mark.parametrize(
    "value", ["nonsense", "bad id!.AAAAAAAAAAA", "s1.AAAA", "s1.", "s1.*&^%AAAAAAAAAAA", ",".join(["s1.A"] * 101)]
)
def test_what_is_not_a_token_says_so(value):
    with pytest.raises(InvalidToken):
        parse_tokens(value)


def progress(stored: list[uuid.UUID], version: int, erased: bool = False) -> SessionProgress:
    return SessionProgress(erased, [str(i) for i in stored], version)


def test_the_read_models_reflect_a_token_once_its_events_are_stored_and_folded():
    token = ConsistencyToken.of("s1", IDS[:3])
    assert not reflects(progress(IDS[:2], 2), token)  # an event is not stored yet
    assert not reflects(progress(IDS[:3], 2), token)  # stored, but the rows are from fewer events
    assert reflects(progress(IDS[:3], 3), token)
    assert not reflects(progress(IDS, 4), token)  # a later event stored and not folded: the rows may predate ours
    assert reflects(progress(IDS, 5), token)


def test_an_erased_session_reflects_every_earlier_write():
    assert reflects(progress([], 0, erased=True), ConsistencyToken.of("s1", IDS))
