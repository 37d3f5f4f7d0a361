"""Direct quotes and who said them.

``find_quotes(doc, resolve)`` finds the stretches of an article inside quotation marks (straight
and curly, double and single), finds the speech cue that frames each one (``said``, ``told
reporters``, ``according to``, ``warned``...) and the speaker (a name, a role, or a pronoun
resolved to the most recent compatible mention), and codes the speaker with ``resolve``.

Conventions (see ``docs/quotes.md``):

* one ``Quote`` per quoted stretch: a split quote (``"…," he said. "…"``) gives two records with
  the same speaker; a quote running over several paragraphs gives one record per paragraph;
* ``start``/``end`` cover the quoted words without the marks, surrounding spaces or a trailing
  comma; ``cue`` is the cue verb or phrase;
* quoted stretches of 1-3 words with no speech cue next to them (scare quotes) and short
  title-case stretches with no cue (names of works, nicknames) are skipped;
* unbalanced marks never raise: an unclosed quote ends at the next opening mark, the paragraph
  end or after a few sentences, whichever comes first;
* paragraphs are separated by blank lines; a text without blank lines has one paragraph per
  line unless it is hard-wrapped (a line ending mid-sentence is continued by a lower-case word),
  and then a line break is only whitespace unless the line before ends a sentence and has room
  for the next word, or is short (a heading) -- see ``_paragraphs``.

The knowledge (cue verbs, role nouns, pronoun classes, gender markers) is in
``knowledge/data/quote_cues.json``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from tidings.docview import doc_view
from tidings.model import Actor, Quote, Speaker
from tidings.nlp import doc_text

SpeakerResolver = Callable[[Span], Actor | None]

DATA_FILE = Path(__file__).resolve().parent / "knowledge" / "data" / "quote_cues.json"

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_STRAIGHT_DOUBLE = '"'
_OPEN_SINGLE = "‘"
_CLOSE_SINGLE = "’"
_STRAIGHT_SINGLE = "'"
_SPACE_BEFORE = "([{—–-/"
_PUNCT_AFTER = ",.;:!?)]…—–-"
_DOUBLE_MARKS = re.compile(f"[{re.escape(_OPEN_DOUBLE + _CLOSE_DOUBLE + _STRAIGHT_DOUBLE)}]")
_SINGLE_MARKS = re.compile(f"[{re.escape(_OPEN_SINGLE + _CLOSE_SINGLE + _STRAIGHT_SINGLE)}]")
_SENT_END = re.compile(r"[.!?…][\"'”’»)]*\s+")
_BLANK_LINE = re.compile(r"\n\s*\n")
_LINE_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*$")
_WRAP_SHORT_LINE = 0.5  # in a hard-wrapped text, a line under half the widest one ends there
_WORD = re.compile(r"[\w][\w'’.-]*")
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_CLIMB_DEPS = ("advcl", "xcomp", "conj", "ccomp", "relcl", "acl", "pcomp", "prep")
_NP_RIGHT_DEPS = ("compound", "flat", "nummod", "amod", "prep", "poss", "case")
_NP_PREPS = ("of", "for", "at", "from", "in", "on")


@dataclass(frozen=True)
class QuoteKnowledge:
    cue_verbs: frozenset[str]
    cue_preps: dict[str, str]
    relative_pronouns: frozenset[str]
    role_nouns: frozenset[str]
    org_nouns: frozenset[str]
    pronouns: dict[str, str]
    female_markers: frozenset[str]
    male_markers: frozenset[str]
    title_small_words: frozenset[str]
    term_markers: tuple[str, ...]
    scare_max_words: int
    title_max_words: int
    unclosed_max_sentences: int
    frame_max_tokens_before: int
    frame_max_tokens_after: int


@functools.lru_cache(maxsize=4)
def load_knowledge(path: str | None = None) -> QuoteKnowledge:
    """Load the cue and speaker knowledge (the packaged file unless ``path`` is given)."""
    raw: dict[str, Any] = json.loads(Path(path or DATA_FILE).read_text(encoding="utf-8"))

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in raw.get(key, []))

    return QuoteKnowledge(
        cue_verbs=words("cue_verbs"),
        cue_preps={str(k).lower(): str(v).lower() for k, v in raw.get("cue_preps", {}).items()},
        relative_pronouns=words("relative_pronouns"),
        role_nouns=words("role_nouns"),
        org_nouns=words("org_nouns"),
        pronouns={str(k).lower(): str(v) for k, v in raw.get("pronouns", {}).items()},
        female_markers=words("female_markers"),
        male_markers=words("male_markers"),
        title_small_words=words("title_small_words"),
        term_markers=tuple(str(w).lower() for w in raw.get("term_markers", [])),
        scare_max_words=int(raw.get("scare_max_words", 3)),
        title_max_words=int(raw.get("title_max_words", 8)),
        unclosed_max_sentences=int(raw.get("unclosed_max_sentences", 3)),
        frame_max_tokens_before=int(raw.get("frame_max_tokens_before", 40)),
        frame_max_tokens_after=int(raw.get("frame_max_tokens_after", 25)),
    )


# ---------------------------------------------------------------------------------------------
# Quote marks → quoted stretches
# ---------------------------------------------------------------------------------------------


@dataclass
class _Stretch:
    open_pos: int  # offset of the opening mark
    close_pos: int  # offset of the closing mark, or -1 when unclosed
    start: int  # quoted words
    end: int
    para: int
    para_end: int


@dataclass
class _Found:
    stretch: _Stretch
    speaker: Span | None = None  # the mention in the frame (may be a pronoun)
    cue: Token | None = None
    cue_text: str | None = None
    how: str | None = None  # "after", "before", "split", "continued", "previous", "next"
    extra: dict[str, Any] = field(default_factory=dict)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank-line paragraphs, else lines, else reflowed hard-wrapped lines.

    In a text without blank lines, every line break is a paragraph break unless the text is
    hard-wrapped: some line ends mid-sentence and the next begins with a lower-case word. In a
    hard-wrapped text a line break is a paragraph break only where the line before is short
    (under half the widest line: a heading, a paragraph's last line) or ends a sentence
    (``. ! ? …``, maybe followed by closing quotes or brackets) with room left for the next
    line's first word; elsewhere it is plain whitespace inside the paragraph.
    """
    if _BLANK_LINE.search(text):
        seps = [(m.start(), m.end()) for m in _BLANK_LINE.finditer(text)]
    else:
        seps = _line_breaks(text)
    out: list[tuple[int, int]] = []
    pos = 0
    for a, b in seps:
        out.append((pos, a))
        pos = b
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if b > a]


