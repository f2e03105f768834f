"""The hemicycle's geometry: every seat placed, in the half-disc, left to right, none crowded."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oastrack.core.hemicycle import INNER, Hemicycle, hemicycle, rows_for


def test_no_seats() -> None:
    assert hemicycle(0).seats == ()


def test_one_seat_sits_at_the_top() -> None:
    (seat,) = hemicycle(1).seats
    assert seat.x == pytest.approx(0, abs=1e-12)
    assert seat.y == pytest.approx(1)


def test_two_seats_sit_at_the_ends() -> None:
    left, right = hemicycle(2).seats
    assert left.x == pytest.approx(-1) and left.y == pytest.approx(0, abs=1e-12)
    assert right.x == pytest.approx(1) and right.y == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize(
    ("seats", "rows"),
    [(1, 1), (6, 1), (7, 2), (9, 2), (10, 3), (24, 3), (25, 4), (34, 4), (193, 8)],
)
def test_the_fewest_rows_that_fit(seats: int, rows: int) -> None:
    # One row holds 6 seats a spacing of 0.6 apart; 4 rows at spacing 0.2 hold 46.
    assert rows_for(seats) == rows
    assert hemicycle(seats).rows == rows


def test_the_oas_hemicycle() -> None:
    chamber = hemicycle(34)
    assert chamber.spacing == pytest.approx(0.2)
    per_row = [sum(1 for s in chamber.seats if s.row == row) for row in range(4)]
    # Shared in proportion to the radii 1, 0.8, 0.6, 0.4: 34 * r / 2.8.
    assert per_row == [12, 10, 7, 5]


def test_a_row_count_can_be_asked_for() -> None:
    chamber = hemicycle(20, rows=2)
    assert chamber.rows == 2
    assert {s.row for s in chamber.seats} == {0, 1}


@pytest.mark.parametrize(("seats", "rows"), [(-1, None), (5, 0)])
def test_nonsense_is_refused(seats: int, rows: int | None) -> None:
    with pytest.raises(ValueError):
        hemicycle(seats, rows)


def _min_distance(chamber: Hemicycle) -> float:
    seats = chamber.seats
    return min(
        (math.dist((a.x, a.y), (b.x, b.y)) for i, a in enumerate(seats) for b in seats[i + 1 :]),
        default=math.inf,
    )


@given(st.integers(min_value=0, max_value=250))
def test_every_seat_is_placed_in_the_half_disc_left_to_right(seats: int) -> None:
    chamber = hemicycle(seats)
    assert len(chamber.seats) == seats
    for seat in chamber.seats:
        radius = math.hypot(seat.x, seat.y)
        assert INNER - 1e-9 <= radius <= 1 + 1e-9
        assert seat.y >= -1e-9
        assert 0 <= seat.row < chamber.rows
    angles = [seat.angle for seat in chamber.seats]
    assert angles == sorted(angles, reverse=True)  # consecutive seats form wedges


@given(st.integers(min_value=2, max_value=120))
def test_seats_do_not_crowd_each_other(seats: int) -> None:
    chamber = hemicycle(seats)
    assert _min_distance(chamber) >= 0.7 * chamber.spacing
