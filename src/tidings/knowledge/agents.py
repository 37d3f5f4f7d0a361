"""The agent dictionary (role nouns → sector codes) and the discard list.

Both match on lowercased spaCy tokens with the normalisation of
:func:`tidings.knowledge.petrarch.norm_token` (hyphens dropped, dots removed, ``'s`` split).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tidings.errors import KnowledgeError
from tidings.knowledge.actors import PhraseIndex, _norm_seq
from tidings.knowledge.petrarch import norm_pieces, read_agent_file, read_discard_file


@dataclass(frozen=True)
class AgentMatch:
    length: int  # number of words matched
    code: str  # sector code(s) without "~", e.g. "COP", "GOV", "MIL", "REB", "GOVMIL"
    phrase: str  # the dictionary phrase matched, normalised words joined by " "
    entry: str  # provenance: "Phoenix.agents.txt:256"
    prefix: bool = False  # True for "[NGO~]" agents: the code goes before the actor code


class AgentDictionary:
    """Agent phrases → sector codes; a later file (or ``extend``) wins on the same phrase."""

    def __init__(self) -> None:
        self.index = PhraseIndex()
        self.warnings: list[str] = []

    @classmethod
    def load_files(cls, paths: Sequence[Path]) -> AgentDictionary:
        out = cls()
        for p in paths:
            one = cls()
            agents, warnings = read_agent_file(Path(p))
            one.warnings.extend(warnings)
            for a in agents:
                one.index.put(a.words, (a.code, a.prefix, a.source), generated=a.generated)
            out.extend(one)
        return out

    def extend(self, other: AgentDictionary) -> None:
        for key, val in other.index.values.items():
            self.index.put(key.split(" "), val, generated=key in other.index.generated)
        self.warnings.extend(other.warnings)

    def match(self, words: Sequence[str], start: int) -> AgentMatch | None:
        """Longest agent phrase starting at ``words[start]``."""
        hit = self.index.lookup(words, start)
        if hit is None:
            return None
        length, phrase, (code, prefix, source) = hit
        return AgentMatch(length=length, code=code, phrase=phrase, entry=source, prefix=prefix)

    def __len__(self) -> int:
        return len(self.index.values)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "tidings-agents/1",
            "phrases": {k: [c, int(p), s] for k, (c, p, s) in self.index.values.items()},
            "generated": sorted(self.index.generated),
            "warnings": self.warnings,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AgentDictionary:
        if data.get("format") != "tidings-agents/1":
            raise KnowledgeError("compiled agent dictionary has an unknown format")
        out = cls()
        out.index.values = {k: (c, bool(p), s) for k, (c, p, s) in data["phrases"].items()}
        out.index.generated = set(data["generated"])
        out.index.rebuild_maxlen()
        out.warnings = list(data.get("warnings", []))
        return out


@dataclass(frozen=True)
class DiscardMatch:
    length: int  # number of words matched
    phrase: str  # the discard phrase (normalised words joined by " ")
    story: bool  # True: the phrase discards the whole story, not only the sentence
    entry: str  # provenance: "Phoenix.discards.txt:130"


class Discards:
    """Discard phrases: a match disqualifies the sentence (or, for ``story`` phrases, the
    story). A phrase written without a trailing ``_`` is a stem: its last word matches any word
    that starts with it (``BASEBALL`` matches ``baseballs``)."""

    def __init__(self) -> None:
        # exact phrases, and stems keyed by the words before the last one
        self.exact = PhraseIndex()
        self.stems: dict[str, list[tuple[str, bool, str]]] = {}
        self.stem_maxlen = 0
        self.warnings: list[str] = []

    @classmethod
    def load_files(cls, paths: Sequence[Path]) -> Discards:
        out = cls()
        for p in paths:
            rows, warnings = read_discard_file(Path(p))
            out.warnings.extend(warnings)
            for r in rows:
                out._add(r.words, r.story, r.stem, r.source)
        return out

    def _add(self, words: Sequence[str], story: bool, stem: bool, source: str) -> None:
        self.__dict__.pop("_stem_cache", None)
        self.__dict__.pop("_first_cache", None)
        self.exact.put(words, (story, source))
        if stem:
            head = " ".join(words[:-1])
            self.stems.setdefault(head, []).append((words[-1], story, source))
            self.stem_maxlen = max(self.stem_maxlen, len(words))

    def extend(self, other: Discards) -> None:
        self.__dict__.pop("_stem_cache", None)
        self.__dict__.pop("_first_cache", None)
        for key, (story, source) in other.exact.values.items():
            self.exact.put(key.split(" "), (story, source))
        for head, items in other.stems.items():
            self.stems.setdefault(head, []).extend(items)
        self.stem_maxlen = max(self.stem_maxlen, other.stem_maxlen)
        self.warnings.extend(other.warnings)

    def match_entry(self, words: Sequence[str], start: int) -> DiscardMatch | None:
        """The longest discard phrase starting at ``words[start]``, with its details."""
        best: DiscardMatch | None = None
        hit = self.exact.lookup(words, start)
        if hit is not None:
            length, phrase, (story, source) = hit
            best = DiscardMatch(length, phrase, story, source)
        if self.stems and 0 <= start < len(words) and norm_pieces(words[start]):
            pieces, ends = _norm_seq(words, start, self.stem_maxlen)
            for n in range(min(self.stem_maxlen, len(pieces)), 0, -1):
                if ends[n - 1] < 0 or (best is not None and ends[n - 1] <= best.length):
                    continue
                head = " ".join(pieces[: n - 1])
                items = self.stems.get(head)
                if not items:
                    continue
                last = pieces[n - 1]
                index = self._stem_index(head)
                for size in index[0]:  # longest stem first
                    found = index[1].get(last[:size])
                    if found is not None:
                        stem, story, source = found
                        phrase = " ".join([*pieces[: n - 1], stem])
                        best = DiscardMatch(ends[n - 1], phrase, story, source)
                        break
                if best is not None and best.length == ends[n - 1]:
                    break
        return best

    def _stem_index(self, head: str) -> tuple[list[int], dict[str, tuple[str, bool, str]]]:
        """Stems after ``head`` by their text, and their lengths longest first (cached)."""
        cache = self.__dict__.setdefault("_stem_cache", {})
        hit = cache.get(head)
        if hit is None:
            by_text: dict[str, tuple[str, bool, str]] = {}
            for stem, story, source in self.stems.get(head, []):
                by_text.setdefault(stem, (stem, story, source))
            hit = (sorted({len(k) for k in by_text}, reverse=True), by_text)
            cache[head] = hit
        return hit

    def _may_start(self, first: str) -> bool:
        """Whether any discard phrase can start with the normalised piece ``first``."""
        cache = self.__dict__.get("_first_cache")
        if cache is None:
            heads = {h.split(" ")[0] for h in self.stems if h}
            memo: dict[str, bool] = {}
            cache = (heads, self._stem_index(""), memo)
            self.__dict__["_first_cache"] = cache
        heads, (sizes, singles), known = cache
        if first in self.exact.maxlen or first in heads:
            return True
        hit = known.get(first)
        if hit is None:
            hit = known[first] = any(first[:n] in singles for n in sizes)
        return hit

    def matches(self, words: Sequence[str]) -> Iterator[tuple[int, int]]:
        """``(start, length)`` of the longest discard phrase at each position of ``words``
        where one starts, in order (as :meth:`match` at each position)."""
        may_start = self._may_start
        for i, w in enumerate(words):
            pieces = norm_pieces(w)
            if not pieces or not may_start(pieces[0]):
                continue
            m = self.match_entry(words, i)
            if m is not None and m.length:
                yield i, m.length

    def match(self, words: Sequence[str], start: int) -> int:
        """Number of words of the longest discard phrase at ``words[start]`` (0: none)."""
        pieces = norm_pieces(words[start]) if 0 <= start < len(words) else ()
        if not pieces or not self._may_start(pieces[0]):
            return 0
        m = self.match_entry(words, start)
        return 0 if m is None else m.length

    def __len__(self) -> int:
        return len(self.exact.values)

    def to_json(self) -> dict[str, Any]:
        stems = {(head + " " + stem).strip() for head, items in self.stems.items()
                 for stem, _s, _src in items}
        return {
            "format": "tidings-discards/1",
            "phrases": [[k, int(story), src, int(k in stems)]
                        for k, (story, src) in self.exact.values.items()],
            "warnings": self.warnings,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Discards:
        if data.get("format") != "tidings-discards/1":
            raise KnowledgeError("compiled discard list has an unknown format")
        out = cls()
        for key, story, src, stem in data["phrases"]:
            out._add(key.split(" "), bool(story), bool(stem), src)
        out.warnings = list(data.get("warnings", []))
        return out


def load_json(path: Path) -> dict[str, Any]:
    """Read one compiled knowledge file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KnowledgeError(f"{path}: cannot read compiled knowledge file ({exc})") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: compiled knowledge file is not a JSON object")
    return data
