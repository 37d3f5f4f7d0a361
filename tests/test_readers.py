"""Readers: dated text, JSONL, CSV, directories, globs and the bad-input cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tidings.errors import InputError
from tidings.model import Article
from tidings.readers import read_paths

ROOT = Path(__file__).resolve().parents[1]


def _write(p: Path, data: str | bytes) -> str:
    if isinstance(data, bytes):
        p.write_bytes(data)
    else:
        p.write_text(data, encoding="utf-8")
    return str(p)


def test_readers_dated_text_header_and_body(tmp_path: Path) -> None:
    f = _write(tmp_path / "a.txt", "  date 2023-06-13 Ministers meet\n\nKenya met Somalia.\n")
    (art,) = list(read_paths([f]))
    assert isinstance(art, Article)
    assert art.date == dt.date(2023, 6, 13)
    assert art.title == "Ministers meet"
    assert art.text.startswith("Kenya met Somalia.")
    assert art.id == Article.make_id(art.date, art.text)


def test_readers_plain_text_needs_date(tmp_path: Path) -> None:
    f = _write(tmp_path / "plain.txt", "Kenya met Somalia.\n")
    (err,) = list(read_paths([f]))
    assert isinstance(err, InputError) and "missing date" in str(err) and "plain.txt" in str(err)
    (art,) = list(read_paths([f], date=dt.date(2020, 1, 2)))
    assert isinstance(art, Article) and art.date == dt.date(2020, 1, 2)


def test_readers_jsonl_with_bad_lines(tmp_path: Path) -> None:
    f = _write(tmp_path / "n.jsonl",
               '{"id": "a1", "date": "2021-01-02", "title": "T", "text": "Iran met Iraq.", "url": "u"}\n'
               '{"id": "a2", "date": "2021-01-02", "text": \n'
               '{"id": "a3", "text": "No date here."}\n'
               '[1, 2]\n'
               '{"date": "2021-01-03", "body": "x", "text": "Chad met Niger."}\n')
    items = list(read_paths([f]))
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "InputError",
                                                  "InputError", "Article"]
    assert isinstance(items[0], Article) and items[0].id == "a1" and items[0].url == "u"
    assert str(items[1]).startswith(f"{f}:2: malformed JSON")
    assert str(items[2]).startswith(f"{f}:3: missing date")
    assert isinstance(items[4], Article) and len(items[4].id) == 16


def test_readers_csv_field_mapping_and_bad_row(tmp_path: Path) -> None:
    f = _write(tmp_path / "n.csv", 'key,day,body\nk1,2022-05-01,"Chad, Niger met."\nk2,2022-05-01\n')
    items = list(read_paths([f], fields={"id": "key", "date": "day", "text": "body"}))
    assert isinstance(items[0], Article) and items[0].id == "k1" and items[0].text == "Chad, Niger met."
    assert isinstance(items[1], InputError) and ":3:" in str(items[1])


def test_readers_empty_binary_encoding_and_huge(tmp_path: Path) -> None:
    empty = _write(tmp_path / "e.txt", "")
    binary = _write(tmp_path / "b.txt", b"\x89PNG\x00\x00\x01")
    latin = _write(tmp_path / "l.txt", "date 2020-01-01 x\n\nCaf\xe9".encode("latin-1"))
    huge = _write(tmp_path / "h.txt", "date 2020-01-01 x\n\n" + "word " * 300_000)
    good = _write(tmp_path / "g.txt", "date 2020-01-01 x\n\nChad met Niger.")
    items = list(read_paths([empty, binary, latin, huge, good]))
    msgs = [str(i) for i in items[:4]]
    assert "empty file" in msgs[0]
    assert "binary" in msgs[1]
    assert "UTF-8" in msgs[2]
    assert "limit" in msgs[3]
    assert all(isinstance(i, InputError) for i in items[:4])
    assert isinstance(items[4], Article)


def test_readers_directory_and_glob() -> None:
    items = list(read_paths([str(ROOT / "examples")]))
    assert len(items) >= 5 and all(isinstance(i, Article) for i in items)
    globbed = list(read_paths([str(ROOT / "examples" / "*.txt")]))
    assert [a.id for a in globbed if isinstance(a, Article)] == \
        [a.id for a in items if isinstance(a, Article)]
    (missing,) = list(read_paths([str(ROOT / "examples" / "nothing-*.txt")]))
    assert isinstance(missing, InputError)
