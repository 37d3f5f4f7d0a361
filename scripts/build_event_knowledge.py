"""Build Tidings' packaged event knowledge (``src/tidings/knowledge/data/``).

Outputs:

* ``verbs.json``: the CAMEO verb-pattern dictionary ``petrarch2/CAMEO.2.0.txt`` (MIT, Open Event
  Data Alliance), parsed into plain records by :func:`tidings.knowledge.verbs.parse_verb_file`
  (comments dropped, pattern text whitespace-normalised);
* ``cameo.json``: CAMEO event codes with name, parent, QuadClass (``cameo/cameo_codes.json``,
  from the gdelt-py package, MIT) and Goldstein score (GDELT's ``CAMEO.goldsteinscale.txt``);
  names missing there come from the comments of the PLOVER crosswalk;
* ``plover.json``: the CAMEO → PLOVER crosswalk ``plover/CAMEO2PLOVER-2021.txt`` (CC BY-SA 4.0,
  Open Event Data Alliance) with legacy type names mapped to the 16 current types, plus the
  project's rules in ``scripts/event_knowledge.json`` (CAMEO 02 mirrors CAMEO 10; 01 dropped;
  163 follows the PLOVER manual's SANCTION definition).

Licences and attribution: ``src/tidings/knowledge/data/NOTICE_events.md``.

Run: ``.venv/bin/python scripts/build_event_knowledge.py`` (from the repository root).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tidings.knowledge.events import parse_crosswalk  # noqa: E402
from tidings.knowledge.verbs import parse_verb_file  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "knowledge"
OUT = ROOT / "src" / "tidings" / "knowledge" / "data"
RULES = Path(__file__).resolve().parent / "event_knowledge.json"


def _dump(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
                    + "\n", encoding="utf-8")


OVERLAY_VERBS = OUT / "overlay_verbs.txt"


def merge_overlay(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Apply the project's verb overlay to the parsed CAMEO dictionary.

    A block of the overlay whose name matches a base block replaces that block's code, adds its
    verbs, and puts its patterns before the base patterns (so they are tried as equals, the
    overlay's first on ties); a verb listed in an overlay block leaves any other base block; new
    blocks are added; a verb line of the overlay replaces the same verb's line in that block.
    Synsets of the overlay are appended.
    """
    name = Path(overlay["source"]).name
    by_name = {b["name"]: b for b in base["blocks"]}
    overlay_verbs = {v[0] for b in overlay["blocks"] for v in b["verbs"]}
    for b in base["blocks"]:
        if b["name"] not in {o["name"] for o in overlay["blocks"]}:
            b["verbs"] = [v for v in b["verbs"] if v[0] not in overlay_verbs]
    for ob in overlay["blocks"]:
        ob["patterns"] = [[t, body, code, f"{name}:{line}"] for t, body, code, line in ob["patterns"]]
        ob["verbs"] = [[w, forms, code, f"{name}:{line}"] for w, forms, code, line in ob["verbs"]]
        if ob["name"] in by_name:
            target = by_name[ob["name"]]
            if ob.get("code") and ob["code"] != "---":
                target["code"] = ob["code"]
            mine = {v[0] for v in ob["verbs"]}
            target["verbs"] = [v for v in target["verbs"] if v[0] not in mine] + ob["verbs"]
            target["patterns"] = ob["patterns"] + target["patterns"]
        else:
            base["blocks"].append(ob)
            by_name[ob["name"]] = ob
    base["synsets"].extend(overlay["synsets"])
    base["warnings"].extend(overlay["warnings"])
    return base


def build_verbs(shared: Path) -> dict[str, Any]:
    rec = parse_verb_file(shared / "petrarch2" / "CAMEO.2.0.txt")
    if OVERLAY_VERBS.exists():
        rec = merge_overlay(rec, parse_verb_file(OVERLAY_VERBS))
    for w in rec["warnings"]:
        print("verbs:", w, file=sys.stderr)
    return {"version": 1, "files": [rec]}


