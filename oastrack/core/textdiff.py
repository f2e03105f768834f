"""What changed between two versions of a text, word by word.

Each text is cut into words, each word keeping the blank space before it. Words are compared
by their letters only (difflib over the word sequence, without its junk heuristic, which drops
common words from long texts); the chunks carry the words with their spacing, so that:

- the `equal` and `insert` chunks, joined, give the new text exactly;
- the `equal` and `delete` chunks, joined, give the old text up to blank space: a change of
  spacing or line breaks alone is not a change of wording and is not reported;
- all the chunks, joined, read as both texts interleaved, word apart from word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

_WORD = re.compile(r"\s*\S+")


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


def diff_words(old: str, new: str) -> list[Chunk]:
    """The word-by-word changes from `old` to `new`, as equal/delete/insert chunks in reading
    order (a replacement is a deletion followed by an insertion). Adjacent chunks of the same
    kind are merged; no chunk is empty."""
    old_words, _ = words(old)
    new_words, new_tail = words(new)
    matcher = SequenceMatcher(
        None, [w.strip() for w in old_words], [w.strip() for w in new_words], autojunk=False
    )
    chunks: list[Chunk] = []

    def add(op: Op, text: str) -> None:
        if not text:
            return
        if chunks and chunks[-1].op is op:
            chunks[-1] = Chunk(op, chunks[-1].text + text)
        else:
            chunks.append(Chunk(op, text))

    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
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


def changed(chunks: list[Chunk]) -> tuple[int, int]:
    """The number of words deleted and inserted."""
    deleted = sum(len(_WORD.findall(c.text)) for c in chunks if c.op is Op.DELETE)
    inserted = sum(len(_WORD.findall(c.text)) for c in chunks if c.op is Op.INSERT)
    return deleted, inserted
