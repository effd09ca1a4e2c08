"""A candidate's line of links, read without a store: the line shows as its latest link (or the one that started
its interview), each replaced link names the link that replaced it, and persistence finds the line's interview
by the session id the gateway gives it."""

from datetime import timedelta

from services.persistence.api.invitation_lists import listed_in_csv, listed_twice, said_at_once
from services.persistence.recruiting import InvitationDocument, line_session_id, lines_of, replaced_by
from shared.contracts.session_ids import session_id_for
from tests.factories import T0


def link(invitation_id: str, minutes: int, first: str | None = None, **changes) -> InvitationDocument:
    return InvitationDocument(invitation_id=invitation_id, position_id="pos-1", candidate_name="Carla",
                              email="carla@example.org", expires_at=T0 + timedelta(days=14), issued_by="usr-1",
                              issued_at=T0 + timedelta(minutes=minutes), first_invitation_id=first, **changes)  # fmt: skip


def test_a_line_shows_as_its_latest_link_and_counts_the_others():
    revoked = {"revoked_at": T0 + timedelta(hours=1)}
    line = [link("inv-c", 20, "inv-a"), link("inv-a", 0, **revoked), link("inv-b", 10, "inv-a", **revoked)]
    [carla] = lines_of(line + [])
    assert carla.current.invitation_id == "inv-c"
    assert [i.invitation_id for i in carla.replaced] == ["inv-a", "inv-b"]
    assert replaced_by(line) == {"inv-a": "inv-b", "inv-b": "inv-c"}
    assert len(lines_of([*line, link("inv-d", 5)])) == 2


def test_an_old_link_that_started_the_interview_is_its_lines_candidate():
    """A start with the old link as its new link was made keeps that interview (docs/recruiting.md)."""
    old = link("inv-a", 0, revoked_at=T0 + timedelta(minutes=10), interview_session_id="abcd1234")
    [line] = lines_of([old, link("inv-b", 10, "inv-a")])
    assert line.current.invitation_id == "inv-a" and [i.invitation_id for i in line.replaced] == ["inv-b"]


def test_persistence_finds_a_lines_interview_where_the_gateway_starts_it():
    assert line_session_id(link("inv-b", 10, "inv-a")) == session_id_for("invitation/inv-a")
    assert line_session_id(link("inv-a", 0)) == session_id_for("invitation/inv-a")


def test_a_csv_row_listed_three_times_names_its_lines_and_faults_past_ten_are_counted():
    listed = listed_in_csv(b"name,email\nA,a@example.org\nB,b@example.org\nA2,A@example.org\nA3,a@example.org\n")
    assert listed_twice(listed) == [(2, "CSV lines 2, 4 and 5: a@example.org is listed 3 times: each candidate gets "
                                        "one invitation")]  # fmt: skip
    said = said_at_once([f"CSV line {n}: wrong" for n in range(2, 14)], csv=True, rows_only=True)
    assert said.startswith("12 rows are not valid (nothing was created): CSV line 2: wrong;")
    assert said.endswith("CSV line 11: wrong (and 2 more)")
