"""The hemicycle's geometry: every seat placed, in the half-disc, left to right, none crowded."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oastrack.core.hemicycle import INNER, Hemicycle, capacities, hemicycle, radii, rows_for


def test_no_seats() -> None:
    assert hemicycle(0).seats == ()


def test_one_seat_sits_at_the_top_of_the_one_row() -> None:
    (seat,) = hemicycle(1).seats
    assert seat.x == pytest.approx(0, abs=1e-12)
    assert seat.y == pytest.approx(0.5)  # one row, a half-disc thick: its centre line


def test_the_end_seats_rest_on_the_floor_line() -> None:
    chamber = hemicycle(34)
    half = chamber.spacing / 2
    left, right = chamber.seats[0], chamber.seats[-1]
    assert left.y == pytest.approx(half) and right.y == pytest.approx(half)
    assert left.x == pytest.approx(-right.x)


@pytest.mark.parametrize(
    ("seats", "rows"),
    [(1, 1), (2, 2), (11, 2), (12, 3), (31, 3), (32, 4), (34, 4), (61, 4), (62, 5), (193, 7)],
)
def test_the_fewest_rows_that_fit(seats: int, rows: int) -> None:
    # Rows of radius r hold floor(pi r / 2t), t = 1 / (4 rows - 2): 1; 7 + 4; 14 + 10 + 7;
    # 20 + 17 + 14 + 10; …
    assert rows_for(seats) == rows
    assert hemicycle(seats).rows == rows


def test_the_oas_hemicycle() -> None:
    chamber = hemicycle(34)
    assert chamber.spacing == pytest.approx(1 / 7)
    assert radii(4) == pytest.approx([13 / 14, 11 / 14, 9 / 14, 7 / 14])
    assert capacities(4) == [20, 17, 14, 10]
    per_row = [sum(1 for s in chamber.seats if s.row == row) for row in range(4)]
    # Shared in proportion to the capacities: 34 * c / 61, largest remainders.
    assert per_row == [11, 9, 8, 6]


def test_seats_of_a_row_are_evenly_spaced_on_its_arc() -> None:
    chamber = hemicycle(34)
    for row in range(chamber.rows):
        angles = sorted(s.angle for s in chamber.seats if s.row == row)
        steps = [b - a for a, b in itertools.pairwise(angles)]
        assert max(steps) - min(steps) < 1e-9
        radius = radii(chamber.rows)[row]
        for seat in (s for s in chamber.seats if s.row == row):
            assert math.hypot(seat.x, seat.y) == pytest.approx(radius)


def test_too_many_seats_for_the_rows_asked_for_is_refused() -> None:
    with pytest.raises(ValueError, match="2 rows hold at most 11 seats, not 12"):
        hemicycle(12, rows=2)


def test_a_row_count_can_be_asked_for() -> None:
    chamber = hemicycle(20, rows=5)
    assert chamber.rows == 5
    assert {s.row for s in chamber.seats} == {0, 1, 2, 3, 4}


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
        assert INNER - 1e-9 <= radius <= 1 - chamber.spacing / 2 + 1e-9
        assert seat.y >= -1e-9
        assert 0 <= seat.row < chamber.rows
    angles = [round(seat.angle, 9) for seat in chamber.seats]  # seats on one ray: outer first
    assert angles == sorted(angles, reverse=True)  # consecutive seats form wedges


@given(st.integers(min_value=2, max_value=120))
def test_seats_do_not_crowd_each_other(seats: int) -> None:
    chamber = hemicycle(seats)
    assert _min_distance(chamber) >= 0.99 * chamber.spacing
