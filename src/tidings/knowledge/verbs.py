"""Verb dictionaries in the PETRARCH format: verb synonym blocks, patterns and synonym sets.

A verb dictionary maps verbs (and multi-word verbs such as "cordon off") to CAMEO event codes,
refined by patterns over the words around the verb::

    &TOWN                      # a synonym set: "+" members, plurals generated
    +TOWN
    +CITY
    ---  ASK   [---]  ---      # a verb block with its default code
    +ASK_FOR {+ASKED_FOR +ASKING_FOR +ASKS_FOR} [020]
    ASK     [020]
    - * (FOR {HUMANITARIAN AID})   [0233]     # a pattern: * is the verb

:func:`parse_verb_file` reads such a file into plain records (what the packaged ``verbs.json``
holds); :class:`VerbDictionary` builds the lemma-keyed index the coder uses. Malformed lines give
a warning with ``file:line`` and are skipped; the rest loads.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NULL_CODE = "---"
MARKERS = frozenset("$+%^")
DATA_DIR = Path(__file__).resolve().parent / "data"
PACKAGED_VERBS = DATA_DIR / "verbs.json"


# --------------------------------------------------------------------------- pattern structure


@dataclass(frozen=True, eq=False)
class PatternWord:
    """One word of a pattern phrase, or a synonym-set reference (``synset`` holds its members)."""

    text: str  # lowercase as written: "aid", "&aircraft"
    forms: frozenset[str]  # accepted lowercase forms (token lemma or surface); empty for synsets
    joined: bool = False  # written "A_B": this word must come right before the next one
    synset: tuple[tuple[PatternWord, ...], ...] | None = None  # member phrases of "&NAME"

    def __repr__(self) -> str:
        return f"PatternWord({self.text!r})"


@dataclass(frozen=True, eq=False)
class NounPhrase:
    """``AID``, ``{HUMANITARIAN AID}``, ``&TOWN``: words in order, the last one is the head."""

    words: tuple[PatternWord, ...]

    @property
    def size(self) -> int:
        return len(self.words)

    def __repr__(self) -> str:
        return "{" + " ".join(w.text for w in self.words) + "}"


@dataclass(frozen=True, eq=False)
class PrepPhrase:
    """``(FOR {HUMANITARIAN AID})``: a preposition and, optionally, its object."""

    prep: str  # lowercase
    noun: NounPhrase | None

    @property
    def size(self) -> int:
        return 1 + (self.noun.size if self.noun else 0)

    def __repr__(self) -> str:
        return f"({self.prep} {self.noun!r})" if self.noun else f"({self.prep})"


@dataclass(frozen=True)
class Marker:
    """``$`` source, ``+`` target, ``%`` compound actor, ``^`` skip: kept, not matched."""

    symbol: str


PatternElement = NounPhrase | PrepPhrase | Marker


@dataclass(frozen=True)
class VerbPattern:
    code: str  # CAMEO code, "---" for no event
    text: str  # the pattern line as written (for explanations)
    entry: str  # "CAMEO.2.0.txt:1234"
    pre: tuple[PatternElement, ...]  # elements before the verb
    post: tuple[PatternElement, ...]  # elements after the verb
    reciprocal: str | None = None  # "[042:043]": the code for the reverse direction (043)
    #: written ``A_*``: the last word before the verb must come right before it on the surface
    pre_adjacent: bool = False

    @property
    def size(self) -> int:
        """Number of words the pattern needs (its specificity); a compound-actor marker
        ``%`` counts as one (it needs conjoined actors)."""
        return sum(e.size if not isinstance(e, Marker) else int(e.symbol == "%")
                   for e in (*self.pre, *self.post))


@dataclass(frozen=True)
class VerbEntry:
    lemma: str  # "ask", "cordon off"
    code: str  # the verb's own code ("---" if none)
    block: str  # block name, e.g. "ASK"
    entry: str  # "CAMEO.2.0.txt:915"
    patterns: tuple[VerbPattern, ...]
    particle: str | None  # for multi-word verbs: the other words, e.g. "off", "for"
    reciprocal: str | None = None  # second half of a paired code "[013:012]"
    verb: str = ""  # the verb word itself ("cordon" for "cordon off")
    particle_before: tuple[str, ...] = ()  # words written before the verb ("wire" in WIRE_+TAP)
    particle_after: tuple[str, ...] = ()  # words written after the verb ("off" in +CORDON_OFF)


# --------------------------------------------------------------------------- word forms


def _plural(word: str) -> str:
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def _singulars(word: str) -> set[str]:
    out: set[str] = set()
    if len(word) > 3 and word.endswith("ies"):
        out.add(word[:-3] + "y")
    if len(word) > 3 and word.endswith("es"):
        out.add(word[:-2])
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        out.add(word[:-1])
    return out


def noun_forms(word: str, plural: bool = True) -> frozenset[str]:
    """Accepted forms of a pattern noun: itself, its regular plural, and singular guesses."""
    forms = {word} | _singulars(word)
    if plural:
        forms.add(_plural(word))
    return frozenset(forms)


def verb_forms(verb: str) -> set[str]:
    """Regular inflections of an English verb: -s, -ed, -ing."""
    v = verb.lower()
    out = {v}
    if v.endswith("y") and len(v) > 1 and v[-2] not in "aeiou":
        out |= {v[:-1] + "ies", v[:-1] + "ied", v + "ing"}
        return out
    out.add(v + "es" if v.endswith(("s", "x", "z", "ch", "sh", "o")) else v + "s")
    if v.endswith("e"):
        out.add(v + "d")
        out.add(v + "ing" if v.endswith(("ee", "ye", "oe")) else v[:-1] + "ing")
    else:
        out |= {v + "ed", v + "ing"}
    return out


# --------------------------------------------------------------------------- parsing to records

_HEADER = re.compile(
    r"^---\s*(?P<name>[^\[\s-][^\[]*?)\s*(?P<codes>(?:\[[^\]]*\]\s*)*)(?P<close>(?:-+\s*)*)$")
_CODES = re.compile(r"\[([^\]]*)\]")
_VERB_LINE = re.compile(
    r"^(?P<word>[^{\[\]};]+?)\s*(?:\{(?P<forms>[^}]*)\})?\s*(?:\[(?P<code>[^\]\s]*)\])?\s*(?:;.*)?$"
)
_PATTERN_CODE = re.compile(r"\[(?P<code>[^\]\s]*)\]\s*$")
_CODE_OK = re.compile(r"^[0-9A-Za-z+\-]*(?::[0-9A-Za-z+\-]*)?$")


def _strip_comment(line: str) -> str:
    i = line.find("#")
    return line if i < 0 else line[:i]


def parse_verb_file(path: Path | str, text: str | None = None) -> dict[str, Any]:
    """Read a PETRARCH verb dictionary into plain records (JSON-ready).

    Returns ``{"source", "synsets": [[name, line, [members]]], "blocks": [{"name", "code",
    "line", "verbs": [[word, forms, code, line]], "patterns": [[text, body, code, line]]}],
    "transformations": [[text, line]], "warnings": [...]}``.
    """
    p = Path(path)
    source = p.name
    if text is None:
        text = p.read_text(encoding="utf-8", errors="replace")
    warnings: list[str] = []
    synsets: list[list[Any]] = []
    blocks: list[dict[str, Any]] = []
    transformations: list[list[Any]] = []
    block: dict[str, Any] | None = None
    synset: list[Any] | None = None

    def warn(lineno: int, msg: str) -> None:
        warnings.append(f"{source}:{lineno}: {msg}")

    for lineno, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped:
            synset = None  # a blank line ends a synonym set
            continue
        if stripped.startswith("<!--"):
            continue
        line = _strip_comment(stripped).strip()
        if not line:
            continue
        if line.startswith("---"):
            synset = None
            m = _HEADER.match(line)
            if not m or not m.group("name"):
                warn(lineno, f"malformed block header {line!r}")
                block = None
                continue
            if m.group("close").strip() != "---" and not m.group("close").strip().endswith("---"):
                warn(lineno, f"block header without closing '---': {line!r}")
            codes = _CODES.findall(m.group("codes"))
            if len(codes) > 1:
                warn(lineno, f"block header has several codes; using the first: {line!r}")
            code = codes[0].strip() if codes else NULL_CODE
            block = {"name": m.group("name").strip("_ "), "code": code or NULL_CODE,
                     "line": lineno, "verbs": [], "patterns": []}
            blocks.append(block)
            continue
        if line.startswith("&"):
            parts = line.split()
            if len(parts) > 1 or not re.match(r"^&[A-Za-z0-9_'-]+$", parts[0]):
                warn(lineno, f"malformed synonym-set label {line!r}")
                synset = None
                continue
            synset = [parts[0].upper(), lineno, []]
            synsets.append(synset)
            continue
        if line.startswith("+") and synset is not None:
            member = line[1:].strip()
            if not member:
                warn(lineno, "empty synonym-set member")
            else:
                synset[2].append(member)
            continue
        synset = None
        if line.startswith("~"):
            transformations.append([line, lineno])
            continue
        if line.startswith("-"):
            if block is None:
                warn(lineno, "pattern outside a verb block")
                continue
            m = _PATTERN_CODE.search(line)
            if not m:
                warn(lineno, f"pattern without a [code]: {line!r}")
                continue
            body = line[1:m.start()].strip()
            code = m.group("code")
            if not _CODE_OK.match(code) or "[" in body or "]" in body:
                warn(lineno, f"malformed pattern {line!r}")
                continue
            block["patterns"].append([" ".join(stripped.split()), body, code, lineno])
            continue
        if block is None:
            warn(lineno, f"verb outside a verb block: {line!r}")
            continue
        m = _VERB_LINE.match(line)
        if not m:
            warn(lineno, f"malformed verb line {line!r}")
            continue
        forms = (m.group("forms") or "").split()
        word = "_".join(m.group("word").split())
        block["verbs"].append([word, forms, m.group("code"), lineno])
    return {"source": source, "synsets": synsets, "blocks": blocks,
            "transformations": transformations, "warnings": warnings}


# --------------------------------------------------------------------------- building objects


def _split_code(code: str | None) -> tuple[str, str | None]:
    """``"042:043"`` → ("042", "043"); ``":110"`` → ("---", "110"); ``None`` → ("---", None)."""
    if not code:
        return NULL_CODE, None
    if ":" in code:
        a, b = code.split(":", 1)
        return (a or NULL_CODE), (b or None)
    return code, None


def _tokenise(body: str) -> list[str] | None:
    """Split a pattern body into tokens, keeping ``{...}`` and ``(...)`` groups whole."""
    body = body.replace("*", " * ")
    tokens: list[str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c.isspace():
            i += 1
            continue
        if c in "{(":
            close = "}" if c == "{" else ")"
            depth, j = 0, i
            while j < n:
                if body[j] == c:
                    depth += 1
                elif body[j] == close:
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j >= n:
                return None
            tokens.append(body[i:j + 1])
            i = j + 1
            continue
        j = i
        while j < n and not body[j].isspace() and body[j] not in "{()}":
            j += 1
        if j == i:  # a stray closing bracket
            return None
        tokens.append(body[i:j])
        i = j
    return tokens


class _Builder:
    """Turns parsed records into pattern objects, sharing words and synsets."""

    def __init__(self, warnings: list[str]) -> None:
        self.synsets: dict[str, tuple[tuple[PatternWord, ...], ...]] = {}
        self.warnings = warnings
        self._words: dict[tuple[str, bool, bool], PatternWord] = {}

    def word(self, text: str, joined: bool, plural: bool = True) -> PatternWord | None:
        text = text.lower()
        key = (text, joined, plural)
        w = self._words.get(key)
        if w is not None:
            return w
        if text.startswith("&"):
            members = self.synsets.get(text.upper())
            if members is None:
                return None
            w = PatternWord(text, frozenset(), joined, members)
        else:
            w = PatternWord(text, noun_forms(text, plural), joined)
        self._words[key] = w
        return w

    def phrase(self, parts: Sequence[str], *, plural: bool = True) -> NounPhrase | None:
        """Words separated by blanks (in order) or ``_`` (adjacent); ``&NAME`` for synsets."""
        words: list[PatternWord] = []
        for part in parts:
            pieces = [x for x in part.strip("_").split("_") if x]
            for k, piece in enumerate(pieces):
                w = self.word(piece, joined=k < len(pieces) - 1, plural=plural)
                if w is None:
                    return None
                words.append(w)
        return NounPhrase(tuple(words)) if words else None

    def add_synset(self, name: str, members: Sequence[str], where: str) -> None:
        no_plural_label = name.endswith("_")
        key = name.rstrip("_") if no_plural_label else name
        phrases: list[tuple[PatternWord, ...]] = []
        for member in members:
            if member.startswith("&"):
                nested = self.synsets.get(member.upper().rstrip("_")) or self.synsets.get(
                    member.upper())
                if nested is None:
                    self.warnings.append(f"{where}: undefined synonym set {member!r} in {name}")
                    continue
                phrases.extend(nested)
                continue
            plural = not (no_plural_label or member.endswith("_"))
            np = self.phrase(member.split(), plural=plural)
            if np is None:
                self.warnings.append(f"{where}: bad member {member!r} in {name}")
                continue
            phrases.append(np.words)
        if key in self.synsets:
            self.warnings.append(f"{where}: synonym set {key} redefined")
        self.synsets[key] = tuple(phrases)
        if no_plural_label:
            self.synsets[name] = self.synsets[key]

    def element(self, token: str) -> PatternElement | None | str:
        """One pattern token → element; ``None`` if it is empty; an error message if bad."""
        if token in MARKERS:
            return Marker(token)
        if token.startswith("{"):
            inner = [t for t in token[1:-1].split() if t not in MARKERS]
            np = self.phrase(inner)
            return np if np is not None else f"bad or undefined phrase {token!r}"
        if token.startswith("("):
            inner = [t for t in (_tokenise(token[1:-1]) or []) if t not in MARKERS]
            if not inner:
                return f"empty prepositional phrase {token!r}"
            prep = inner[0].strip("_").replace("_", " ").lower()
            rest: list[str] = []
            for t in inner[1:]:
                rest.extend(t[1:-1].split() if t.startswith("{") else [t])
            noun = self.phrase(rest) if rest else None
            if rest and noun is None:
                return f"undefined synonym set in {token!r}"
            return PrepPhrase(prep, noun)
        if not token.strip("_"):
            return None
        np = self.phrase([token])
        return np if np is not None else f"undefined synonym set in {token!r}"

    def pattern(self, text: str, body: str, code: str, where: str) -> VerbPattern | None:
        tokens = _tokenise(body)
        if tokens is None:
            self.warnings.append(f"{where}: unbalanced brackets in pattern {text!r}")
            return None
        if tokens.count("*") != 1:
            self.warnings.append(f"{where}: pattern needs exactly one '*': {text!r}")
            return None
        pre: list[PatternElement] = []
        post: list[PatternElement] = []
        side = pre
        star = tokens.index("*")
        pre_adjacent = star > 0 and tokens[star - 1].endswith("_") \
            and not tokens[star - 1].startswith(("{", "("))
        for tok in tokens:
            if tok == "*":
                side = post
                continue
            el = self.element(tok)
            if isinstance(el, str):
                self.warnings.append(f"{where}: {el}; pattern ignored")
                return None
            if el is not None:
                side.append(el)
        main, recip = _split_code(code)
        return VerbPattern(main, text, where, tuple(pre), tuple(post), recip,
                           pre_adjacent and bool(pre))


def _verb_word(word: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """``+CORDON_OFF`` → ("cordon", (), ("off",)); ``WIRE_+TAP`` → ("tap", ("wire",), ())."""
    parts = [x for x in word.strip("_").split("_") if x]
    if not parts:
        return None
    idx = next((k for k, x in enumerate(parts) if x.startswith("+")), 0)
    words = [x.lstrip("+").lower() for x in parts]
    if not all(words):
        return None
    return words[idx], tuple(words[:idx]), tuple(words[idx + 1:])


def _form_of(form: str, idx: int) -> str | None:
    parts = [x for x in form.strip("_").split("_") if x]
    if not parts:
        return None
    plus = next((k for k, x in enumerate(parts) if x.startswith("+")), None)
    k = plus if plus is not None else min(idx, len(parts) - 1)
    return parts[k].lstrip("+").lower() or None


class VerbDictionary:
    """Verb entries indexed by the verb's lemma and its inflected forms (all lowercase)."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.entries: list[VerbEntry] = []
        self.synsets: dict[str, tuple[tuple[PatternWord, ...], ...]] = {}
        self.transformations: list[str] = []
        self._by_lemma: dict[str, list[VerbEntry]] = {}
        self._forms: dict[str, set[str]] = {}

    # ----------------------------------------------------------------- loading
    @classmethod
    def load_files(cls, paths: Sequence[Path]) -> VerbDictionary:
        """Parse PETRARCH-format verb dictionaries (later files add to earlier ones)."""
        vd = cls()
        for path in paths:
            vd._add_records(parse_verb_file(path))
        return vd

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]]) -> VerbDictionary:
        """Build from :func:`parse_verb_file` output (the packaged ``verbs.json`` form)."""
        vd = cls()
        for rec in records:
            vd._add_records(rec)
        return vd

    def _add_records(self, rec: dict[str, Any]) -> None:
        source = rec["source"]
        self.warnings.extend(rec.get("warnings", []))
        builder = _Builder(self.warnings)
        builder.synsets = dict(self.synsets)
        # Synsets may be defined between blocks; a pattern can only use one defined earlier.
        events: list[tuple[int, str, Any]] = [(s[1], "synset", s) for s in rec["synsets"]]
        events += [(b["line"], "block", b) for b in rec["blocks"]]
        events.sort(key=lambda e: e[0])
        for _, kind, item in events:
            if kind == "synset":
                builder.add_synset(item[0], item[2], f"{source}:{item[1]}")
                continue
            self._add_block(item, builder, source)
        self.synsets.update(builder.synsets)
        self.transformations.extend(t[0] for t in rec.get("transformations", []))

    def _add_block(self, block: dict[str, Any], builder: _Builder, source: str) -> None:
        patterns: list[VerbPattern] = []
        for text, body, code, line in block["patterns"]:
            pat = builder.pattern(text, body, code, _where(source, line))
            if pat is not None:
                patterns.append(pat)
        shared = tuple(patterns)
        block_code, block_recip = _split_code(block["code"])
        for word, forms, code, line in block["verbs"]:
            where = _where(source, line)
            parsed = _verb_word(word)
            if parsed is None:
                self.warnings.append(f"{where}: malformed verb {word!r}")
                continue
            verb, before, after = parsed
            if code is not None:
                own, recip = _split_code(code)
            else:
                own, recip = block_code, block_recip
            others = before + after
            entry = VerbEntry(
                lemma=" ".join((*before, verb, *after)), code=own, block=block["name"],
                entry=where, patterns=shared, particle=" ".join(others) if others else None,
                reciprocal=recip, verb=verb, particle_before=before, particle_after=after)
            self._add_entry(entry, forms, len(before))

    def _add_entry(self, entry: VerbEntry, irregular: Sequence[str], idx: int) -> None:
        self.entries.append(entry)
        self._by_lemma.setdefault(entry.verb, []).append(entry)
        forms = verb_forms(entry.verb)
        for f in irregular:
            w = _form_of(f, idx)
            if w:
                forms.add(w)
        for f in forms:
            self._forms.setdefault(f, set()).add(entry.verb)

    def copy(self) -> VerbDictionary:
        """An independent copy (extend a copy, not the shared :func:`default_verbs`)."""
        vd = VerbDictionary()
        vd.extend(self)
        return vd

    def extend(self, other: VerbDictionary, *, override: bool = False) -> None:
        """Add another dictionary's entries (e.g. a user's own verbs on top of the default).

        With ``override`` a verb that ``other`` defines (the same verb word with the same other
        words) loses its entries here: the later dictionary wins. Without it both are kept and
        the earlier entry wins ties when matching.

        This changes the dictionary in place: to add to the default one, extend
        ``default_verbs().copy()``."""
        if override and other.entries:
            redefined = {_verb_key(e) for e in other.entries}
            kept = [e for e in self.entries if _verb_key(e) not in redefined]
            if len(kept) != len(self.entries):
                self.entries = kept
                self._by_lemma = {}
                for e in kept:
                    self._by_lemma.setdefault(e.verb, []).append(e)
        for e in other.entries:
            self.entries.append(e)
            self._by_lemma.setdefault(e.verb, []).append(e)
        for form, lemmas in other._forms.items():
            self._forms.setdefault(form, set()).update(lemmas)
        self.synsets.update(other.synsets)
        self.transformations.extend(other.transformations)
        self.warnings.extend(other.warnings)

    # ----------------------------------------------------------------- lookups
    def lookup(self, lemma: str) -> list[VerbEntry]:
        """All entries whose verb word is ``lemma`` (multi-word ones included: check
        ``particle``); an inflected form ("cordoned", "brought") is mapped to its lemma."""
        key = lemma.lower()
        found = self._by_lemma.get(key)
        if found:
            return list(found)
        out: list[VerbEntry] = []
        for base in sorted(self._forms.get(key, ())):
            out.extend(self._by_lemma.get(base, ()))
        return out

    def lemma_of(self, form: str) -> list[str]:
        """Dictionary lemmas an inflected form belongs to ("brought" → ["bring"])."""
        return sorted(self._forms.get(form.lower(), ()))

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, lemma: object) -> bool:
        return isinstance(lemma, str) and bool(self.lookup(lemma))


def _where(source: str, line: int | str) -> str:
    """Provenance of an entry: ``file:line`` (a merged overlay entry carries its own file)."""
    return line if isinstance(line, str) else f"{source}:{line}"


def _verb_key(entry: VerbEntry) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    return entry.verb, entry.particle_before, entry.particle_after


@functools.lru_cache(maxsize=1)
def default_verbs() -> VerbDictionary:
    """The packaged CAMEO verb dictionary (built by ``scripts/build_event_knowledge.py``)."""
    data = json.loads(PACKAGED_VERBS.read_text(encoding="utf-8"))
    return VerbDictionary.from_records(data["files"])


__all__ = [
    "Marker", "NounPhrase", "PatternElement", "PatternWord", "PrepPhrase", "VerbDictionary",
    "VerbEntry", "VerbPattern", "default_verbs", "noun_forms", "parse_verb_file", "verb_forms",
]