def _line_breaks(text: str) -> list[tuple[int, int]]:
    """The newlines of a text without blank lines that end a paragraph (see ``_paragraphs``)."""
    lines: list[tuple[int, int]] = []  # (start, offset of its newline or the text end)
    pos = 0
    while True:
        nl = text.find("\n", pos)
        lines.append((pos, nl if nl >= 0 else len(text)))
        if nl < 0:
            break
        pos = nl + 1
    if len(lines) < 2:
        return []
    body = [text[a:b].strip() for a, b in lines]
    ends = [bool(_LINE_ENDS_SENTENCE.search(line)) for line in body]
    wrapped = any(not ends[k] and body[k] and body[k + 1][:1].islower()
                  for k in range(len(lines) - 1))
    if not wrapped:
        return [(b, b + 1) for _, b in lines[:-1]]
    width = max(len(line) for line in body)
    out: list[tuple[int, int]] = []
    for k in range(len(lines) - 1):
        line, nxt = body[k], body[k + 1]
        first = nxt.split(maxsplit=1)[0] if nxt else ""
        continued = not ends[k] and first[:1].islower()
        short = len(line) < _WRAP_SHORT_LINE * width
        room = len(line) + 1 + len(first) <= width
        if not continued and (short or (ends[k] and room)):
            b = lines[k][1]
            out.append((b, b + 1))
    return out


