from __future__ import annotations

from pathlib import Path

import pytest

from portal.selection.errors import SelectionInputError
from portal.selection.io import load_instance, read_quotas, read_respondents

from .conftest import SHARED_DATA, write

HEADERS = ["category,feature,min,max", "feature,value,min,max", "category,name,min,max"]


@pytest.mark.parametrize("header", HEADERS)
def test_all_three_quota_headers(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, "q.csv", f"{header}\ngender,female,1,2\ngender,male,0,2\nage,young,0,3")
    quotas = read_quotas(path)
    assert [(q.category, q.value, q.min, q.max) for q in quotas] == [
        ("gender", "female", 1, 2),
        ("gender", "male", 0, 2),
        ("age", "young", 0, 3),
    ]


def test_replication_files_load() -> None:
    d = SHARED_DATA / "example_small_20"
    inst = load_instance(d / "categories.csv", d / "respondents.csv", 20)
    assert len(inst.people) == 200 and inst.people[0].id == "0"
    assert inst.people[0].features == {"gender": "female", "leaning": "conservative"}


def test_population_share_and_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "q.csv", "\ufefffeature,value,min,max,population_share\ng,a,0,1,0.25\n")
    assert read_quotas(path)[0].population_share == 0.25


def test_id_column_extras_and_address(tmp_path: Path) -> None:
    q = read_quotas(write(tmp_path, "q.csv", "category,feature,min,max\ng,a,0,1\ng,b,0,1\n"))
    r = write(tmp_path, "r.csv", "id,g,email,street,zip\nx7,a,x@y,Main 1,2100\nx8,b,,Main 1,2100\n")
    people = read_respondents(r, q, address_columns=["street", "zip"])
    assert [p.id for p in people] == ["x7", "x8"]
    assert people[0].extra["email"] == "x@y"
    assert people[0].address == people[1].address == ("Main 1", "2100")


QUOTA_ERRORS = [
    ("a,b,c,d\n", 1, None, "unknown header"),
    ("category,feature,min\ng,a,1\n", 1, "max", "missing column"),
    ("category,feature,min,max\ng,a,3,2\n", 2, "min", "greater than max"),
    ("category,feature,min,max\ng,a,x,2\n", 2, "min", "whole number"),
    ("category,feature,min,max\ng,a,-1,2\n", 2, "min", "negative"),
    ("category,feature,min,max\ng,a,1,2\ng,a,1,2\n", 3, "feature", "duplicate quota"),
    ("category,feature,min,max\n,a,1,2\n", 2, "category", "empty cell"),
    ("category,feature,min,max\n", 2, None, "no quota rows"),
    ("", 1, None, "empty"),
    ("feature,value,min,max,population_share\ng,a,0,1,7\n", 2, "population_share", "fraction"),
]


@pytest.mark.parametrize(("text", "line", "column", "words"), QUOTA_ERRORS)
def test_bad_quota_files(
    tmp_path: Path, text: str, line: int, column: str | None, words: str
) -> None:
    path = write(tmp_path, "q.csv", text)
    with pytest.raises(SelectionInputError) as info:
        read_quotas(path)
    err = info.value
    assert (err.file, err.line, err.column) == (str(path), line, column)
    assert words in str(err) and str(path) in str(err)


RESPONDENT_ERRORS = [
    ("g,age\nc,1\n", 2, "g", "unknown value 'c'"),
    ("age\n1\n", 1, "g", "missing column 'g'"),
    ("id,g\n1,a\n1,b\n", 3, "id", "duplicate id '1'"),
    ("id,g\n,a\n", 2, "id", "empty id"),
    ("g\n", 2, None, "pool is empty"),
    ("", 1, None, "empty"),
    ("g\na,b,c\n", 2, None, "cells"),
    ("g,g\na,a\n", 1, "g", "duplicate column"),
]


@pytest.mark.parametrize(("text", "line", "column", "words"), RESPONDENT_ERRORS)
def test_bad_respondent_files(
    tmp_path: Path, text: str, line: int, column: str | None, words: str
) -> None:
    q = read_quotas(write(tmp_path, "q.csv", "category,feature,min,max\ng,a,0,1\ng,b,0,1\n"))
    path = write(tmp_path, "r.csv", text)
    with pytest.raises(SelectionInputError) as info:
        read_respondents(path, q)
    assert (info.value.line, info.value.column) == (line, column)
    assert words in str(info.value)


def test_missing_address_column_and_file(tmp_path: Path) -> None:
    q = read_quotas(write(tmp_path, "q.csv", "category,feature,min,max\ng,a,0,1\n"))
    r = write(tmp_path, "r.csv", "g\na\n")
    with pytest.raises(SelectionInputError, match="missing column 'street'"):
        read_respondents(r, q, address_columns=["street"])
    with pytest.raises(SelectionInputError, match="cannot open"):
        read_quotas(tmp_path / "nope.csv")


def test_line_numbers_count_blank_lines(tmp_path: Path) -> None:
    q = read_quotas(write(tmp_path, "q.csv", "category,feature,min,max\ng,a,0,1\n"))
    r = write(tmp_path, "r.csv", "g\na\n\nz\n")
    with pytest.raises(SelectionInputError) as info:
        read_respondents(r, q)
    assert info.value.line == 4
