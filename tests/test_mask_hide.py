"""`mask.hide`: every secret the run remembered, in every form files write it in, replaced
by its masked preview; longest form first; the work grows with the text, not with the
secrets."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from axogen.runcontext import Run
from axogen.secrets.mask import MIN_HIDDEN, Masker, hide, hide_head, mask, remember


def regex_hide(text: str, forms: set[str]) -> str:
    """What `hide` did before: one regex of every form, longest first (the reference)."""
    if not forms or not text:
        return text
    pattern = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))
    return pattern.sub(lambda m: mask(m.group()), text)


# a small alphabet, so that secrets overlap, nest, share prefixes and repeat in the text
ALPHABET = 'ab:="&\n é'
secrets = st.lists(st.text(ALPHABET, min_size=1, max_size=12), max_size=6)


@st.composite
def texts_with(draw: st.DrawFn) -> tuple[list[str], str]:
    values = draw(secrets)
    pieces = draw(
        st.lists(st.one_of(st.text(ALPHABET, max_size=6), st.sampled_from(values or ["x"]))),
    )
    return values, "".join(pieces)


@given(texts_with())
def test_hide_replaces_exactly_what_a_regex_of_every_form_would(
    case: tuple[list[str], str],
) -> None:
    values, text = case
    masker = Masker(values)
    forms = set(masker.forms)
    assert all(len(f) >= MIN_HIDDEN for f in forms)

    assert masker.hide(text) == regex_hide(text, forms)
    # asked again (the index built) and after one more secret (the index kept up to date)
    assert masker.hide(text) == regex_hide(text, forms)
    masker.add("ab:=ab")
    assert masker.hide(text) == regex_hide(text, set(masker.forms))


def test_longest_form_wins_and_the_scan_goes_on_after_it() -> None:
    with Run():
        remember("abcd")
        remember("abcdefgh")
        remember("efghijkl")

        # at 1, the longest form starting there (abcdefgh) wins; efghijkl overlaps it and
        # is not masked; the next abcd is
        assert hide("xabcdefghijkl abcd") == "x…(8 chars)ijkl …(4 chars)"


def test_more_secrets_than_characters_in_the_line() -> None:
    with Run():
        for i in range(50):
            remember(f"secret-{i:03d}")
        assert hide("x secret-007 y") == "x …(10 chars) y"
        assert hide("sec") == "sec"
        assert hide("secret-04") == "secret-04"


def test_a_huge_secret_is_hidden_in_text_holding_it_and_absent_from_the_rest() -> None:
    # 5 MB: a regex of it took seconds to compile; now it is indexed by its first characters
    big = ("Qx9z" + "aB3d" * 1_250_000)[:5_000_000]
    with Run():
        remember(big)
        remember("hunter2-pw")
        line = f"value {big} and hunter2-pw"

        assert hide(line) == "value …(5000000 chars) and …(10 chars)"
        assert hide("created   t.json (t)") == "created   t.json (t)"
        assert hide(big[:-1]) == big[:-1]  # a part of a secret is not the secret


def stream_hide(pieces: list[str]) -> str:
    """What a stream shows when `pieces` are written one by one: each through `hide_head`,
    the held rest in front of the next piece, the last rest through `hide`."""
    shown, held = [], ""
    for piece in pieces:
        head, held = hide_head(held + piece)
        shown.append(head)
    shown.append(hide(held))
    return "".join(shown)


@given(texts_with(), st.data())
def test_text_written_in_pieces_is_masked_as_if_written_at_once(
    case: tuple[list[str], str], data: st.DataObject
) -> None:
    values, text = case
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=8)))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    with Run():
        for value in values:
            remember(value)

        assert stream_hide(pieces) == hide(text)


def test_a_secret_split_across_writes_is_held_until_it_is_decided() -> None:
    with Run():
        remember("hunter2-Qx9zLm4")
        remember("hunt")

        assert hide_head("password: hun") == ("password: ", "hun")
        # "hunt" is complete, but the longer secret may still follow: held
        assert hide_head("password: hunter2-Q") == ("password: ", "hunter2-Q")
        assert hide_head("password: hunter2-Qx9zLm4 ok") == ("password: …(15 chars) ok", "")
        assert hide_head("hunt and") == ("…(4 chars) and", "")
        assert hide_head("nothing here") == ("nothing here", "")


def test_each_run_hides_its_own_secrets_and_a_thread_sees_the_open_run() -> None:
    import threading

    with Run() as first:
        remember("hunter2-first")
        assert hide("hunter2-first") == "…(13 chars)"
        with Run():  # a run inside another starts empty
            assert hide("hunter2-first") == "hunter2-first"
            remember("hunter2-second")
        assert hide("hunter2-second") == "hunter2-second"
        # a thread started without the context masks with the innermost open run
        seen: list[str] = []
        worker = threading.Thread(target=lambda: seen.append(hide("x hunter2-first")))
        worker.start()
        worker.join()
        assert seen == ["x …(13 chars)"]
        assert first.masker.hide("hunter2-first") == "…(13 chars)"
    assert hide("hunter2-first") == "hunter2-first"  # the run is over: nothing of it is kept
