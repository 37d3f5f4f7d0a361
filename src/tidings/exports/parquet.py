"""Parquet export: every event mention as a Hive-partitioned dataset, ``month=YYYY-MM/``.

Columns are the store's event columns plus the sentence text, article url, outlet and title;
events without a date go to ``month=unknown``. Read back with
``pyarrow.dataset.dataset(out, partitioning="hive")`` or DuckDB's ``read_parquet(..., hive_partitioning=true)``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from tidings.errors import TidingsError


def write(store: Any, out: Path, *, overwrite: bool = False, **filters: Any) -> list[Path]:
    """Write the dataset under directory ``out``; returns the Parquet files written."""
    if out.exists():
        if not out.is_dir() or (any(out.iterdir()) and not overwrite):
            raise TidingsError(f"{out} exists and is not an empty directory; "
                               "choose another --out")
        if overwrite:
            shutil.rmtree(out)
    table: pa.Table = store.mentions(as_="arrow", **filters)
    month = pc.fill_null(pc.strftime(table["event_date"], format="%Y-%m"), "unknown")
    table = table.append_column("month", month)
    ds.write_dataset(table, out, format="parquet",
                     partitioning=ds.partitioning(pa.schema([("month", pa.string())]),
                                                  flavor="hive"),
                     existing_data_behavior="overwrite_or_ignore")
    return sorted(out.rglob("*.parquet"))
