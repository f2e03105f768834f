"""What changed between two versions of a text, word by word.

Each text is cut into words, each word keeping the blank space before it. Words are compared
by their letters only (difflib over the word sequence, without its junk heuristic, which drops
common words from long texts); the chunks carry the words with their spacing, so that:

- the `equal` and `insert` chunks, joined, give the new text exactly;
- the `equal` and `delete` chunks, joined, give the old text up to blank space: a change of
  spacing or line breaks alone is not a change of wording and is not reported;
- all the chunks, joined, read as both texts interleaved, word apart from word.

difflib compares every word with every other: 40,000 words took a minute. A long text is
therefore compared in steps, as `diff` does with lines: first line by line (a line is its
words, whatever the spacing), then, inside the lines that changed, sentence by sentence, and
only then word by word. A comparison small enough to be quick (PLAIN_LIMIT word pairs) is made
word by word at once, so a short text gets exactly the plain word diff.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from functools import cache

_WORD = re.compile(r"\s*\S+")
_SENTENCE_END = (".", "!", "?", ";", ":")

# Word pairs compared at once: a block of old and new words whose sizes multiply to at most this
# is diffed word by word (about 30 ms); a bigger one is cut into lines, then sentences, first.
PLAIN_LIMIT = 250_000
# Word pairs compared in all, for one diff: once they are spent, a block still to compare (in a
# text rewritten from end to end) is shown as deleted and inserted whole. About a second.
PAIR_BUDGET = 10_000_000

Opcode = tuple[str, int, int, int, int]


class Op(StrEnum):
    EQUAL = "equal"
    DELETE = "delete"
    INSERT = "insert"


@dataclass(frozen=True)
class Chunk:
    op: Op
    text: str


def words(text: str) -> tuple[list[str], str]:
    """The words of a text, each with the blank space before it, and the blank space after the
    last word."""
    found = _WORD.findall(text)
    used = sum(len(word) for word in found)
    return found, text[used:]


def diff_words(old: str, new: str, *, plain_limit: int = PLAIN_LIMIT) -> list[Chunk]:
    """The word-by-word changes from `old` to `new`, as equal/delete/insert chunks in reading
    order (a replacement is a deletion followed by an insertion). Adjacent chunks of the same
    kind are merged; no chunk is empty."""
    old_words, _ = words(old)
    new_words, new_tail = words(new)
    opcodes = word_opcodes(old_words, new_words, plain_limit=plain_limit)
    chunks: list[Chunk] = []

    def add(op: Op, text: str) -> None:
        if not text:
            return
        if chunks and chunks[-1].op is op:
            chunks[-1] = Chunk(op, chunks[-1].text + text)
        else:
            chunks.append(Chunk(op, text))

    for tag, old_start, old_end, new_start, new_end in opcodes:
        if tag == "equal":
            add(Op.EQUAL, "".join(new_words[new_start:new_end]))
            continue
        if tag in ("delete", "replace"):
            add(Op.DELETE, "".join(old_words[old_start:old_end]))
        if tag in ("insert", "replace"):
            add(Op.INSERT, "".join(new_words[new_start:new_end]))
    add(Op.EQUAL, new_tail)
    # Words deleted from the very start are followed by the new text's first word, which has
    # no space before it: keep the two apart.
    for index, chunk in enumerate(chunks[:-1]):
        following = chunks[index + 1].text
        if chunk.op is Op.DELETE and not chunk.text[-1].isspace() and not following[0].isspace():
            chunks[index] = Chunk(Op.DELETE, chunk.text + " ")
    return chunks


def word_opcodes(
    old_words: list[str], new_words: list[str], *, plain_limit: int = PLAIN_LIMIT
) -> list[Opcode]:
    """difflib's opcodes over two lists of words (each with its leading blank space), made in
    steps when the lists are long: lines first, then sentences, then words."""
    old_keys = [w.strip() for w in old_words]
    new_keys = [w.strip() for w in new_words]
    # Each cut is made once, and only when a block is too big to compare word by word.
    cuts = (
        cache(lambda: (_line_starts(old_words), _line_starts(new_words))),
        cache(lambda: (_sentence_starts(old_keys), _sentence_starts(new_keys))),
    )
    found: list[Opcode] = []
    budget = [PAIR_BUDGET]
    block = (0, len(old_keys), 0, len(new_keys))
    _compare(old_keys, new_keys, block, cuts, plain_limit, budget, found)
    return found


def _line_starts(found: list[str]) -> set[int]:
    """The words that begin a line: the first, and each with a line break before it (a word's
    only blank space is the one before it)."""
    return {0} | {i for i, word in enumerate(found) if "\n" in word}


def _sentence_starts(keys: list[str]) -> set[int]:
    return {0} | {i + 1 for i, key in enumerate(keys) if key.endswith(_SENTENCE_END)}


Cuts = tuple[Callable[[], tuple[set[int], set[int]]], ...]


def _compare(
    old: list[str],
    new: list[str],
    block: tuple[int, int, int, int],
    cuts: Cuts,
    plain_limit: int,
    budget: list[int],
    out: list[Opcode],
) -> None:
    """Append the opcodes of one block (old[i1:i2] against new[j1:j2]) to `out`."""
    i1, i2, j1, j2 = block
    size = (i2 - i1) * (j2 - j1)
    if size == 0 or ((size <= plain_limit or not cuts) and size <= budget[0]):
        budget[0] -= size
        _plain(old, new, block, out)
        return
    if not cuts:
        out.append(("replace", i1, i2, j1, j2))
        return
    # The words both versions start and end with are the same whatever the cut (a few
    # amendments in a long text leave most of it there): set them aside first.
    head = 0
    while i1 + head < i2 and j1 + head < j2 and old[i1 + head] == new[j1 + head]:
        head += 1
    tail = 0
    while (
        i2 - tail > i1 + head and j2 - tail > j1 + head and old[i2 - tail - 1] == new[j2 - tail - 1]
    ):
        tail += 1
    if head or tail:
        if head:
            out.append(("equal", i1, i1 + head, j1, j1 + head))
        inner = (i1 + head, i2 - tail, j1 + head, j2 - tail)
        _compare(old, new, inner, cuts, plain_limit, budget, out)
        if tail:
            out.append(("equal", i2 - tail, i2, j2 - tail, j2))
        return
    (old_starts, new_starts), rest = cuts[0](), cuts[1:]
    old_pieces = _pieces(old, i1, i2, old_starts)
    new_pieces = _pieces(new, j1, j2, new_starts)
    # Pieces of a word or two (a list, one item a line) would be the word diff again, unbounded.
    few = len(old_pieces) == 1 and len(new_pieces) == 1
    if few or len(old_pieces) + len(new_pieces) > (i2 - i1 + j2 - j1) / 2:
        _compare(old, new, block, rest, plain_limit, budget, out)
        return
    matcher = SequenceMatcher(
        None, [key for key, _ in old_pieces], [key for key, _ in new_pieces], autojunk=False
    )
    old_at = [start for _, start in old_pieces] + [i2]
    new_at = [start for _, start in new_pieces] + [j2]
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        inner = (old_at[a1], old_at[a2], new_at[b1], new_at[b2])
        if tag == "equal":
            out.append(("equal", *inner))
        else:
            _compare(old, new, inner, rest, plain_limit, budget, out)


def _pieces(keys: list[str], start: int, end: int, starts: set[int]) -> list[tuple[str, int]]:
    """The block keys[start:end] cut where a piece starts: each piece's words (its key, so that
    spacing does not count) and its first index."""
    bounds = [start] + [i for i in range(start + 1, end) if i in starts] + [end]
    return [(" ".join(keys[a:b]), a) for a, b in itertools.pairwise(bounds)]


def _plain(
    old: list[str], new: list[str], block: tuple[int, int, int, int], out: list[Opcode]
) -> None:
    i1, i2, j1, j2 = block
    if i1 == i2 and j1 == j2:
        return
    matcher = SequenceMatcher(None, old[i1:i2], new[j1:j2], autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        out.append((tag, i1 + a1, i1 + a2, j1 + b1, j1 + b2))


def changed(chunks: list[Chunk]) -> tuple[int, int]:
    """The number of words deleted and inserted."""
    deleted = sum(len(_WORD.findall(c.text)) for c in chunks if c.op is Op.DELETE)
    inserted = sum(len(_WORD.findall(c.text)) for c in chunks if c.op is Op.INSERT)
    return deleted, inserted
