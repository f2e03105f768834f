"""The geometry of a hemicycle: where each of n seats sits, in rows of concentric half-circles.

Pure arithmetic, no drawing. The outer row has radius 1 and the rows step inwards by the
spacing between neighbouring seats, down to an inner radius of `INNER` (the well of the
chamber). Seats are shared among the rows in proportion to each row's length, then numbered by
angle, left to right, so that consecutive seats form wedges: colour seats 0..k one way and they
read as one block, as in a parliament diagram.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The radius of the innermost row, as a share of the outer radius.
INNER = 0.4


@dataclass(frozen=True)
class Seat:
    """One seat: its centre (x right, y up; the hemicycle spans x -1..1, y 0..1) and its row
    (0 is the outer row)."""

    x: float
    y: float
    row: int
    angle: float  # radians, pi on the left to 0 on the right


@dataclass(frozen=True)
class Hemicycle:
    """The seats, numbered left to right, and the spacing between neighbouring seat centres
    (draw each seat with a radius a little under half of it)."""

    seats: tuple[Seat, ...]
    rows: int
    spacing: float


def _spacing(rows: int) -> float:
    """The distance between neighbouring rows, and the least between neighbouring seats."""
    return 1 - INNER if rows == 1 else (1 - INNER) / (rows - 1)


def _radii(rows: int, spacing: float) -> list[float]:
    return [1 - row * spacing for row in range(rows)]


def _capacity(rows: int) -> int:
    """How many seats `rows` rows hold with neighbours at least one spacing apart."""
    spacing = _spacing(rows)
    return sum(math.floor(math.pi * radius / spacing) + 1 for radius in _radii(rows, spacing))


def rows_for(seats: int) -> int:
    """The fewest rows that hold `seats` seats without crowding (at least 1)."""
    rows = 1
    while _capacity(rows) < seats:
        rows += 1
    return rows


def _share(seats: int, radii: list[float]) -> list[int]:
    """Seats per row in proportion to each row's length (largest remainders, outer rows first
    on ties), summing to `seats`."""
    total = sum(radii)
    exact = [seats * radius / total for radius in radii]
    shares = [math.floor(value) for value in exact]
    left = seats - sum(shares)
    by_remainder = sorted(range(len(radii)), key=lambda row: (-(exact[row] - shares[row]), row))
    for row in by_remainder[:left]:
        shares[row] += 1
    return shares


def hemicycle(seats: int, rows: int | None = None) -> Hemicycle:
    """Seat positions for `seats` seats in `rows` rows (default: the fewest that fit).

    Raises ValueError for a negative number of seats or fewer than one row.
    """
    if seats < 0:
        raise ValueError(f"the number of seats cannot be negative, not {seats}")
    if rows is None:
        rows = rows_for(seats)
    if rows < 1:
        raise ValueError(f"a hemicycle needs at least one row, not {rows}")
    spacing = _spacing(rows)
    radii = _radii(rows, spacing)
    placed: list[Seat] = []
    for row, (radius, count) in enumerate(zip(radii, _share(seats, radii), strict=True)):
        for index in range(count):
            angle = math.pi / 2 if count == 1 else math.pi * (1 - index / (count - 1))
            placed.append(Seat(radius * math.cos(angle), radius * math.sin(angle), row, angle))
    # Left to right; on one ray, outer seats first.
    placed.sort(key=lambda seat: (-round(seat.angle, 9), seat.row))
    return Hemicycle(tuple(placed), rows, spacing)
