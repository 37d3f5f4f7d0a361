"""CSV export: every event mention as one row (store columns, sentence text, url, outlet).

Lists (PLOVER contexts) are joined with ``;``; the explanation stays a JSON string.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd


def write(store: Any, out: Path, **filters: Any) -> list[Path]:
    """Write the CSV (with header) to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    df: pd.DataFrame = store.mentions(as_="pandas", **filters)
    if "plover_contexts" in df.columns:
        df["plover_contexts"] = df["plover_contexts"].map(
            lambda v: ";".join(v) if v is not None and len(v) else "")
    df.to_csv(out, index=False)
    return [out]
