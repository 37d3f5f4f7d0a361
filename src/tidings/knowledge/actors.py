"""The actor dictionary: phrases → CAMEO actor codes, resolved for a date.

Matching works on the lowercased surface tokens of a sentence (see
:func:`tidings.knowledge.petrarch.norm_token` for the normalisation shared with the dictionary
phrases): ``match(words, start, date)`` returns the longest dictionary phrase that starts at
``words[start]`` and ends at a token boundary.

Code resolution for a date: the first date restriction (in file order) whose inclusive range
holds the date; otherwise the entry's first default code; otherwise the entry has no code for
that date (a null code) and ``match`` returns None. With ``date=None`` the default code is used,
or, for entries that only have date restrictions (office-holders), the restriction that ends
last (the latest known role).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tidings.errors import KnowledgeError
from tidings.knowledge.petrarch import CodeRule, norm_pieces, read_actor_file

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRY_CODES_FILE = DATA_DIR / "country_codes.tsv"

#: First three letters of codes for non-state actor types: they have no country.
NON_STATE_PREFIXES = frozenset({"NGO", "IMG", "MNC", "UIS", "NGM"})


@dataclass(frozen=True)
class ActorMatch:
    length: int  # number of words matched
    code: str  # e.g. "USA", "USAGOV", "IGOUNO", "SOMREB" (already resolved for the date)
    country: str | None  # ISO3 ("USA"), "IGO" for international organisations, None if unknown
    sector: str | None  # the part after the country code, e.g. "GOV", "REB"; None for a country
    phrase: str  # the dictionary phrase matched, normalised words joined by " "
    name: str | None  # canonical name of the entry (its first phrase), lowercased
    entry: str  # provenance: "Phoenix.Countries.actors.txt:51057" or "overlay_actors.txt:12"
    codes: tuple[str, ...] = ()  # all codes when the entry gives several ("ELR/GAL")


#: One code rule as stored: (code, start, end, is_default); "" is the null code.
Rule = tuple[str, int, int, bool]


@dataclass
class _Entry:
    name: str
    source: str
    rules: tuple[Rule, ...]

    def resolve(self, day: int | None) -> str:
        """The code for ``day`` (``YYYYMMDD``; None: undated). "" is the null code."""
        default: str | None = None
        for code, start, end, is_default in self.rules:
            if is_default:
                if default is None:
                    default = code
                continue
            if day is not None and start <= day <= end:
                return code
        if default is not None:
            return default
        if day is None:
            dated = [r for r in self.rules if not r[3]]
            if dated:
                return max(dated, key=lambda r: (r[2], r[1]))[0]
        return ""


def _rules(rules: Sequence[CodeRule]) -> tuple[Rule, ...]:
    return tuple((r.code, r.start, r.end, r.default) for r in rules)


def _day(date: dt.date | None) -> int | None:
    return None if date is None else date.year * 10000 + date.month * 100 + date.day


def _norm_seq(words: Sequence[str], start: int, limit: int) -> tuple[list[str], list[int]]:
    """Normalised pieces from ``words[start:]`` (at most ``limit``) and, for each piece that
    ends a token, the number of tokens consumed so far (-1 for pieces inside a token)."""
    pieces: list[str] = []
    ends: list[int] = []
    i = start
    n = len(words)
    while i < n and len(pieces) < limit:
        ps = norm_pieces(words[i])
        if not ps and i == start:
            return [], []
        for k, p in enumerate(ps):
            pieces.append(p)
            ends.append(i + 1 - start if k == len(ps) - 1 else -1)
        i += 1
    return pieces, ends


class PhraseIndex:
    """Phrases (tuples of normalised words) → values, with longest-match lookup."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.generated: set[str] = set()
        self.maxlen: dict[str, int] = {}
        # every key's beginnings that end before one of its spaces (see ``lookup``), built
        # when first needed, for the ``values`` dictionary and size it was built from
        self._prefixes: tuple[dict[str, Any], int, frozenset[str]] | None = None

    def put(self, words: Sequence[str], value: Any, *, generated: bool = False,
            override: bool = True) -> None:
        key = " ".join(words)
        if key in self.values:
            if generated and key not in self.generated:
                return  # an automatic plural never replaces an explicit phrase
            if not override:
                return
        self.values[key] = value
        self._prefixes = None
        if generated:
            self.generated.add(key)
        else:
            self.generated.discard(key)
        first = words[0]
        if self.maxlen.get(first, 0) < len(words):
            self.maxlen[first] = len(words)

    def rebuild_maxlen(self) -> None:
        self._prefixes = None
        self.maxlen = {}
        for key in self.values:
            parts = key.split(" ")
            if self.maxlen.get(parts[0], 0) < len(parts):
                self.maxlen[parts[0]] = len(parts)

    def starts(self, words: Sequence[str]) -> list[int]:
        """The positions in ``words`` where :meth:`lookup` may find a phrase (those whose first
        normalised piece begins some phrase), in order; ``lookup`` finds none elsewhere."""
        maxlen = self.maxlen
        return [i for i, w in enumerate(words) if (p := norm_pieces(w)) and p[0] in maxlen]

    def lookup(self, words: Sequence[str], start: int) -> tuple[int, str, Any] | None:
        """``(tokens consumed, phrase, value)`` for the longest phrase at ``words[start]``."""
        if start < 0 or start >= len(words):
            return None
        first = norm_pieces(words[start])
        if not first:
            return None
        limit = self.maxlen.get(first[0])
        if limit is None:
            return None
        values = self.values
        prefixes = self._prefix_set()
        # Read the normalised pieces one by one, as long as some phrase can still begin with
        # them, keeping the longest phrase that ends with a token (at most ``limit`` pieces).
        best: tuple[int, str] | None = None
        key = ""
        count = 0
        i = start
        n_words = len(words)
        while i < n_words and count < limit:
            ps = norm_pieces(words[i]) if i > start else first
            last = len(ps) - 1
            for k, p in enumerate(ps):
                key = p if count == 0 else key + " " + p
                count += 1
                if k == last and key in values:
                    best = (i + 1 - start, key)
                if count >= limit or key not in prefixes:
                    break
            else:
                i += 1
                continue
            break
        if best is None:
            return None
        return best[0], best[1], values[best[1]]

    def _prefix_set(self) -> frozenset[str]:
        built = getattr(self, "_prefixes", None)
        values = self.values
        if built is None or built[0] is not values or built[1] != len(values):
            out: set[str] = set()
            for key in values:
                j = key.find(" ")
                while j >= 0:
                    out.add(key[:j])
                    j = key.find(" ", j + 1)
            built = (values, len(values), frozenset(out))
            self._prefixes = built
        return built[2]


