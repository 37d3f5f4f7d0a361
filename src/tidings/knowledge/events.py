"""CAMEO event codes (name, root, Goldstein score, QuadClass) and the CAMEO → PLOVER crosswalk.

Both tables are packaged as JSON (``cameo.json``, ``plover.json``) built by
``scripts/build_event_knowledge.py`` from GDELT's CAMEO lookups and the PLOVER project's
CAMEO2PLOVER table (see ``data/NOTICE_events.md``). A code with no entry of its own falls back
to its parent ("0241" → "024" → "02"); the record says which code was used.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
PACKAGED_CAMEO = DATA_DIR / "cameo.json"
PACKAGED_PLOVER = DATA_DIR / "plover.json"


@dataclass(frozen=True)
class CameoInfo:
    code: str
    root: str  # two-digit cue category, "19"
    name: str
    goldstein: float | None
    quad_class: int | None  # 1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict
    via: str | None = None  # the parent code that supplied missing values, None if none was needed


@dataclass(frozen=True)
class PloverInfo:
    type: str  # one of the 16 PLOVER types; "" where PLOVER has none (CAMEO 01 statements)
    mode: str | None
    contexts: tuple[str, ...]
    via: str  # the CAMEO code whose crosswalk entry was used
    note: str = ""  # how the entry was reached (fallback to a parent, dropped category, ...)


# --------------------------------------------------------------------------- crosswalk parsing

_XWALK_LINE = re.compile(r"^(?P<code>\d{2,4})\s*:\s*(?P<rest>.*)$")


def normalize_plover(ptype: str, mode: str | None,
                     legacy: Mapping[str, Mapping[str, Any]]) -> tuple[str, str | None]:
    """Map a legacy PLOVER type to a current one (DEMAND → REQUEST, DISAPPROVE → ACCUSE with
    mode "disapprove", ...); a mode given in the data is kept."""
    up = ptype.strip().upper()
    if up in legacy:
        new = legacy[up]
        return str(new["type"]), mode or new.get("mode")
    return up, mode


def parse_crosswalk(text: str, source: str, legacy: Mapping[str, Mapping[str, Any]],
                    types: set[str] | None = None) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Parse a CAMEO2PLOVER table (``CODE: TYPE, mode, context; context # comment``).

    Returns ``({code: {"type", "mode", "contexts", "entry", "legacy"}}, warnings)``; the first
    entry of a repeated code is kept (a warning names the others). Parsing stops at ``~~~~~``.
    """
    out: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if raw.strip().startswith("~~~"):
            break
        if not line:
            continue
        m = _XWALK_LINE.match(line)
        if not m:
            warnings.append(f"{source}:{lineno}: malformed crosswalk line {raw.strip()!r}")
            continue
        code = m.group("code")
        parts = [p.strip() for p in m.group("rest").split(",")]
        if not parts[0]:
            warnings.append(f"{source}:{lineno}: no PLOVER type for {code}")
            continue
        mode = parts[1] if len(parts) > 1 and parts[1] else None
        ctx_text = ",".join(parts[2:]) if len(parts) > 2 else ""
        contexts = tuple(c.strip() for c in re.split(r"[;,]", ctx_text) if c.strip())
        old = parts[0].strip().upper()
        ptype, mode = normalize_plover(old, mode, legacy)
        if types is not None and ptype not in types:
            warnings.append(f"{source}:{lineno}: unknown PLOVER type {old!r}")
            continue
        if code in out:
            if out[code]["type"] != ptype or out[code]["mode"] != mode:
                warnings.append(f"{source}:{lineno}: {code} listed again as {ptype}; "
                                f"keeping {out[code]['type']} ({out[code]['entry']})")
            continue
        out[code] = {"type": ptype, "mode": mode, "contexts": list(contexts),
                     "entry": f"{source}:{lineno}", "legacy": old if old != ptype else None}
    return out, warnings


# --------------------------------------------------------------------------- packaged tables


@functools.lru_cache(maxsize=1)
def _cameo_table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PACKAGED_CAMEO.read_text(encoding="utf-8"))
    return data


@functools.lru_cache(maxsize=1)
def _plover_table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PACKAGED_PLOVER.read_text(encoding="utf-8"))
    return data


def plover_types() -> tuple[str, ...]:
    """The 16 current PLOVER event types."""
    return tuple(_plover_table()["types"])


def plover_legacy() -> dict[str, dict[str, Any]]:
    """Legacy PLOVER type names → ``{"type", "mode"}`` of the current ontology."""
    return dict(_plover_table()["legacy"])


def _parents(code: str) -> list[str]:
    """``"0241"`` → ["0241", "024", "02"]."""
    return [code[:n] for n in range(len(code), 1, -1)]


def cameo_info(code: str) -> CameoInfo:
    """Name, root, Goldstein score and QuadClass of a CAMEO event code.

    Values missing for the code itself come from its nearest parent (``via`` names it). An
    unknown code gives empty values rather than an error.
    """
    code = code.strip()
    table = _cameo_table()["codes"]
    root = code[:2]
    name = ""
    goldstein: float | None = None
    quad: int | None = None
    via: str | None = None
    for c in _parents(code):
        rec = table.get(c)
        if rec is None:
            continue
        if not name and rec.get("name"):
            name = rec["name"]
            if c != code:
                via = c
        if goldstein is None and rec.get("goldstein") is not None:
            goldstein = float(rec["goldstein"])
            if c != code:
                via = via or c
        if quad is None and rec.get("quad") is not None:
            quad = int(rec["quad"])
            if c != code:
                via = via or c
        if name and goldstein is not None and quad is not None:
            break
    return CameoInfo(code=code, root=root, name=name, goldstein=goldstein, quad_class=quad,
                     via=via)


def plover_of(code: str) -> PloverInfo:
    """PLOVER type, mode and contexts of a CAMEO event code (nearest parent if it has no entry).

    CAMEO 01 (public statements) has no PLOVER type: ``type`` is "" and ``note`` says why.
    """
    code = code.strip()
    table = _plover_table()
    codes = table["codes"]
    for c in _parents(code):
        rec = codes.get(c)
        if rec is None:
            continue
        notes = []
        if c != code:
            notes.append(f"no entry for {code}; using parent {c}")
        if rec.get("note"):
            notes.append(rec["note"])
        return PloverInfo(type=rec["type"], mode=rec.get("mode"),
                          contexts=tuple(rec.get("contexts", ())), via=c, note="; ".join(notes))
    root = code[:2]
    dropped = table.get("dropped", {})
    if root in dropped:
        return PloverInfo(type="", mode=None, contexts=(), via=root, note=dropped[root])
    return PloverInfo(type="", mode=None, contexts=(), via=code,
                      note=f"no PLOVER entry for CAMEO code {code!r}")


def plover_dropped(code: str) -> bool:
    """Whether PLOVER drops the CAMEO root of ``code`` on purpose (01, public statements), as
    opposed to a code it merely does not know (a user's own code)."""
    return code.strip()[:2] in _plover_table().get("dropped", {})


__all__ = [
    "CameoInfo", "PloverInfo", "cameo_info", "normalize_plover", "parse_crosswalk",
    "plover_dropped", "plover_legacy", "plover_of", "plover_types",
]
