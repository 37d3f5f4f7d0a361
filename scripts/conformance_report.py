"""Print the PETRARCH unit-test conformance table as markdown (for docs/accuracy.md).

Codes the 284 records of ``../shared/data/knowledge/petrarch2/PETR.UnitTest.records.xml`` with
the suite's ``PETR.Validate.*`` dictionaries only (Tidings' own spaCy parse and coder) and
prints, per record category, the expected codings reproduced exactly and the extra codings.

    .venv/bin/python scripts/conformance_report.py            # the table
    .venv/bin/python scripts/conformance_report.py --failures # and each record that differs
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "tests" / "conformance" / "test_petrarch_conformance.py"


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tidings_petrarch_conformance", HARNESS)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {HARNESS}")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--failures", action="store_true",
                    help="also list each record with missing or extra codings")
    args = ap.parse_args(argv)
    h = _harness()
    if not h.RECORDS_FILE.exists():
        print(f"missing {h.RECORDS_FILE}", file=sys.stderr)
        return 1
    report = h.run_conformance()
    print(report.markdown())
    if args.failures:
        print()
        for r in report.results:
            if not r.missing and not r.extra:
                continue
            known = " (known difference)" if r.record.id in report.known else ""
            print(f"- {r.record.id} [{r.record.category}]{known}: {r.record.text}")
            print(f"  missing {r.missing}; extra {r.extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