class ActorDictionary:
    """Actor phrases with date-restricted codes (see the module docstring)."""

    def __init__(self) -> None:
        self.entries: list[_Entry] = []
        self.index = PhraseIndex()
        self.warnings: list[str] = []
        self._first_phrase: list[str] = []  # each entry's first phrase (for replacement)
        self._by_first_cache: dict[str, list[int]] | None = None

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def load_files(cls, paths: Sequence[Path]) -> ActorDictionary:
        """Load PETRARCH-format actor files; a later file wins on the same phrase."""
        out = cls()
        for p in paths:
            one = cls()
            raw, warnings = read_actor_file(Path(p))
            one.warnings.extend(warnings)
            for r in raw:
                idx = one._add_entry(_Entry(r.name, r.source, _rules(r.rules)),
                                     " ".join(r.phrases[0]))
                for words in r.phrases:
                    one.index.put(words, idx)
                for words in r.plurals:
                    one.index.put(words, idx, generated=True)
            out.extend(one)
        return out

    def _add_entry(self, entry: _Entry, first_phrase: str) -> int:
        self.entries.append(entry)
        idx = len(self.entries) - 1
        self._first_phrase.append(first_phrase)
        if self._by_first_cache is not None:
            self._by_first_cache.setdefault(first_phrase, []).append(idx)
        return idx

    @property
    def _by_first(self) -> dict[str, list[int]]:
        """First phrase → entries that start with it (built when first needed)."""
        if self._by_first_cache is None:
            cache: dict[str, list[int]] = {}
            for i, ph in enumerate(self._first_phrase):
                cache.setdefault(ph, []).append(i)
            self._by_first_cache = cache
        return self._by_first_cache

    def extend(self, other: ActorDictionary) -> None:
        """Add ``other``'s phrases; ``other`` wins on the same phrase.

        An entry of ``other`` whose first phrase is the first phrase of an entry here replaces
        that entry as a whole: its synonyms here then resolve to ``other``'s entry too (this is
        how an overlay updates an office-holder without repeating every spelling).
        """
        offset = len(self.entries)
        replaced: dict[int, int] = {}
        by_first = self._by_first
        for i, e in enumerate(other.entries):
            first = other._first_phrase[i]
            for old in by_first.get(first, []):
                if old < offset:
                    replaced[old] = offset + i
            self._add_entry(e, first)
        if replaced:
            vals = self.index.values
            for key, idx in vals.items():
                if idx in replaced:
                    vals[key] = replaced[idx]
        for key, idx in other.index.values.items():
            gen = key in other.index.generated
            self.index.put(key.split(" "), idx + offset, generated=gen)
        self.warnings.extend(other.warnings)

    # -- matching --------------------------------------------------------------------------

    def match(self, words: Sequence[str], start: int, date: dt.date | None) -> ActorMatch | None:
        """Longest phrase starting at ``words[start]``; code chosen for ``date`` (None: the
        undated/default code). None when no phrase matches or the code is null for the date."""
        hit = self.index.lookup(words, start)
        if hit is None:
            return None
        length, phrase, idx = hit
        entry = self.entries[idx]
        code = entry.resolve(_day(date))
        if not code:
            return None
        codes = tuple(code.split("/"))
        first = codes[0]
        country, sector = split_code(first)
        return ActorMatch(length=length, code=first, country=country, sector=sector,
                          phrase=phrase, name=entry.name or None, entry=entry.source,
                          codes=codes)

    def __len__(self) -> int:
        return len(self.index.values)

    # -- compiled form ---------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """A compact JSON-ready form (used for the packaged knowledge base)."""
        used = sorted(set(self.index.values.values()))
        remap = {old: new for new, old in enumerate(used)}
        entries = []
        for old in used:
            e = self.entries[old]
            rules = [[c, st, en, 1 if d else 0] for c, st, en, d in e.rules]
            entries.append([e.name, e.source, self._first_phrase[old], rules])
        return {
            "format": "tidings-actors/1",
            "entries": entries,
            "phrases": {k: remap[v] for k, v in self.index.values.items()},
            "generated": sorted(self.index.generated),
            "warnings": self.warnings,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ActorDictionary:
        if data.get("format") != "tidings-actors/1":
            raise KnowledgeError("compiled actor dictionary has an unknown format")
        out = cls()
        entries = out.entries
        firsts = out._first_phrase
        for name, source, first, rules in data["entries"]:
            entries.append(_Entry(name, source, tuple(map(tuple, rules))))
            firsts.append(first)
        out.index.values = dict(data["phrases"])
        out.index.generated = set(data["generated"])
        out.index.rebuild_maxlen()
        out.warnings = list(data.get("warnings", []))
        return out

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> ActorDictionary:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KnowledgeError(f"{path}: cannot read compiled actor dictionary ({exc})") from exc
        return cls.from_json(data)


# -------------------------------------------------------------------------------------------
# Country codes


#: Codes of former federations whose actor codes name a member country next ("SCGSRB").
FEDERATIONS = frozenset({"SCG", "YUG", "SUN", "CSK"})


@functools.lru_cache(maxsize=1)
def _country_table() -> dict[str, str]:
    """CAMEO three-letter code → ISO3 / "IGO" / "" (regions and others without a country)."""
    table: dict[str, str] = {}
    try:
        lines = COUNTRY_CODES_FILE.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise KnowledgeError(f"{COUNTRY_CODES_FILE}: cannot read country code table") from exc
    for line in lines:
        if not line or line.startswith("#") or line.startswith("cameo\t"):
            continue
        parts = line.split("\t")
        table[parts[0]] = parts[1] if len(parts) > 1 else ""
    return table


def country_of_code(code: str) -> str | None:
    """``"USAGOV"`` → ``"USA"``, ``"IGOUNO"`` → ``"IGO"``, ``"AFGREB"`` → ``"AFG"``; None when
    the code does not start with a country (``"NGO"``, ``"IMGMUSALQ"``, regions such as
    ``"AFR"``)."""
    c = code.strip().upper()
    if len(c) < 3:
        return None
    # A federation's code followed by a member's ("SCGSRB": Serbia within Serbia and
    # Montenegro) places the actor in the member country.
    if c[:3] in FEDERATIONS and len(c) >= 6 and _country_table().get(c[3:6]):
        return _country_table()[c[3:6]]
    return _country_table().get(c[:3]) or None


def split_code(code: str) -> tuple[str | None, str | None]:
    """``(country, sector)`` of an actor code: ``"USAGOV"`` → ``("USA", "GOV")``,
    ``"SOM"`` → ``("SOM", None)``, ``"IGOUNO"`` → ``("IGO", "UNO")``, ``"NGO"`` →
    ``(None, "NGO")`` (non-state actor types keep their whole code as the sector)."""
    c = code.strip().upper()
    prefix = c[:3]
    table = _country_table()
    if prefix in FEDERATIONS and table.get(c[3:6]):
        return table[c[3:6]], c[6:] or None
    if prefix in table:
        return table[prefix] or None, c[3:] or None
    if prefix in NON_STATE_PREFIXES:
        return None, c
    return None, c[3:] or None