def _side(text: str, i: int) -> tuple[bool, bool, str]:
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prev_open = prev == "" or prev.isspace() or prev in _SPACE_BEFORE
    next_open = nxt == "" or nxt.isspace() or nxt in _PUNCT_AFTER
    return prev_open, next_open, nxt


def _double_kind(text: str, i: int) -> str:
    ch = text[i]
    if ch in _OPEN_DOUBLE:
        return "open"
    if ch in _CLOSE_DOUBLE:
        return "close"
    prev_open, next_open, _ = _side(text, i)
    if prev_open and not next_open:
        return "open"
    if next_open and not prev_open:
        return "close"
    return "ambig"


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] == ","):
        b -= 1
    return a, b


def _cap_unclosed(text: str, start: int, limit: int, max_sentences: int) -> int:
    n = 0
    for m in _SENT_END.finditer(text, start, limit):
        n += 1
        if n >= max_sentences:
            return m.start() + 1
    return limit


def _stretches(text: str, kn: QuoteKnowledge,
               paras: list[tuple[int, int]]) -> list[_Stretch]:
    out: list[_Stretch] = []
    for p_index, (pa, pb) in enumerate(paras):
        marks = [m.start() for m in _DOUBLE_MARKS.finditer(text, pa, pb)]
        pairs: list[tuple[int, int, int]] = []  # opening mark, closing mark or -1, limit
        opened: int | None = None
        for i in marks:
            kind = _double_kind(text, i)
            if opened is None:
                if kind != "close":
                    opened = i
            elif kind in ("close", "ambig"):
                pairs.append((opened, i, i))
                opened = None
            else:  # a new opening mark while one is open: the first was never closed
                pairs.append((opened, -1, i))
                opened = i
        if opened is not None:
            pairs.append((opened, -1, pb))
        doubles: list[_Stretch] = []
        for o, c, limit in pairs:
            end = c if c >= 0 else _cap_unclosed(text, o + 1, limit, kn.unclosed_max_sentences)
            a, b = _trim(text, o + 1, end)
            if b > a:
                doubles.append(_Stretch(o, c, a, b, p_index, pb))
        out.extend(doubles)
        out.extend(_single_stretches(text, pa, pb, doubles, p_index))
    out.sort(key=lambda s: s.start)
    return out


def _single_stretches(text: str, pa: int, pb: int, doubles: list[_Stretch],
                      p_index: int) -> list[_Stretch]:
    """Balanced single-quoted stretches outside double-quoted ones (nested ones stay inside)."""
    covered = [(d.open_pos, d.close_pos if d.close_pos >= 0 else d.end) for d in doubles]
    out: list[_Stretch] = []
    opened: int | None = None
    for m in _SINGLE_MARKS.finditer(text, pa, pb):
        i = m.start()
        ch = text[i]
        if any(a <= i <= b for a, b in covered):
            opened = None
            continue
        prev_open, next_open, nxt = _side(text, i)
        can_open = ch != _CLOSE_SINGLE and prev_open and nxt.isalnum()
        can_close = ch != _OPEN_SINGLE and not prev_open and next_open
        if opened is not None and can_close:
            a, b = _trim(text, opened + 1, i)
            if b > a:
                out.append(_Stretch(opened, i, a, b, p_index, pb))
            opened = None
        elif can_open:
            opened = i
    return out


# ---------------------------------------------------------------------------------------------
# Frames, cues and speakers
# ---------------------------------------------------------------------------------------------


