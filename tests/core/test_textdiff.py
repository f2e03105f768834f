"""The word diff: chunks that rebuild the new text exactly and the old one word for word."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from oastrack.core.textdiff import Chunk, Op, changed, diff_words, words


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
