"""Composing a governing verb's code with its complement's ("threatened to ban", "agreed to meet").

The rules follow CAMEO's hierarchy: an expression of intent (03) to do X becomes the 03 code for
X's family, a threat (13) to use force becomes 138, an appeal (02) or demand (10) for X becomes
the matching request code. The table lives in ``knowledge/data/composition.json``.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any


@functools.lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    text = resources.files("tidings.knowledge").joinpath("data/composition.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def compose_codes(outer: str, inner: str, outer_lemma: str = "") -> str | None:
    """The code of "outer to inner", or None when the two stay separate events.

    >>> compose_codes("030", "040")
    '036'
    >>> compose_codes("130", "190")
    '138'
    """
    rules = _rules()
    if outer_lemma in rules.get("keep_inner_lemmas", []) and inner not in {"---", ""}:
        return inner
    if outer in {"---", ""}:
        return None
    o_root, i_root = outer[:2], inner[:2]
    table = rules["roots"].get(o_root)
    if table is None:
        return None
    if inner in {"---", ""}:
        return None
    new = table.get(inner) or table.get(i_root) or table.get("*")
    if new == "inner":
        return inner
    if new == "outer":
        return outer
    return str(new) if new else None
