"""Reading an import's input before its write transaction begins.

An import that waited for its input inside the transaction would hold the write lock for as
long as a FIFO, a terminal or a slow pipe took, and lock every other analyst out. The items read
are kept in memory in batches and pickled to a private temporary file beyond the first, so that
memory stays flat whatever the size; the transaction then reads them back, as often as it runs.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from oastrack.io.readers import ReadError


class Spool:
    """The items of an input, read once and replayed; a ReadError is replayed at its place."""

    BATCH = 5000

    def __init__(self) -> None:
        self.columns: list[str] | None = None
        self.rows = 0
        self._file: IO[bytes] | None = None
        self._spilled = 0
        self._tail: list[Any] = []
        self._error: ReadError | None = None

    def fill(self, items: Iterable[Any], progress: Callable[[int], None] | None = None) -> None:
        """Read every item (a ReadError ends the input, and is kept)."""
        batch: list[Any] = []
        try:
            for item in items:
                batch.append(item)
                if len(batch) >= self.BATCH:
                    self._spill(batch)
                    batch = []
                    if progress is not None:
                        progress(self.rows)
        except ReadError as error:
            self._error = error
        self.rows += len(batch)
        self._tail = batch
        self.columns = getattr(items, "columns", None)
        if progress is not None:
            progress(self.rows)

    def _spill(self, batch: list[Any]) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="oastrack-import-")  # noqa: SIM115 -- closed by close()
        pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._spilled += 1
        self.rows += len(batch)

    def __iter__(self) -> Iterator[Any]:
        if self._file is not None:
            self._file.seek(0)
            for _ in range(self._spilled):
                yield from pickle.load(self._file)  # our own file, written just now
        yield from self._tail
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class Replay:
    """A spool read as `Records` are: an iterator with the CSV header in `columns`."""

    def __init__(self, spool: Spool) -> None:
        self.columns = spool.columns
        self._items = iter(spool)

    def __iter__(self) -> Iterator[Any]:
        return self._items

    def __next__(self) -> Any:
        return next(self._items)