class _Article:
    """Per-document indexes built once for all its quotes."""

    def __init__(self, doc: Doc, kn: QuoteKnowledge, stretches: list[_Stretch],
                 paras: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.kn = kn
        self.stretches = stretches
        self.paras = paras
        # paragraphs of several lines (blank-line separated or reflowed from hard wrapping)
        self.multiline_paras = bool(_BLANK_LINE.search(self.text)) or any(
            "\n" in self.text[a:b] for a, b in paras)
        self.in_quote = [False] * len(doc)
        self.quote_of_token = [-1] * len(doc)
        for q_index, s in enumerate(stretches):
            lo = s.open_pos
            hi = s.close_pos if s.close_pos >= 0 else s.end
            span = doc.char_span(lo, hi + 1 if s.close_pos >= 0 else hi, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.in_quote[t.i] = True
                self.quote_of_token[t.i] = q_index
        self._candidates: list[tuple[Span, str]] | None = None
        self._longest: dict[str, str] | None = None

    # -- frames -----------------------------------------------------------------------------

    def _token_at(self, char: int) -> int:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None else len(self.doc)

    def frame_after(self, s: _Stretch) -> list[Token]:
        if s.close_pos < 0:
            return []
        doc = self.doc
        i = self._token_at(s.close_pos)
        out: list[Token] = []
        while i < len(doc) and len(out) < self.kn.frame_max_tokens_after:
            t = doc[i]
            if t.idx >= s.para_end:
                break
            if t.idx > s.close_pos and self.in_quote[i]:
                break
            if t.idx > s.close_pos:
                if t.text in (".", "!", "?", "…"):
                    break
                if not t.is_punct:
                    out.append(t)
            i += 1
        return out

    def frame_before(self, s: _Stretch) -> list[Token]:
        doc = self.doc
        i = self._token_at(s.open_pos) - 1
        para_start = self.paras[s.para][0]
        out: list[Token] = []
        while i >= 0 and len(out) < self.kn.frame_max_tokens_before:
            t = doc[i]
            if t.idx < para_start:
                break
            if self.in_quote[i]:
                q = self.stretches[self.quote_of_token[i]]
                if q.close_pos < 0 or self.text[q.start:q.end].rstrip()[-1:] in ".!?…":
                    break
                i -= 1
                continue
            if t.text in (".", "!", "?", "…"):
                break
            if not t.is_punct:
                out.append(t)
            i -= 1
        out.reverse()
        return out

    # -- cues -------------------------------------------------------------------------------

    def is_cue(self, t: Token) -> bool:
        low = t.lower_
        if low in self.kn.cue_preps:
            return any(c.lower_ == self.kn.cue_preps[low] for c in t.children) or (
                t.i + 1 < len(self.doc) and self.doc[t.i + 1].lower_ == self.kn.cue_preps[low])
        return t.tag_.startswith("VB") and t.lemma_.lower() in self.kn.cue_verbs

    def cue_text(self, t: Token) -> str:
        low = t.lower_
        if low in self.kn.cue_preps:
            return f"{t.text} {self.kn.cue_preps[low]}"
        parts = [t]
        for c in t.children:
            if c.dep_ == "prt" or (c.dep_ == "dobj" and c.lemma_.lower() in ("reporter", "journalist")):
                parts.append(c)
            if c.dep_ == "prep" and c.lower_ == "in":
                obj = [g for g in c.children if g.dep_ == "pobj"]
                if obj and obj[0].lemma_.lower() in ("statement", "post", "interview", "letter"):
                    parts.extend([c, *obj[0].subtree])
        parts.sort(key=lambda x: x.i)
        a, b = parts[0].i, parts[-1].i + 1
        if b - a > 8:
            return t.text
        return self.doc[a:b].text

    def subject(self, verb: Token, frame: list[Token]) -> Span | None:
        """The speaker mention for a cue token: its subject, climbing to governing verbs."""
        low = verb.lower_
        if low in self.kn.cue_preps:
            want = self.kn.cue_preps[low]
            preps = [c for c in verb.children if c.lower_ == want]
            if not preps and verb.i + 1 < len(self.doc):
                preps = [self.doc[verb.i + 1]]
            for p in preps:
                for c in p.children:
                    if c.dep_ == "pobj" and not self.in_quote[c.i]:
                        return self.np_span(c)
            return self._surface_subject(verb, frame, after_only=True)
        for c in verb.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj" and not self.in_quote[g.i]:
                        return self.np_span(g)
        v: Token | None = verb
        for _ in range(4):
            if v is None:
                break
            for c in v.children:
                if c.dep_ == "nsubj" and not self.in_quote[c.i]:
                    if c.lower_ in self.kn.relative_pronouns and v.dep_ == "relcl":
                        return self.np_span(v.head)
                    return self.np_span(c)
            if v.dep_ in _CLIMB_DEPS and v.head.i != v.i and not self.in_quote[v.head.i]:
                v = v.head
            else:
                v = None
        return self._surface_subject(verb, frame)

    def _surface_subject(self, verb: Token, frame: list[Token],
                         after_only: bool = False) -> Span | None:
        """Parse-independent fallback: the nominal right after the cue, or right before it."""
        in_frame = {t.i for t in frame}
        j = verb.i + 1
        while j in in_frame and self.doc[j].pos_ in ("DET", "ADJ", "ADV") and j - verb.i < 4:
            j += 1
        if j in in_frame and self.doc[j].pos_ in ("PROPN", "NOUN", "PRON"):
            return self.np_span(self._np_head(self.doc[j]))
        if after_only:
            return None
        j = verb.i - 1
        while j in in_frame and self.doc[j].pos_ in ("ADV", "AUX", "PART"):
            j -= 1
        if j in in_frame and self.doc[j].pos_ in ("PROPN", "NOUN", "PRON"):
            return self.np_span(self._np_head(self.doc[j]))
        return None

    def _np_head(self, t: Token) -> Token:
        while t.dep_ in ("compound", "flat", "amod", "det", "poss") and t.head.i != t.i \
                and abs(t.head.i - t.i) <= 4:
            t = t.head
        return t

    def np_span(self, head: Token) -> Span:
        if head.pos_ == "PRON":
            return self.doc[head.i:head.i + 1]
        keep = [head]
        for c in head.lefts:
            if c.dep_ in ("punct", "cc", "preconj") or self.in_quote[c.i]:
                continue
            keep.extend(t for t in c.subtree if not self.in_quote[t.i])
        for c in head.rights:
            if c.dep_ not in _NP_RIGHT_DEPS or self.in_quote[c.i]:
                break
            if c.dep_ == "prep" and c.lower_ not in _NP_PREPS:
                break
            keep.extend(c.subtree)
        keep = [t for t in keep if not self.in_quote[t.i]]
        a = min(t.i for t in keep)
        b = max(t.i for t in keep) + 1
        while a < head.i and (self.doc[a].is_punct or self.doc[a].dep_ == "cc"):
            a += 1
        while b - 1 > head.i and self.doc[b - 1].is_punct:
            b -= 1
        if any(self.in_quote[i] for i in range(a, b)):
            a = b = head.i
            b += 1
        return self.doc[a:b]

    # -- pronouns ---------------------------------------------------------------------------

    def pronoun_class(self, span: Span) -> str | None:
        if len(span) != 1:
            return None
        return self.kn.pronouns.get(span[0].lower_)

    def candidates(self) -> list[tuple[Span, str]]:
        """Earlier mentions a pronoun can refer to: persons, roles, organisations."""
        if self._candidates is not None:
            return self._candidates
        doc = self.doc
        cands: list[tuple[Span, str]] = []
        for ent in doc_view(doc).ents():
            if any(self.in_quote[t.i] for t in ent):
                continue
            if ent.label_ == "PERSON":
                cands.append((ent, self._gender(ent)))
            elif ent.label_ in ("ORG", "NORP", "GPE"):
                cands.append((ent, "org"))
        for chunk in doc_view(doc).noun_chunks():
            root = chunk.root
            if self.in_quote[root.i] or root.pos_ == "PRON":
                continue
            lemma = root.lemma_.lower()
            if root.pos_ == "PROPN":
                if root.ent_type_ == "" and root.dep_ in _SUBJECT_DEPS:
                    cands.append((chunk, "org"))
                continue
            if lemma in self.kn.org_nouns and root.tag_ in ("NN", "NNP"):
                cands.append((chunk, "org"))
            elif lemma in self.kn.role_nouns or lemma in self.kn.org_nouns:
                plural = root.tag_ in ("NNS", "NNPS") or lemma in ("people", "police")
                cands.append((chunk, "plural" if plural else self._gender(chunk)))
        cands.sort(key=lambda c: (c[0].start_char, -c[0].end_char))
        self._candidates = cands
        return cands

    def _gender(self, span: Span) -> str:
        a = max(span.start - 2, 0)
        words = {t.lower_ for t in self.doc[a:span.end]}
        if words & self.kn.female_markers:
            return "female"
        if words & self.kn.male_markers:
            return "male"
        return "person"

    def antecedent(self, pron: Span, preferred: list[Span]) -> Span | None:
        """Most recent compatible mention before ``pron``; a subject wins within a sentence."""
        cls = self.pronoun_class(pron)
        if cls is None:
            return None

        def ok(kind: str) -> bool:
            if cls in ("male", "female"):
                return kind in (cls, "person")
            if cls == "plural":
                return kind in ("plural", "org")
            return kind == "org"

        pool = [(sp, kind) for sp, kind in self.candidates()
                if sp.end_char <= pron.start_char and ok(kind)]
        pool.extend((sp, "speaker") for sp in preferred
                    if sp.end_char <= pron.start_char and self.pronoun_class(sp) is None
                    and (cls != "org" or not _has_person(sp))
                    and (cls not in ("male", "female") or self._personal(sp)))
        if not pool:
            return None
        last_sent = max(pool, key=lambda c: c[0].end_char)[0].sent.start
        same = [c for c in pool if c[0].sent.start == last_sent]
        subjects = [c for c in same if c[0].root.dep_ in _SUBJECT_DEPS]
        best = max(subjects or same, key=lambda c: (c[0].end_char, len(c[0])))[0]
        return best

    def _personal(self, span: Span) -> bool:
        """A mention that can be a person: a name or a role noun."""
        root = span.root
        return _has_person(span) or root.pos_ == "PROPN" or (
            root.lemma_.lower() in self.kn.role_nouns
            and root.lemma_.lower() not in self.kn.org_nouns)

    def canonical_name(self, span: Span) -> str:
        persons = [e for e in span.ents if e.label_ == "PERSON"]
        if not persons:
            return span.text
        last = _last_word(persons[-1].text)
        best = persons[-1].text
        longest = self._longest
        if longest is None:
            # the first longest PERSON entity of the article by its last word
            longest = {}
            for ent in doc_view(self.doc).ents():
                if ent.label_ == "PERSON":
                    text = ent.text
                    key = _last_word(text)
                    known = longest.get(key)
                    if known is None or len(text) > len(known):
                        longest[key] = text
            self._longest = longest
        top = longest.get(last)
        if top is not None and len(top) > len(best):
            best = top
        return best


def _has_person(span: Span) -> bool:
    return any(e.label_ == "PERSON" for e in span.ents)


def _last_word(text: str) -> str:
    words = _WORD.findall(text)
    if not words:
        return text.strip().lower()
    w = words[-1].lower()
    for suffix in ("'s", "’s"):
        if w.endswith(suffix):
            w = w[: -len(suffix)]
    return w.strip(".'’")


def _marked_as_term(text: str, open_pos: int, kn: QuoteKnowledge) -> bool:
    """``so-called "x"``, ``dubbed a "x"``: a quoted name or term, not a quotation."""
    before = text[max(0, open_pos - 40):open_pos].lower()
    words = _WORD.findall(before)[-3:]
    tail = " ".join(words)
    return any(f" {m} " in f" {tail} " for m in kn.term_markers)


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _title_like(text: str, kn: QuoteKnowledge) -> bool:
    words = _WORD.findall(text)
    if not words or len(words) > kn.title_max_words or text.rstrip()[-1:] in ".!?":
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in kn.title_small_words
               for w in words)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def _first_cue(art: _Article, frame: list[Token], last: bool,
               quote: list[Token] | None = None) -> Token | None:
    """The nearest cue in a frame; before a quote, the outermost cue governing it wins."""
    cues = [t for t in frame if art.is_cue(t)]
    if not cues:
        return None
    if quote:
        governing = [c for c in cues if any(c.is_ancestor(q) for q in quote)]
        if governing:
            return min(governing, key=lambda c: (_depth(c), -c.i))
    return cues[-1] if last else cues[0]


def _depth(t: Token) -> int:
    d = 0
    while t.head.i != t.i and d < 50:
        t, d = t.head, d + 1
    return d


def _after_is_attribution(art: _Article, s: _Stretch, cue: Token) -> bool:
    """A cue after a quote that ends a sentence attributes it only if it takes no new clause."""
    text = art.text
    tail = text[s.start:s.end].rstrip()
    if not tail or tail[-1] not in ".!?…":
        return True
    # the quote ended its sentence: the cue must be the main verb of a short "X said." sentence
    if cue.dep_ != "ROOT" and not (cue.head.dep_ == "ROOT" and cue.dep_ == "conj"):
        return False
    if text[s.close_pos + 1:cue.idx].strip(" ,") and art.doc[cue.i - 1].pos_ not in (
            "PROPN", "NOUN", "PRON"):
        return False
    return not any(c.dep_ in ("ccomp", "xcomp") and c.i > cue.i and not art.in_quote[c.i]
                   for c in cue.children)


def _gap_breaks(text: str, a: int, b: int) -> int:
    return len(_SENT_END.findall(text, a, b))


def _locate(art: _Article, found: list[_Found]) -> None:
    text = art.text
    for k, f in enumerate(found):
        s = f.stretch
        after = art.frame_after(s)
        before = art.frame_before(s)
        tail = text[s.start:s.end]
        ends_comma = s.close_pos >= 0 and (
            text[s.end:s.close_pos + 1].strip().startswith(",")
            or text[s.close_pos + 1:s.close_pos + 2] == ","
            or tail.rstrip()[-1:] in "?!—-")
        order = [("after", after, False), ("before", before, True)]
        if not ends_comma:
            order.reverse()
        span = art.doc.char_span(s.start, s.end, alignment_mode="expand")
        inside = list(span) if span is not None else []
        for how, frame, last in order:
            cue = _first_cue(art, frame, last, inside if how == "before" else None)
            if cue is None:
                continue
            if how == "after" and not _after_is_attribution(art, s, cue):
                continue
            speaker = art.subject(cue, frame)
            if speaker is None:
                continue
            f.speaker, f.cue, f.cue_text, f.how = speaker, cue, art.cue_text(cue), how
            break
        if f.speaker is not None or k == 0:
            continue
        prev = found[k - 1]
        if prev.speaker is None or prev.stretch.para < s.para - 1:
            continue
        gap_a = prev.stretch.close_pos if prev.stretch.close_pos >= 0 else prev.stretch.end
        breaks = _gap_breaks(text, gap_a, s.open_pos + 1)
        if prev.cue is not None and gap_a <= prev.cue.idx < s.open_pos and breaks <= 1:
            f.speaker, f.cue, f.cue_text, f.how = prev.speaker, prev.cue, prev.cue_text, "split"
        elif breaks <= 1 and not before:
            f.speaker, f.cue, f.cue_text = prev.speaker, prev.cue, prev.cue_text
            f.how = "continued"


def _previous_sentence_speaker(art: _Article, f: _Found) -> None:
    """A quote standing alone after a sentence of reported speech belongs to its speaker."""
    s = f.stretch
    if art.frame_before(s):
        return
    doc = art.doc
    i = art._token_at(s.open_pos) - 1
    while i >= 0 and doc[i].is_punct and not art.in_quote[i]:
        i -= 1
    if i < 0 or art.in_quote[i]:
        return
    sent = doc[i].sent
    # with real (multi-line) paragraphs, reported speech in the previous paragraph at most
    if art.multiline_paras and sent.start_char < art.paras[max(s.para - 1, 0)][0]:
        return
    frame = [t for t in sent if not art.in_quote[t.i] and not t.is_punct]
    cue = _first_cue(art, frame, True)
    if cue is None:
        return
    speaker = art.subject(cue, frame)
    if speaker is not None:
        f.speaker, f.cue, f.cue_text, f.how = speaker, cue, art.cue_text(cue), "previous"


def find_quotes(doc: Doc, resolve: SpeakerResolver | None = None) -> list[Quote]:
    """Direct quotes in ``doc`` with their speaker, cue and character offsets into ``doc.text``."""
    kn = load_knowledge()
    text = doc_text(doc)
    paras = _paragraphs(text)
    stretches = _stretches(text, kn, paras)
    if not stretches:
        return []
    art = _Article(doc, kn, stretches, paras)
    found = [_Found(s) for s in stretches]
    _locate(art, found)
    # a paragraph left open continues in the next paragraph's quote: same speaker
    for k in range(len(found) - 2, -1, -1):
        f, nxt = found[k], found[k + 1]
        if (f.speaker is None and f.stretch.close_pos < 0 and nxt.speaker is not None
                and nxt.stretch.para == f.stretch.para + 1):
            f.speaker, f.cue, f.cue_text, f.how = nxt.speaker, nxt.cue, nxt.cue_text, "next"
    for f in found:
        if f.speaker is None:
            _previous_sentence_speaker(art, f)

    quotes: list[Quote] = []
    speakers_so_far: list[Span] = []
    for f in found:
        s = f.stretch
        words = text[s.start:s.end]
        n = _word_count(words)
        if n == 0:
            continue
        direct = f.how in ("after", "before", "split")
        if n <= kn.scare_max_words and not direct:
            continue
        if not direct and _title_like(words, kn):
            continue
        if n <= kn.scare_max_words and _marked_as_term(text, s.open_pos, kn):
            continue
        speaker: Speaker | None = None
        reason: str | None = None
        if f.speaker is not None:
            mention = f.speaker
            if art.pronoun_class(mention) is not None:
                ante = art.antecedent(mention, speakers_so_far)
                if ante is None:
                    reason = f"pronoun {mention.text!r} with no earlier compatible mention"
                mention = ante if ante is not None else mention
            speaker = _speaker(art, mention, resolve) if reason is None else None
            if speaker is not None:
                speakers_so_far.append(mention)
        else:
            reason = "no speech cue or speaker near the quote"
        quotes.append(Quote(start=s.start, end=s.end, text=words, speaker=speaker,
                            cue=f.cue_text, reason=reason))
    return quotes


def _speaker(art: _Article, mention: Span, resolve: SpeakerResolver | None) -> Speaker:
    actor = resolve(mention) if resolve is not None else None
    name = art.canonical_name(mention)
    if actor is not None and actor.name and not _has_person(mention):
        name = actor.name
    return Speaker(text=mention.text, name=name,
                   code=actor.code if actor else None,
                   country=actor.country if actor else None,
                   sector=actor.sector if actor else None,
                   start=mention.start_char, end=mention.end_char)
