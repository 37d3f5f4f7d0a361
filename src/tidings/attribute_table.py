"""A faster attribute ruler, built from the model's own rules.

spaCy's English pipelines map each tagger label to a part of speech and morphology, and fix a
few words, with an attribute ruler: some 180 Matcher patterns run over every token. Almost all
of them look at one token's tag, lowercase form, dependency label or "is space" flag, which a
dictionary lookup answers. :class:`AttributeTable` keeps the ruler's patterns and attributes
as they are, answers the patterns by lookup on their first token and tests on the tokens
after it, and applies the rules in the ruler's order, so each token gets the same attributes
as with the ruler. A pattern it cannot read that way (an operator, another attribute) goes to
a Matcher of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

#: the token attributes a pattern may test to be answered by lookup
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]

# a test on one column of a token: (column, accepted values or a regular expression, negated)
_Test = tuple[int, "frozenset[int] | re.Pattern[str]", bool]
# a pattern: the tests of each of its tokens
_Pattern = list[list[_Test]]


def _value_id(column: int, value: Any) -> int:
    if column == 3:
        return int(bool(value))
    return int(get_string_id(value))


def _tests(spec: dict[str, Any]) -> list[_Test] | None:
    """The column tests of one token's pattern, or None when it needs the Matcher."""
    out: list[_Test] = []
    for key, value in spec.items():
        column = _COLUMNS.get(key)
        if column is None:
            return None
        if isinstance(value, dict):
            if set(value) == {"IN"}:
                out.append((column, frozenset(_value_id(column, v) for v in value["IN"]),
                            False))
            elif set(value) == {"NOT_IN"}:
                out.append((column, frozenset(_value_id(column, v) for v in value["NOT_IN"]),
                            True))
            elif set(value) == {"REGEX"} and column in (0, 1, 2):
                out.append((column, re.compile(value["REGEX"]), False))
            else:
                return None
        elif isinstance(value, str | bool | int):
            if column == 3 and not isinstance(value, bool):
                return None
            out.append((column, frozenset([_value_id(column, value)]), False))
        else:
            return None
    return out


def _required(tests: list[_Test], column: int) -> frozenset[int] | None:
    """The values of ``column`` that ``tests`` accept, when they name them."""
    for c, values, negated in tests:
        if c == column and not negated and isinstance(values, frozenset):
            return values
    return None


class AttributeTable(AttributeRuler):
    """An :class:`~spacy.pipeline.AttributeRuler` that answers its patterns by lookup (see
    the module docstring). It saves and loads like the ruler."""

    def __init__(self, vocab: Any, name: str = "attribute_ruler", *,
                 validate: bool = False) -> None:
        super().__init__(vocab, name, validate=validate)
        self._compiled = False

    def add(self, patterns: Iterable[Any], attrs: dict[str, Any], index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._compiled = False

    def clear(self) -> None:
        super().clear()
        self._compiled = False

    def _compile(self) -> None:
        # patterns keyed by a value their first token requires (its lowercase form, else its
        # tag, dependency label or space flag): (rule, offset of the token the rule sets, tests
        # of each token); the rest are tried on every token
        self._keyed: list[tuple[int, dict[int, list[tuple[int, int, _Pattern]]]]] = [
            (column, {}) for column in (1, 0, 2, 3)]
        self._other: list[tuple[int, int, _Pattern]] = []
        self._long = Matcher(self.vocab, validate=False)
        self._regex: dict[tuple[int, int], bool] = {}
        for rule, entry in enumerate(self.patterns):
            rest: list[Any] = []
            index = self.indices[rule]
            patterns: list[list[dict[str, Any]]] = entry["patterns"]  # type: ignore[assignment]
            for pattern in patterns:
                tests = [_tests(spec) for spec in pattern]
                size = len(pattern)
                if any(t is None for t in tests) or not -size <= index < size:
                    rest.append(pattern)  # operators, other attributes: the Matcher
                    continue
                compiled: _Pattern = [t for t in tests if t is not None]
                item = (rule, index % size, compiled)
                for column, table in self._keyed:
                    keys = _required(compiled[0], column)
                    if keys is not None:
                        for key in keys:
                            table.setdefault(key, []).append(item)
                        break
                else:
                    self._other.append(item)
            if rest:
                self._long.add(str(rule), rest)
        self._merged: dict[tuple[int, ...], dict[Any, Any]] = {}
        self._rules = len(self.attrs)
        self._compiled = True

    def _search(self, regex: re.Pattern[str], key: int, strings: Any) -> bool:
        hit = self._regex.get((id(regex), key))
        if hit is None:
            hit = regex.search(strings[key] if key else "") is not None
            self._regex[(id(regex), key)] = hit
        return hit

    def _attrs_for(self, rules: tuple[int, ...]) -> dict[Any, Any]:
        merged = self._merged.get(rules)
        if merged is None:
            merged = {}
            for rule in rules:  # later rules take precedence, as in the ruler
                merged.update(self.attrs[rule])
            self._merged[rules] = merged
        return merged

    def __call__(self, doc: Doc) -> Doc:
        if not self._compiled or self._rules != len(self.attrs):
            self._compile()
        n = len(doc)
        if n == 0:
            return doc
        rows = doc.to_array(_ARRAY_ATTRS).tolist()
        hits: list[list[int]] = [[] for _ in range(n)]
        (lower, by_lower), (tag, by_tag), (dep, by_dep), (space, by_space) = self._keyed
        other = self._other
        strings = doc.vocab.strings
        for i, row in enumerate(rows):
            for group in (by_lower.get(row[lower]), by_tag.get(row[tag]),
                          by_dep.get(row[dep]), by_space.get(row[space]), other):
                if not group:
                    continue
                for rule, offset, pattern in group:
                    if i + len(pattern) > n:
                        continue
                    for k, tests in enumerate(pattern):
                        values = rows[i + k]
                        for column, accepted, negated in tests:
                            if isinstance(accepted, frozenset):
                                if (values[column] in accepted) == negated:
                                    break
                            elif not self._search(accepted, values[column], strings):
                                break
                        else:
                            continue
                        break
                    else:
                        hits[i + offset].append(rule)
        if len(self._long):
            for match_id, start, end in self._long(doc, allow_missing=True, as_spans=False):
                rule = int(self.vocab.strings[match_id])
                index = self.indices[rule]
                if not -(end - start) <= index < end - start:
                    return super().__call__(doc)  # the ruler reports this rule's error
                hits[start + index if index >= 0 else end + index].append(rule)
        for i, found in enumerate(hits):
            if found:
                set_token_attrs(doc[i], self._attrs_for(tuple(sorted(found))))
        return doc


@Language.factory("tidings_attribute_table", default_config={"validate": False})
def make_attribute_table(nlp: Language, name: str, validate: bool) -> AttributeTable:
    return AttributeTable(nlp.vocab, name, validate=validate)


def use_attribute_table(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Put an :class:`AttributeTable` with the same rules in place of the pipeline's attribute
    ruler. Returns False (and changes nothing) when there is no such ruler."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    if not isinstance(ruler, AttributeRuler) or isinstance(ruler, AttributeTable):
        return False
    patterns = ruler.patterns
    table = nlp.replace_pipe(name, "tidings_attribute_table")
    assert isinstance(table, AttributeTable)
    table.add_patterns(patterns)
    return True