def build_cameo(shared: Path, rules: dict[str, Any],
                names_from_crosswalk: dict[str, str]) -> dict[str, Any]:
    raw = json.loads((shared / "cameo" / "cameo_codes.json").read_text(encoding="utf-8"))
    fixes: dict[str, str] = rules.get("cameo_code_fixes", {})
    codes: dict[str, dict[str, Any]] = {}
    for code, rec in raw.items():
        code = fixes.get(code, code)
        codes[code] = {"name": rec.get("name", ""), "parent": rec.get("parent"),
                       "quad": rec.get("quad_class"), "goldstein": None}
    lines = (shared / "cameo" / "CAMEO.goldsteinscale.txt").read_text(encoding="utf-8")
    for line in lines.splitlines()[1:]:
        parts = line.split()
        if len(parts) != 2:
            continue
        code, score = parts
        rec = codes.setdefault(code, {"name": "", "parent": code[:-1] if len(code) > 2 else None,
                                      "quad": None, "goldstein": None})
        rec["goldstein"] = float(score)
    for code, rec in codes.items():
        if not rec["name"] and code in names_from_crosswalk:
            rec["name"] = names_from_crosswalk[code]
            rec["name_source"] = "CAMEO2PLOVER-2021.txt"
    return {"version": 1, "codes": codes}


def crosswalk_names(text: str) -> dict[str, str]:
    """CAMEO names from the crosswalk's comments (``0233: AID, , humanitarian # Name``)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"^(\d{3,4})\s*:[^#]*#\s*(.+?)\s*$", line)
        if m and m.group(1) not in out:
            out[m.group(1)] = m.group(2)
    return out


def build_plover(text: str, cameo: dict[str, Any], rules: dict[str, Any]) -> dict[str, Any]:
    types = list(rules["types"])
    legacy = rules["legacy"]
    codes, warnings = parse_crosswalk(text, "CAMEO2PLOVER-2021.txt", legacy, set(types))
    for w in warnings:
        print("plover:", w, file=sys.stderr)
    for root, rule in rules.get("mirror", {}).items():
        src = rule["from"]
        for code in sorted(cameo["codes"]):
            if not code.startswith(root) or code in codes:
                continue
            twin = src + code[len(root):]
            rec = codes.get(twin)
            if rec is None:
                continue
            codes[code] = {"type": rec["type"], "mode": rec["mode"],
                           "contexts": list(rec["contexts"]),
                           "entry": f"event_knowledge.json:mirror {root}<-{src} ({twin})",
                           "legacy": None, "note": rule["note"]}
    for code, rec in rules.get("overrides", {}).items():
        old = codes.get(code)
        codes[code] = {"type": rec["type"], "mode": rec.get("mode"),
                       "contexts": list(rec.get("contexts", [])),
                       "entry": "event_knowledge.json:overrides", "legacy": None,
                       "note": rec["note"],
                       "crosswalk": ({k: old[k] for k in ("type", "mode", "contexts", "entry")}
                                     if old else None)}
    return {"version": 1, "types": types, "legacy": legacy,
            "dropped": rules.get("dropped", {}), "codes": codes}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=SHARED, help="shared/data/knowledge folder")
    ap.add_argument("--out", type=Path, default=OUT, help="output folder")
    args = ap.parse_args(argv)
    rules = json.loads(RULES.read_text(encoding="utf-8"))
    xwalk = (args.shared / "plover" / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8")
    args.out.mkdir(parents=True, exist_ok=True)
    verbs = build_verbs(args.shared)
    cameo = build_cameo(args.shared, rules, crosswalk_names(xwalk))
    plover = build_plover(xwalk, cameo, rules)
    _dump(args.out / "verbs.json", verbs)
    _dump(args.out / "cameo.json", cameo)
    _dump(args.out / "plover.json", plover)
    n_blocks = sum(len(f["blocks"]) for f in verbs["files"])
    n_pat = sum(len(b["patterns"]) for f in verbs["files"] for b in f["blocks"])
    print(f"verbs.json: {n_blocks} blocks, {n_pat} patterns; cameo.json: "
          f"{len(cameo['codes'])} codes; plover.json: {len(plover['codes'])} codes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
