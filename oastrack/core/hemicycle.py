"""The geometry of a hemicycle: where each of n seats sits, in rows of concentric half-circles.

Pure arithmetic, no drawing. It is drawn as parliament diagrams are (the geometry of the
`parliamentarch` package, re-derived here): with `rows` rows, a row is `t = 1 / (4 rows - 2)`
thick, so that the rows and the well in the middle (of radius 1/2) fill the half-disc of radius
1 exactly; row centres lie on arcs of radius 1/2, 1/2 + 2t, … 1 - t. A row of radius r holds at
most floor(π r / 2t) seats of diameter 2t; the seats of the chamber are shared among the rows in
proportion to those capacities, and spread evenly along each arc, the end seats resting on the
floor line. Seats are numbered by angle, left to right, so that consecutive seats form wedges:
colour seats 0..k one way and they read as one block.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The radius of the innermost row (the well of the chamber), as a share of the outer radius.
INNER = 0.5


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
    """The seats, numbered left to right, and the spacing between neighbouring row centres,
    which is also the diameter of a seat that touches its neighbours (draw each seat with a
    radius a little under half of it)."""

    seats: tuple[Seat, ...]
    rows: int
    spacing: float


def thickness(rows: int) -> float:
    """Half the distance between neighbouring row centres: the rows and the well fill the
    half-disc, 4 rows - 2 such halves from one end of the floor line to the other."""
    return 1 / (4 * rows - 2)


def radii(rows: int) -> list[float]:
    """The radius of each row's arc of seat centres, outer row first."""
    half = thickness(rows)
    return [1 - half - 2 * half * row for row in range(rows)]


def capacities(rows: int) -> list[int]:
    """The most seats each row holds, outer row first."""
    half = thickness(rows)
    return [math.floor(math.pi * radius / (2 * half)) for radius in radii(rows)]


def rows_for(seats: int) -> int:
    """The fewest rows that hold `seats` seats (at least 1)."""
    rows = 1
    while sum(capacities(rows)) < seats:
        rows += 1
    return rows


def _share(seats: int, weights: list[int]) -> list[int]:
    """Seats per row in proportion to the weights (largest remainders, outer rows first on
    ties), summing to `seats`."""
    total = sum(weights)
    exact = [seats * weight / total for weight in weights]
    shares = [math.floor(value) for value in exact]
    left = seats - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda row: (-(exact[row] - shares[row]), row))
    for row in by_remainder[:left]:
        shares[row] += 1
    return shares


def hemicycle(seats: int, rows: int | None = None) -> Hemicycle:
    """Seat positions for `seats` seats in `rows` rows (default: the fewest that fit; more rows
    make a sparser diagram).

    Raises ValueError for a negative number of seats, fewer than one row, or more seats than
    the rows hold.
    """
    if seats < 0:
        raise ValueError(f"the number of seats cannot be negative, not {seats}")
    if rows is None:
        rows = rows_for(seats)
    if rows < 1:
        raise ValueError(f"a hemicycle needs at least one row, not {rows}")
    if sum(capacities(rows)) < seats:
        raise ValueError(f"{rows} rows hold at most {sum(capacities(rows))} seats, not {seats}")
    half = thickness(rows)
    placed: list[Seat] = []
    shares = _share(seats, capacities(rows))
    for row, (radius, count) in enumerate(zip(radii(rows), shares, strict=True)):
        # The end seats stand on the floor line: their centres are one half-thickness above it.
        margin = math.asin(min(1.0, half / radius))
        for index in range(count):
            if count == 1:
                angle = math.pi / 2
            else:
                angle = math.pi - margin - index * (math.pi - 2 * margin) / (count - 1)
            placed.append(Seat(radius * math.cos(angle), radius * math.sin(angle), row, angle))
    # Left to right; on one ray, outer seats first.
    placed.sort(key=lambda seat: (-round(seat.angle, 9), seat.row))
    return Hemicycle(tuple(placed), rows, 2 * half)


def threshold_seat(seats: int, required: int) -> int | None:
    """The seat at which the text would pass, counting seats left to right from the first:
    the `required`-th seat (index required - 1), or None when no number of seats is enough."""
    if required < 1 or required > seats:
        return None
    return required - 1
