"""The word diff: chunks that rebuild the new text exactly and the old one word for word."""

from __future__ import annotations

import random
import time
from difflib import SequenceMatcher
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from oastrack.core.textdiff import Chunk, Op, changed, diff_words, word_opcodes, words


def test_a_replaced_and_an_added_word() -> None:
    chunks = diff_words("The quick brown fox.", "The slow brown fox jumps.")
    assert chunks == [
        Chunk(Op.EQUAL, "The"),
        Chunk(Op.DELETE, " quick"),
        Chunk(Op.INSERT, " slow"),
        Chunk(Op.EQUAL, " brown"),
        Chunk(Op.DELETE, " fox."),
        Chunk(Op.INSERT, " fox jumps."),
    ]
    assert changed(chunks) == (2, 3)


def test_the_same_text_is_one_equal_chunk() -> None:
    text = "Calls upon all member states\nto respect the Charter.\n"
    assert diff_words(text, text) == [Chunk(Op.EQUAL, text)]


def test_a_change_of_spacing_alone_is_not_a_change() -> None:
    chunks = diff_words("one  two\nthree", "one two three")
    assert [c.op for c in chunks] == [Op.EQUAL]
    assert chunks[0].text == "one two three"


def test_from_and_to_nothing() -> None:
    assert diff_words("", "") == []
    assert diff_words("", "new words") == [Chunk(Op.INSERT, "new words")]
    assert diff_words("old words", "") == [Chunk(Op.DELETE, "old words")]


def test_common_words_in_a_long_text_still_match() -> None:
    # difflib's junk heuristic would treat "the", frequent in a long text, as noise.
    old = " ".join(["the resolution"] * 150 + ["ends"])
    new = " ".join(["the resolution"] * 150 + ["finishes"])
    assert changed(diff_words(old, new)) == (1, 1)


def test_words_keep_the_space_before_them() -> None:
    assert words("  a b\n c ") == (["  a", " b", "\n c"], " ")


texts = st.lists(
    st.sampled_from(["the", "member", "states", "shall", "not", "\n", " ", "  ", "vote."]),
    max_size=30,
).map(lambda parts: " ".join(parts))


@given(texts, texts)
def test_chunks_rebuild_both_versions(old: str, new: str) -> None:
    chunks = diff_words(old, new)
    assert all(chunk.text for chunk in chunks)
    assert all(a.op is not b.op for a, b in pairwise(chunks))
    assert "".join(c.text for c in chunks if c.op is not Op.DELETE) == new
    rebuilt_old = "".join(c.text for c in chunks if c.op is not Op.INSERT)
    assert rebuilt_old.split() == old.split()
    # Shown together (deletions struck), no two words run into each other.
    shown = "".join(c.text for c in chunks)
    assert len(shown.split()) == len(old.split()) + changed(chunks)[1]


def test_words_deleted_at_the_start_stay_apart() -> None:
    assert diff_words("the member", "member") == [
        Chunk(Op.DELETE, "the "),
        Chunk(Op.EQUAL, "member"),
    ]
    assert diff_words("old start", "new start") == [
        Chunk(Op.DELETE, "old "),
        Chunk(Op.INSERT, "new"),
        Chunk(Op.EQUAL, " start"),
    ]


# -- long texts: lines first, then sentences, then words -----------------------------------------


