"""kam.kinds' Field and Kind are plain classes (making two dataclasses cost every command
~1 ms): they behave as the frozen dataclasses they were — same repr, equality, hash,
defaults, and no assignment — checked against dataclass twins made here."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass

import pytest
from kam import kinds
from kam.kinds import EVENT, KINDS, Field, Kind


@dataclass(frozen=True)
class _Field:
    name: str
    type: str = "text"
    index: bool = False
    ref: str | None = None
    required: bool = False
    vocab: str | None = None
    label: tuple[str, str] = ("", "")
    shape: str = ""


@dataclass(frozen=True)
class _Kind:
    name: str
    prefix: str
    fields: tuple[_Field, ...]
    columns: tuple[str, ...] = ()
    views: tuple[_Field, ...] = ()
    label: tuple[str, str] = ("", "")


def _twin_field(f: Field) -> _Field:
    return _Field(*(getattr(f, n) for n in Field._FIELDS))


def _twin(k: Kind) -> _Kind:
    return _Kind(k.name, k.prefix, tuple(map(_twin_field, k.fields)), k.columns,
                 tuple(map(_twin_field, k.views)), k.label)


def test_kinds_behave_as_their_dataclass_twins() -> None:
    for k in (*KINDS.values(), EVENT):
        twin = _twin(k)
        assert repr(k).replace("Field(", "_Field(") == repr(twin).replace("_Kind(", "Kind(")
        assert [f.name for f in dataclasses.fields(_Kind)] == list(Kind._FIELDS)
        for f in (*k.fields, *k.views):
            t = _twin_field(f)
            assert repr(f) == repr(t)[1:]
            assert hash(f) == hash(t)
            assert f == Field(*(getattr(f, n) for n in Field._FIELDS))
            assert f != t  # another class, as between two dataclasses
        same = Kind(k.name, k.prefix, k.fields, k.columns, k.views, k.label)
        assert same == k and hash(same) == hash(k)
        assert Kind(k.name, k.prefix, k.fields) != k or (not k.columns and not k.views)
    assert [f.name for f in dataclasses.fields(_Field)] == list(Field._FIELDS)


def test_defaults_and_keywords_are_the_dataclass_ones() -> None:
    assert repr(Field("paid", "money")) == repr(_Field("paid", "money"))[1:]
    assert repr(Field(name="x", vocab="grade", required=True)) == \
        repr(_Field(name="x", vocab="grade", required=True))[1:]
    assert repr(Kind("k", "KK", ())) == repr(_Kind("k", "KK", ()))[1:]


def test_fields_and_kinds_cannot_be_changed() -> None:
    f = KINDS["opportunity"].fields[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.name = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del KINDS["opportunity"].prefix  # type: ignore[misc]
    assert f.name == "id"


def test_copies_and_pickles_are_equal() -> None:
    k = KINDS["customer"]
    assert copy.deepcopy(k) == k
    assert pickle.loads(pickle.dumps(k)) == k
    assert kinds.kind_of_id("CU1") is k
