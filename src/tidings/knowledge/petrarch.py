"""Parsers for PETRARCH/TABARI-format dictionaries: actors, agents and discards.

The formats are documented in PETRARCH's ``dictionaries.rst``. What these parsers accept:

Common to all three files
    ``#`` (and the older ``;``) starts a comment that runs to the end of the line; lines that
    start with ``<!`` are comments, and a ``<!--`` that is not closed on its line opens a
    comment block that runs to the line holding ``-->``. Blank lines are skipped.

Phrases
    Words are separated by ``_`` or blanks (both mean "consecutive words" here: a blank is
    *not* treated as a gap where other words may occur). A phrase that ends with ``_`` gets no
    automatic plural; otherwise the regular plural of its last word is added (``-s``, ``-es``
    after ``ss``/``sh``/``ch``/``x``, ``-ies`` after consonant + ``y``; words ending in ``s``, or
    holding digits or punctuation, get none). Generated plurals never override an explicit
    phrase.

Actor files
    A primary line ``PHRASE [CODE]...`` starts an entry; ``+PHRASE`` lines add synonyms;
    indented ``[CODE restriction]`` lines add codes. A line may hold several bracket groups
    (``[USAGOV 010120-050120] [IGOUNOKID >050501]``). Restrictions: ``<date``, ``>date`` and
    ``date-date`` (inclusive), dates as ``YYMMDD`` (00-30 → 20YY, else 19YY) or ``YYYYMMDD``;
    a day past the month's end (``20080231``) is read as the month's last day. A bracket with no
    restriction is a default code. Codes holding no letter (``---``, ``+++``) are null codes.
    ``A/B`` gives several codes for one phrase. As in PETRARCH, a primary line without a code
    that follows an entry which has no code yet joins that entry.

Agent files
    ``!NAME! = A, B, C`` defines a substitution set; every ``!NAME!`` in a phrase is replaced
    by each item in turn (no plural is generated for substituted phrases). ``PHRASE {PLURAL}
    [~CODE]``: ``{}`` means "no plural", ``{FORMS}`` lists irregular plurals; ``[~CODE]`` adds
    the sector after the actor code, ``[CODE~]`` before it.

Discard files
    ``PHRASE`` discards the sentence, ``+PHRASE`` the whole story; a phrase ending with ``_``
    must match whole words, otherwise its last word is a stem (prefix).

Malformed lines are skipped with a warning naming ``file:line``; an unreadable file raises
:class:`tidings.errors.KnowledgeError`.

Normalisation (the same for dictionary phrases and for the lowercased spaCy tokens given to
``match``): lowercase; curly apostrophes become ``'``; a trailing ``'s`` becomes its own word;
dots inside a word are removed (``u.s.`` → ``us``, ``mr.`` → ``mr``); hyphenated words are split
into their parts and ``-`` tokens are dropped, so ``al-Shabaab`` (spaCy: ``al``, ``-``,
``shabaab``) matches ``AL-SHABAAB`` and ``AL_SHABAAB`` alike.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tidings.errors import KnowledgeError

#: Dates are handled as integers ``YYYYMMDD``; these bound open-ended restrictions.
MIN_DAY = 0
MAX_DAY = 99_999_999

_SPLIT_RE = re.compile(r"[_\s]+")
_BRACKET_RE = re.compile(r"\[([^\[\]]*)\]")
_CODE_RE = re.compile(r"^[A-Z0-9]+(?:/[A-Z0-9]+)*$")
_DATE_RE = re.compile(r"\d+")
_MARKER_DEF_RE = re.compile(r"^!([^!\s]+)!\s*=\s*(.*)$")
_MARKER_RE = re.compile(r"!([^!\s]+)!")


# ---------------------------------------------------------------------------------------------
# Normalisation


def norm_token(token: str) -> list[str]:
    """Normalised pieces of one token (a spaCy token or a word of a dictionary phrase).

    ``"-"`` gives no piece; ``"al-shabaab"`` gives ``["al", "shabaab"]``; ``"u.s."`` gives
    ``["us"]``; ``"kenya's"`` gives ``["kenya", "'s"]``; ``"dol_amroth"`` gives
    ``["dol", "amroth"]`` (``_`` separates words, as in dictionary phrases).
    """
    return list(norm_pieces(token))


@functools.lru_cache(maxsize=262144)
def norm_pieces(token: str) -> tuple[str, ...]:
    """``norm_token`` as a cached tuple: the matching hot path normalises the same words often."""
    return tuple(_norm_token(token))


def _norm_token(token: str) -> list[str]:
    t = token.lower().replace("\u2019", "'").replace("\u2018", "'")
    if "_" in t and t.strip("_"):
        t = t.replace("_", "-")
    if not t:
        return []
    out: list[str] = []
    for part in t.split("-"):
        if not part:
            continue
        if any(c.isalnum() for c in part):
            if part.endswith("'s") and len(part) > 2:
                stem = part[:-2].replace(".", "")
                if stem:
                    out.append(stem)
                out.append("'s")
                continue
            part = part.replace(".", "")
        if part:
            out.append(part)
    return out


def phrase_words(phrase: str) -> list[str]:
    """Normalised words of a dictionary phrase (``_`` and blanks separate words)."""
    words: list[str] = []
    for raw in _SPLIT_RE.split(phrase.strip()):
        if raw:
            words.extend(norm_token(raw))
    return words


def readable(phrase: str) -> str:
    """The readable, lowercased form of a dictionary phrase: ``BARACK_OBAMA_`` → ``barack obama``."""
    return " ".join(w for w in _SPLIT_RE.split(phrase.strip().lower()) if w)


def regular_plural(word: str) -> str | None:
    """The regular English plural of a (lowercased) word, or None when none should be formed."""
    if len(word) < 2 or not word.isalpha():
        return None
    if word.endswith(("ss", "sh", "ch", "x")):
        return word + "es"
    if word.endswith("s"):
        return None
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def plural_phrase(words: Sequence[str]) -> list[str] | None:
    """``words`` with the last word made plural, or None."""
    if not words:
        return None
    pl = regular_plural(words[-1])
    return None if pl is None else [*words[:-1], pl]


# ---------------------------------------------------------------------------------------------
# Dates


def parse_day(text: str) -> int:
    """``YYMMDD`` or ``YYYYMMDD`` (extra trailing digits ignored) → ``YYYYMMDD`` integer.

    Raises ValueError for anything else. A day beyond the month's end becomes the last day.
    """
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    elif len(text) >= 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    else:
        raise ValueError(f"date {text!r} is neither YYMMDD nor YYYYMMDD")
    if not 1 <= month <= 12 or day < 1 or day > 31 or year < 1:
        raise ValueError(f"date {text!r} is not a valid date")
    day = min(day, calendar.monthrange(year, month)[1])
    return year * 10000 + month * 100 + day


@dataclass(frozen=True)
class CodeRule:
    """One code of an actor entry: a default (``start == MIN_DAY`` and ``end == MAX_DAY`` and
    ``default``) or a date restriction (inclusive ``YYYYMMDD`` bounds)."""

    code: str  # "" for a null code
    start: int = MIN_DAY
    end: int = MAX_DAY
    default: bool = False


def parse_code_group(text: str) -> CodeRule:
    """Parse the inside of one ``[...]`` group of an actor file. Raises ValueError."""
    body = text.strip()
    if not body:
        raise ValueError("empty code group []")
    m = re.match(r"^(\S+)\s*(.*)$", body)
    assert m is not None
    code, rest = m.group(1), m.group(2).strip()
    # a restriction glued to the code: "[HOB<950601]"
    for sym in ("<", ">"):
        if sym in code:
            code, tail = code.split(sym, 1)
            rest = (sym + tail + " " + rest).strip()
    code = _norm_code(code)
    if not rest:
        return CodeRule(code, default=True)
    if rest[0] in "<>":
        m2 = _DATE_RE.search(rest)
        if m2 is None:
            raise ValueError(f"no date in restriction {body!r}")
        day = parse_day(m2.group(0))
        if rest[0] == "<":
            return CodeRule(code, MIN_DAY, day)
        return CodeRule(code, day, MAX_DAY)
    m3 = re.match(r"^(\d+)\s*-\s*(\d+)\s*$", rest)
    if m3 is None:
        raise ValueError(f"cannot read date restriction {body!r}")
    start, end = parse_day(m3.group(1)), parse_day(m3.group(2))
    if end < start:
        raise ValueError(f"end date before start date in {body!r}")
    return CodeRule(code, start, end)


def _norm_code(code: str) -> str:
    code = code.strip().upper()
    if not any(c.isalpha() for c in code):
        return ""  # null code: ---, +++, ###
    if not _CODE_RE.match(code):
        raise ValueError(f"malformed code {code!r}")
    return code


# ---------------------------------------------------------------------------------------------
# Reading lines


def read_lines(path: Path) -> list[str]:
    """The lines of a dictionary file (UTF-8, Latin-1 as fallback). Raises KnowledgeError."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read dictionary file ({exc.strerror or exc})") from exc
    if b"\x00" in data[:4096]:
        raise KnowledgeError(f"{path}: not a text dictionary file (binary content)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.splitlines()


def content_lines(path: Path) -> Iterator[tuple[int, str, str]]:
    """``(line_number, raw_line, content)`` for the non-comment lines of a file.

    ``content`` has comments removed and trailing blanks stripped; its leading blanks are kept
    (actor files use indentation for code lines).
    """
    in_block = False
    for no, raw in enumerate(read_lines(path), start=1):
        line = raw
        stripped = line.strip()
        if in_block:
            if "-->" in line:
                in_block = False
            continue
        if stripped.startswith("<!"):
            if stripped.startswith("<!--") and "-->" not in stripped:
                in_block = True
            continue
        for mark in ("#", ";"):
            k = line.find(mark)
            if k >= 0:
                line = line[:k]
        line = line.rstrip()
        if not line.strip():
            continue
        yield no, raw, line


# ---------------------------------------------------------------------------------------------
# Actor files


@dataclass
class RawActorEntry:
    """One actor entry as read from a file."""

    name: str  # readable form of the first phrase
    source: str  # "file:line" of the first phrase
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    plurals: list[tuple[str, ...]] = field(default_factory=list)
    rules: list[CodeRule] = field(default_factory=list)


def _split_phrase_and_codes(
    text: str, where: str, warnings: list[str]
) -> tuple[str | None, list[str]]:
    k = text.find("[")
    if k < 0:
        if "]" in text:
            warnings.append(f"{where}: stray ']' in {text.strip()!r}; line skipped")
            return None, []
        return text, []
    phrase, rest = text[:k], text[k:]
    groups = _BRACKET_RE.findall(rest)
    leftover = _BRACKET_RE.sub("", rest).strip()
    if leftover:
        warnings.append(f"{where}: unbalanced or stray text in code part {rest.strip()!r}")
    return phrase, groups


def read_actor_file(path: Path) -> tuple[list[RawActorEntry], list[str]]:
    """Parse one PETRARCH-format actor file into entries (and warnings)."""
    path = Path(path)
    fname = path.name
    warnings: list[str] = []
    entries: list[RawActorEntry] = []
    cur: RawActorEntry | None = None

    def add_rules(groups: list[str], where: str) -> None:
        assert cur is not None
        for g in groups:
            try:
                cur.rules.append(parse_code_group(g))
            except ValueError as exc:
                warnings.append(f"{where}: {exc}; code skipped")

    def add_phrase(text: str, where: str) -> bool:
        assert cur is not None
        words = phrase_words(text)
        if not words:
            warnings.append(f"{where}: empty phrase; line skipped")
            return False
        cur.phrases.append(tuple(words))
        if not text.rstrip().endswith("_"):
            pl = plural_phrase(words)
            if pl is not None:
                cur.plurals.append(tuple(pl))
        return True

    for no, _raw, line in content_lines(path):
        where = f"{fname}:{no}"
        body = line.strip()
        if body.startswith("["):  # code line (normally indented with a tab)
            if cur is None:
                warnings.append(f"{where}: code line before any actor phrase; line skipped")
                continue
            _phrase, groups = _split_phrase_and_codes(body, where, warnings)
            add_rules(groups, where)
            continue
        if body.startswith("+"):
            if cur is None:
                warnings.append(f"{where}: synonym before any primary phrase; line skipped")
                continue
            phrase, groups = _split_phrase_and_codes(body[1:], where, warnings)
            if phrase is not None and add_phrase(phrase, where):
                add_rules(groups, where)
            continue
        if line[:1].isspace() and not body.startswith("+"):
            # an indented line that is not a code line: PETRARCH would read it as a phrase;
            # accept it as a primary phrase but say so
            warnings.append(f"{where}: indented line is not a code line; read as a phrase")
        phrase, groups = _split_phrase_and_codes(body, where, warnings)
        if phrase is None:
            continue
        if not phrase_words(phrase):
            warnings.append(f"{where}: no phrase before the code; line skipped")
            continue
        if cur is not None and not cur.rules:
            # PETRARCH: a primary phrase that follows an entry with no code yet joins it
            if add_phrase(phrase, where):
                add_rules(groups, where)
            continue
        if cur is not None:
            entries.append(cur)
        cur = RawActorEntry(name=readable(phrase.strip().rstrip("_")), source=where)
        if add_phrase(phrase, where):
            add_rules(groups, where)
    if cur is not None:
        if cur.rules:
            entries.append(cur)
        else:
            warnings.append(f"{cur.source}: actor entry has no code; entry skipped")
    return entries, warnings


# ---------------------------------------------------------------------------------------------
# Agent files


@dataclass(frozen=True)
class RawAgent:
    words: tuple[str, ...]
    code: str  # sector code(s) without "~"
    prefix: bool  # True for "CODE~": the code goes before the actor code
    source: str
    generated: bool = False  # an automatic plural


def _parse_agent_code(text: str) -> tuple[str, bool]:
    body = text.strip().replace(" ", "")
    if body.startswith("~"):
        code, prefix = body[1:], False
    elif body.endswith("~"):
        code, prefix = body[:-1], True
    else:
        raise ValueError(f"agent code {text.strip()!r} has no '~'")
    code = code.upper()
    if not code or not _CODE_RE.match(code):
        raise ValueError(f"malformed agent code {text.strip()!r}")
    return code, prefix


def read_agent_file(path: Path) -> tuple[list[RawAgent], list[str]]:
    """Parse one PETRARCH-format agent file (and warnings)."""
    path = Path(path)
    fname = path.name
    warnings: list[str] = []
    agents: list[RawAgent] = []
    markers: dict[str, list[str]] = {}
    for no, _raw, line in content_lines(path):
        where = f"{fname}:{no}"
        body = line.strip()
        mdef = _MARKER_DEF_RE.match(body)
        if mdef:
            items = [i.strip() for i in mdef.group(2).split(",") if i.strip()]
            if not items:
                warnings.append(f"{where}: empty substitution set !{mdef.group(1)}!")
                continue
            markers[mdef.group(1).upper()] = items
            continue
        k = body.find("[")
        if k < 0 or "]" not in body[k:]:
            warnings.append(f"{where}: agent line has no [code]; line skipped")
            continue
        code_text = body[k + 1 : body.index("]", k)]
        head = body[:k]
        try:
            code, prefix = _parse_agent_code(code_text)
        except ValueError as exc:
            warnings.append(f"{where}: {exc}; line skipped")
            continue
        plurals_given: list[str] | None = None
        b = head.find("{")
        if b >= 0:
            e = head.find("}", b)
            if e < 0:
                warnings.append(f"{where}: unclosed '{{'; line skipped")
                continue
            plurals_given = head[b + 1 : e].split()
            head = head[:b] + head[e + 1 :]
        phrase = head.strip()
        if not phrase:
            warnings.append(f"{where}: agent line has no phrase; line skipped")
            continue
        if "!" in phrase:
            names = _MARKER_RE.findall(phrase)
            if not names or phrase.count("!") % 2:
                warnings.append(f"{where}: malformed substitution marker in {phrase!r}; line skipped")
                continue
            missing = [n for n in names if n.upper() not in markers]
            if missing:
                warnings.append(f"{where}: substitution set !{missing[0]}! is not defined; line skipped")
                continue
            variants = [phrase]
            while any("!" in v for v in variants):
                nxt: list[str] = []
                for v in variants:
                    m = _MARKER_RE.search(v)
                    if m is None:
                        nxt.append(v)
                        continue
                    for item in markers[m.group(1).upper()]:
                        nxt.append(v[: m.start()] + item + v[m.end() :])
                variants = nxt
            for v in variants:
                words = phrase_words(v)
                if words:
                    agents.append(RawAgent(tuple(words), code, prefix, where))
            continue
        words = phrase_words(phrase)
        if not words:
            warnings.append(f"{where}: empty agent phrase; line skipped")
            continue
        agents.append(RawAgent(tuple(words), code, prefix, where))
        if plurals_given is None:
            if not phrase.endswith("_"):
                pl = plural_phrase(words)
                if pl is not None:
                    agents.append(RawAgent(tuple(pl), code, prefix, where, generated=True))
        else:
            for form in plurals_given:
                pw = phrase_words(form)
                if pw:
                    agents.append(RawAgent(tuple(pw), code, prefix, where))
    return agents, warnings


# ---------------------------------------------------------------------------------------------
# Discard files


@dataclass(frozen=True)
class RawDiscard:
    words: tuple[str, ...]
    story: bool  # "+PHRASE": discard the whole story
    stem: bool  # no trailing "_": the last word is a prefix
    source: str


def read_discard_file(path: Path) -> tuple[list[RawDiscard], list[str]]:
    """Parse one PETRARCH-format discard file (and warnings)."""
    path = Path(path)
    fname = path.name
    warnings: list[str] = []
    out: list[RawDiscard] = []
    for no, _raw, line in content_lines(path):
        where = f"{fname}:{no}"
        body = line.strip()
        story = body.startswith("+")
        if story:
            body = body[1:].strip()
        if "[" in body or "]" in body:
            warnings.append(f"{where}: discard phrases take no code; line skipped")
            continue
        words = phrase_words(body)
        if not words:
            warnings.append(f"{where}: empty discard phrase; line skipped")
            continue
        out.append(RawDiscard(tuple(words), story, not body.endswith("_"), where))
    return out, warnings