def plain_word_diff(old: str, new: str) -> list[Chunk]:
    """The reference: difflib over every word of both texts at once, as the diff was made before
    it learnt to cut long texts into lines."""
    old_words, _ = words(old)
    new_words, new_tail = words(new)
    matcher = SequenceMatcher(
        None, [w.strip() for w in old_words], [w.strip() for w in new_words], autojunk=False
    )
    chunks: list[Chunk] = []

    def add(op: Op, text: str) -> None:
        if text and chunks and chunks[-1].op is op:
            chunks[-1] = Chunk(op, chunks[-1].text + text)
        elif text:
            chunks.append(Chunk(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(Op.EQUAL, "".join(new_words[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            add(Op.DELETE, "".join(old_words[i1:i2]))
        if tag in ("insert", "replace"):
            add(Op.INSERT, "".join(new_words[j1:j2]))
    add(Op.EQUAL, new_tail)
    for index, chunk in enumerate(chunks[:-1]):
        following = chunks[index + 1].text
        if chunk.op is Op.DELETE and not chunk.text[-1].isspace() and not following[0].isspace():
            chunks[index] = Chunk(Op.DELETE, chunk.text + " ")
    return chunks


@given(texts, texts)
def test_a_short_text_gets_exactly_the_plain_word_diff(old: str, new: str) -> None:
    assert diff_words(old, new) == plain_word_diff(old, new)


@given(texts, texts)
def test_the_diff_in_steps_rebuilds_both_versions(old: str, new: str) -> None:
    # plain_limit=0: even a short text is cut into lines and sentences first.
    chunks = diff_words(old, new, plain_limit=0)
    assert all(chunk.text for chunk in chunks)
    assert all(a.op is not b.op for a, b in pairwise(chunks))
    assert "".join(c.text for c in chunks if c.op is not Op.DELETE) == new
    assert "".join(c.text for c in chunks if c.op is not Op.INSERT).split() == old.split()
    for tag, i1, i2, j1, j2 in word_opcodes(words(old)[0], words(new)[0], plain_limit=0):
        if tag == "equal":
            assert old.split()[i1:i2] == new.split()[j1:j2]


@st.composite
def edited_text(draw: st.DrawFn) -> tuple[str, str]:
    """A text of distinct words in lines (some ending sentences), and an edit of it: words
    replaced, inserted and deleted inside lines, lines deleted and inserted."""
    sizes = draw(st.lists(st.integers(1, 6), min_size=1, max_size=6))
    lines = [
        [f"w{n}x{k}" + draw(st.sampled_from(["", "", "."])) for k in range(size)]
        for n, size in enumerate(sizes)
    ]
    edited = [list(line) for line in lines]
    for _ in range(draw(st.integers(0, 5))):
        if not edited:
            edited.append(["fresh"])
            continue
        at = draw(st.integers(0, len(edited) - 1))
        line = edited[at]
        action = draw(st.sampled_from(["replace", "insert", "delete", "drop", "add"]))
        if action == "replace" and line:
            line[draw(st.integers(0, len(line) - 1))] = "new"
        elif action == "insert":
            line.insert(draw(st.integers(0, len(line))), "added")
        elif action == "delete" and line:
            del line[draw(st.integers(0, len(line) - 1))]
        elif action == "drop":
            del edited[at]
        elif action == "add":
            edited.insert(
                at, [f"n{draw(st.integers(0, 9))}" for _ in range(draw(st.integers(1, 4)))]
            )
    return "\n".join(" ".join(line) for line in lines), "\n".join(" ".join(line) for line in edited)


@given(edited_text())
def test_the_diff_in_steps_is_the_plain_word_diff_of_an_edited_text(pair: tuple[str, str]) -> None:
    old, new = pair
    assert diff_words(old, new, plain_limit=0) == plain_word_diff(old, new)


def _long_text(paragraphs: int) -> str:
    rng = random.Random(11)
    common = ["the", "of", "and", "to", "member", "states", "Council", "resolution"]
    vocabulary = [f"w{i}" for i in range(800)] + common * 40
    found = []
    for _ in range(paragraphs):
        lines = []
        for _ in range(rng.randint(3, 8)):
            line = [rng.choice(vocabulary) for _ in range(rng.randint(6, 14))]
            lines.append(" ".join(line) + rng.choice(["", "."]))
        found.append("\n".join(lines))
    return "\n\n".join(found)


def test_40000_words_with_a_few_changes() -> None:
    old = _long_text(750)
    assert len(old.split()) > 40_000
    spoken = old.split(" ")
    for at in (100, 15_000, 30_000):
        at = next(i for i in range(at, len(spoken)) if "\n" not in spoken[i])
        spoken[at] = "amended"
    new = " ".join(spoken)
    started = time.perf_counter()
    chunks = diff_words(old, new)
    # The plain word diff took a minute; this is well under a second on a quiet machine, and
    # the bound leaves room for a busy one.
    assert time.perf_counter() - started < 10
    assert changed(chunks) == (3, 3)
    assert [c.text.strip() for c in chunks if c.op is Op.INSERT] == ["amended"] * 3
    assert "".join(c.text for c in chunks if c.op is not Op.DELETE) == new


def test_two_unrelated_long_texts_are_a_deletion_and_an_insertion() -> None:
    old, new = _long_text(750), _long_text(750).replace("w", "v")
    started = time.perf_counter()
    chunks = diff_words(old.replace("\n", " "), new.replace("\n", " "))
    assert time.perf_counter() - started < 10
    assert "".join(c.text for c in chunks if c.op is not Op.DELETE) == new.replace("\n", " ")
