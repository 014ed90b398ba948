"""A plugin's validated settings are served from kam.plugin_settings' cache while
nothing they came from has changed, and equal what validating them gives: same values,
a changed table or plugin validates again, a bad table is refused every time, and a
schema that runs code of its own is never cached."""

from __future__ import annotations

import os
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from kam import plugin_settings
from kam.errors import InputError
from kam.plugin_manager import Plugins
from pydantic import BaseModel, Field, field_validator

PLUGIN = '''
from decimal import Decimal
from kam.api import hookimpl

@hookimpl
def kam_register_config(register):
    with open({calls!r}, "a") as fh:
        fh.write("x")
    from pydantic import BaseModel, Field

    class Settings(BaseModel):
        margin_floor: Decimal = Field(Decimal("{floor}"), ge=0, le=100)
        regions: list[str] = ["east"]
        note: str | None = None

    register("company", Settings)
'''


def _plugin(tmp_path: Path, floor: str = "15") -> tuple[Path, Path]:
    folder, calls = tmp_path / "plugins", tmp_path / "calls.txt"
    folder.mkdir(exist_ok=True)
    (folder / "company.py").write_text(
        textwrap.dedent(PLUGIN).format(calls=str(calls), floor=floor), encoding="utf-8")
    return folder, calls


def _settings(folder: Path, config: dict[str, Any]) -> dict[str, Any]:
    """The company settings as a fresh process sees them."""
    pm = Plugins(entry_points=False, plugins_dir=str(folder))
    pm.apply_config(config, folder)
    assert pm.settings_names() == ["company"]
    return pm.settings("company", dict(config.get("company") or {}))


def _calls(calls: Path) -> int:
    return len(calls.read_text()) if calls.exists() else 0


def test_settings_come_from_the_cache_equal_to_validating_them(tmp_path: Path) -> None:
    folder, calls = _plugin(tmp_path)
    config = {"company": {"margin_floor": "12.50"}}
    first = _settings(folder, config)
    assert first == {"margin_floor": Decimal("12.50"), "regions": ["east"], "note": None}
    assert _calls(calls) == 1
    again = _settings(folder, config)
    assert again == first and str(again["margin_floor"]) == "12.50"
    assert _calls(calls) == 1  # served: the schemas were not registered again
    again["regions"].append("west")  # each caller gets its own objects
    assert _settings(folder, config)["regions"] == ["east"]
    # another table: validated again (and kept beside the first)
    assert _settings(folder, {"company": {"note": "n"}})["margin_floor"] == Decimal("15")
    assert _calls(calls) == 2


def test_a_changed_plugin_is_validated_again(tmp_path: Path) -> None:
    folder, calls = _plugin(tmp_path)
    assert _settings(folder, {})["margin_floor"] == Decimal("15")
    _plugin(tmp_path, floor="20")
    st = (folder / "company.py").stat()
    os.utime(folder / "company.py", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert _settings(folder, {})["margin_floor"] == Decimal("20")
    assert _calls(calls) == 2


def test_a_bad_table_is_refused_every_time(tmp_path: Path) -> None:
    folder, _ = _plugin(tmp_path)
    for _ in range(2):
        with pytest.raises(InputError, match=r"kam.toml \[company\] company.margin_floor"):
            _settings(folder, {"company": {"margin_floor": "150"}})


def test_switched_off_it_validates_each_time(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_SETTINGS_CACHE", "0")
    folder, calls = _plugin(tmp_path)
    assert _settings(folder, {}) == _settings(folder, {})
    assert _calls(calls) == 2


class _Plain(BaseModel):
    floor: Decimal = Field(Decimal(15), ge=0)


class _Checked(BaseModel):
    floor: Decimal = Decimal(15)

    @field_validator("floor")
    @classmethod
    def _positive(cls, v: Decimal) -> Decimal:
        return v


class _Factory(BaseModel):
    tags: list[str] = Field(default_factory=list)


class _PostInit(BaseModel):
    floor: int = 1

    def model_post_init(self, context: Any) -> None:
        self.floor = 2


class _Nested(BaseModel):
    inner: _Checked = _Checked()


def test_only_schemas_that_run_no_code_of_their_own_are_cached() -> None:
    assert plugin_settings.pure(_Plain)
    for schema in (_Checked, _Factory, _PostInit, _Nested, dict, lambda table: table):
        assert not plugin_settings.pure(schema), schema


@pytest.mark.parametrize("value", [
    {"a": Decimal("1.50"), "b": [1, 2.5, True, None, "x"], "c": {"d": []}},
    {}, {"a": [Decimal("-0")]},
])
def test_encoding_keeps_the_values(value: dict[str, Any]) -> None:
    decoded = plugin_settings.decode(plugin_settings.encode(value))
    assert decoded == value and repr(decoded) == repr(value)


def test_values_it_cannot_keep_are_not_encoded() -> None:
    import datetime as dt

    for value in ({"a": dt.date(2026, 1, 1)}, {"a": (1, 2)}, {1: "x"}, {"a": {1, 2}}):
        assert plugin_settings.encode(value) is None


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    folder, calls = _plugin(tmp_path)
    assert _settings(folder, {})["margin_floor"] == Decimal("15")
    [cache] = (tmp_path / "xdg-cache" / "kam").glob("settings-2-*.marshal")
    for junk in (b"", b"not marshal", __import__("marshal").dumps({"k": 1}),
                 __import__("marshal").dumps([1, 2]),
                 __import__("marshal").dumps(("another key", (), {}))):
        cache.write_bytes(junk)
        assert _settings(folder, {})["margin_floor"] == Decimal("15")


def test_one_file_per_fingerprint_and_the_oldest_go(tmp_path: Path) -> None:
    for i in range(plugin_settings._KEEP + 4):
        plugin_settings.store(f"key {i}", {__file__}, {"n": i})
    files = list((tmp_path / "xdg-cache" / "kam").glob("settings-2-*.marshal"))
    assert len(files) == plugin_settings._KEEP
    last = plugin_settings._KEEP + 3
    assert plugin_settings.load(f"key {last}") == {"n": last}
    assert plugin_settings.load("another key") is None
