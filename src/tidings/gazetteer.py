"""The in-process gazetteer: GeoNames places, divisions, countries and regions.

The data is built into the package by ``scripts/build_gazetteer.py`` (GeoNames, CC BY 4.0; see
``data/gazetteer/NOTICE.md``) as one gzipped TSV; :func:`load_gazetteer` reads it once per
process and keeps a name index (normalised name -> entries) for dictionary look-ups.
"""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

FEATURES = ("country", "admin1", "admin2", "city", "continent", "region")

_PUNCT = re.compile(r"[.'’`ʻ]")
_DASH = re.compile(r"[-‐‑–—/,]")
_SPACE = re.compile(r"\s+")
_COLUMNS = ["feature", "id", "name", "lat", "lon", "cc", "iso3", "admin1", "population",
            "capital_of", "derived"]
_WORD_FORMS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry. ``cc`` is ISO alpha-2, ``admin1`` the GeoNames admin1 code."""

    id: int | None
    feature: str
    name: str
    lat: float
    lon: float
    cc: str
    admin1: str
    population: int
    capital_of: str  # ISO alpha-2 of the country whose capital this is, or ""
    derived: str  # how the point was derived when GeoNames has none ("" when it has one)

    @property
    def admin1_key(self) -> str:
        return f"{self.cc}.{self.admin1}" if self.cc and self.admin1 else ""


@functools.lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Look-up key of a name: no accents, case or punctuation; 'St.' -> 'saint'."""
    s = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    s = _DASH.sub(" ", _PUNCT.sub("", s.casefold()))
    words = [_WORD_FORMS.get(w, w) for w in s.split()]
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(words)


class Gazetteer:
    """Entries plus a name index. Use :func:`load_gazetteer` to get the shared instance.

    Entries are kept as their TSV lines and parsed on first use, so loading costs little more
    than reading the two files.
    """

    def __init__(self, lines: list[str], index: dict[str, str]) -> None:
        self._lines = lines
        self._index = index  # key -> "3,~17,42" (entry line numbers; "~": alternate name)
        self._cache: dict[int, Entry] = {}
        self.iso3: dict[str, str] = {}
        self.countries: dict[str, Entry] = {}
        self.admin1s: dict[str, Entry] = {}
        for i, line in enumerate(lines):
            if line.startswith("country\t"):
                entry = self.entry(i)
                self.countries[entry.cc] = entry
                self.iso3[entry.cc] = line.split("\t")[6]
            elif line.startswith("admin1\t"):
                entry = self.entry(i)
                self.admin1s[entry.admin1_key] = entry

    def __len__(self) -> int:
        return len(self._lines)

    def entry(self, i: int) -> Entry:
        """The entry on line ``i`` of the entries file."""
        entry = self._cache.get(i)
        if entry is None:
            (feature, gid, name, lat, lon, cc, _iso3, admin1, pop, cap,
             derived) = self._lines[i].split("\t")
            entry = Entry(int(gid) if gid else None, feature, name, float(lat), float(lon), cc,
                          admin1, int(pop), cap, derived)
            self._cache[i] = entry
        return entry

    def lookup(self, name: str) -> list[tuple[Entry, bool]]:
        """Entries known by ``name`` with whether it is their main name."""
        return self.lookup_key(normalize(name))

    def lookup_key(self, key: str) -> list[tuple[Entry, bool]]:
        """Like :meth:`lookup` for an already normalised key."""
        found = self._index.get(key)
        if not found:
            return []
        out: list[tuple[Entry, bool]] = []
        seen: set[int] = set()
        for tok in found.split(","):
            primary = not tok.startswith("~")
            i = int(tok if primary else tok[1:])
            if i not in seen:
                seen.add(i)
                out.append((self.entry(i), primary))
        return out

    def has_key(self, key: str) -> bool:
        return key in self._index

    def country_iso3(self, iso2: str) -> str | None:
        return self.iso3.get(iso2) if iso2 else None

    def admin1_name(self, entry: Entry) -> str | None:
        """Name of the first-level division an entry lies in (itself for an admin1)."""
        if entry.feature == "admin1":
            return entry.name
        a1 = self.admin1s.get(entry.admin1_key)
        return a1.name if a1 is not None else None


def _read_lines(name: str) -> list[str]:
    ref = resources.files("tidings") / "data" / "gazetteer" / name
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return fh.read().split("\n")


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Read the packaged gazetteer once per process."""
    lines = _read_lines("gazetteer.tsv.gz")
    if lines[0].split("\t") != _COLUMNS:
        raise ValueError(f"unexpected gazetteer columns: {lines[0]}")
    lines = [ln for ln in lines[1:] if ln]
    index: dict[str, str] = {}
    for line in _read_lines("names.tsv.gz")[1:]:
        key, _, found = line.partition("\t")
        if found:
            index[key] = found
    return Gazetteer(lines, index)
