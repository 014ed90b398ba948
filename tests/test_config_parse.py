"""kam.toml parsed through kam.config.parse: the same tables as tomllib, from the cache
when the same text was parsed before (issue 15: no tomllib import at start-up), a bad
file refused every time, dates never kept."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kam import config
from kam.errors import InputError

TEXT = """backend = "sqlite"
name = "测试"
ratio = 1.5
big = 123456789012345678901234567890
on = true

[plugins]
required = ["acme"]

[rules]
margin_floor = 10
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("KAM_SETTINGS_CACHE", raising=False)
    return tmp_path / "cache" / "kam" / "toml-1.marshal"


def test_a_second_parse_comes_from_the_cache(cache: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    first = config.parse(TEXT)
    assert first == tomllib.loads(TEXT) and cache.exists()
    monkeypatch.setattr(tomllib, "loads", None)  # a hit does not parse
    second = config.parse(TEXT)
    assert second == first and second is not first
    assert list(second) == list(first)  # key order kept
    second["rules"]["margin_floor"] = 99  # the caller's own copy
    assert config.parse(TEXT)["rules"]["margin_floor"] == 10


def test_changed_text_is_parsed_again(cache: Path) -> None:
    assert config.parse(TEXT)["rules"]["margin_floor"] == 10
    changed = TEXT.replace("margin_floor = 10", "margin_floor = 12")
    assert config.parse(changed)["rules"]["margin_floor"] == 12
    assert config.parse(TEXT)["rules"]["margin_floor"] == 10


def test_bad_toml_is_refused_every_time(cache: Path, tmp_path: Path) -> None:
    (tmp_path / "kam.toml").write_text("backend = \n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError) as err:
            config.load(tmp_path)
        try:
            tomllib.loads("backend = \n")
        except tomllib.TOMLDecodeError as exc:
            assert str(err.value) == f"{tmp_path / 'kam.toml'}: {exc}"


def test_dates_are_never_kept(cache: Path) -> None:
    text = "since = 2026-01-01\n"
    assert config.parse(text) == tomllib.loads(text)
    assert not cache.exists()


def test_switched_off_and_unreadable_cache(cache: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_SETTINGS_CACHE", "0")
    assert config.parse(TEXT) == tomllib.loads(TEXT)
    assert not cache.exists()
    monkeypatch.delenv("KAM_SETTINGS_CACHE")
    os.makedirs(cache.parent)
    cache.write_bytes(b"not marshal")
    assert config.parse(TEXT) == tomllib.loads(TEXT)
    assert config.parse(TEXT) == tomllib.loads(TEXT)


_VALUES = st.recursive(
    st.one_of(st.text(st.characters(min_codepoint=32, blacklist_categories=('Cs', 'Cc')),
                      max_size=5), st.integers(), st.booleans(),
              st.floats(allow_nan=False)),
    lambda inner: st.lists(inner, max_size=3), max_leaves=6)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,6}", fullmatch=True), _VALUES,
                       max_size=4))
def test_parsed_twice_equals_tomllib(table: dict[str, object]) -> None:
    text = config.dumps({"t": table})
    expected = tomllib.loads(text)
    assert config.parse(text) == expected
    assert config.parse(text) == expected
