"""The local engine: Tidings' readers, the local process pool, Parquet written with PyArrow."""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from tidings.engines import dataset
from tidings.engines.base import MAX_ERROR_MESSAGES, ErrorCallback, RunReport
from tidings.errors import InputError
from tidings.model import Article, ArticleResult
from tidings.nlp import DEFAULT_MODEL


class DatasetWriter:
    """Writes coded articles into a staging directory in chunks; ``commit`` publishes it.

    Use as a context manager: leaving the block with an exception removes the staging
    directory, so nothing appears at ``output``.
    """

    def __init__(self, output: str | Path, *, overwrite: bool = False,
                 chunk_articles: int = 5000) -> None:
        self.output = Path(output)
        self.overwrite = overwrite
        dataset.check_output(self.output, overwrite=overwrite)
        self.staging = dataset.staging_dir(self.output)
        self.staging.mkdir(parents=True)
        self.chunk_articles = chunk_articles
        self.counts = {t: 0 for t in dataset.TABLES}
        self.articles = 0
        self._rows: dict[str, list[dict[str, Any]]] = {t: [] for t in dataset.TABLES}
        self._pending = 0
        self._chunk = 0
        self._committed = False

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if not self._committed:
            dataset.remove_tree(self.staging)

    def add(self, item: ArticleResult | InputError) -> None:
        if isinstance(item, InputError):
            self._rows["errors"].append(dataset.error_row(item))
        else:
            self.articles += 1
            for table, rows in dataset.result_rows(item).items():
                self._rows[table].extend(rows)
        self._pending += 1
        if self._pending >= self.chunk_articles:
            self.flush()

    def flush(self) -> None:
        for table, rows in self._rows.items():
            if not rows:
                continue
            self.counts[table] += len(rows)
            schema = dataset.table_schema(table)
            data = pa.Table.from_pylist(rows, schema=schema)
            base = self.staging / table
            if table == "errors":
                base.mkdir(parents=True, exist_ok=True)
                pq.write_table(data, base / f"part-{self._chunk:05d}.parquet")
            else:
                part = ds.partitioning(pa.schema([(dataset.PARTITION, pa.string())]),
                                       flavor="hive")
                ds.write_dataset(data, base, format="parquet", partitioning=part,
                                 basename_template=f"part-{self._chunk:05d}-{{i}}.parquet",
                                 existing_data_behavior="overwrite_or_ignore")
            rows.clear()
        self._pending = 0
        self._chunk += 1

    def commit(self, manifest_extra: Mapping[str, Any] | None = None) -> None:
        """Write what is left, the manifest and ``_SUCCESS``, and move the dataset into place."""
        self.flush()
        for table in dataset.TABLES:
            (self.staging / table).mkdir(exist_ok=True)
            (self.staging / table / dataset.SUCCESS).write_text("", encoding="utf-8")
        dataset.write_manifest(self.staging, dataset.manifest(
            "local", {"articles_read": self.articles, **self.counts}, **(manifest_extra or {})))
        dataset.commit(self.staging, self.output, overwrite=self.overwrite)
        self._committed = True


def write_results(results: Iterable[ArticleResult | InputError], output: str | Path, *,
                  overwrite: bool = False, on_error: ErrorCallback | None = None,
                  engine: str = "local", chunk_articles: int = 5000) -> RunReport:
    """Write coded articles (and input errors) as a dataset at ``output``."""
    start = time.perf_counter()
    report = RunReport(engine=engine, output=str(output))
    with DatasetWriter(output, overwrite=overwrite, chunk_articles=chunk_articles) as writer:
        for item in results:
            if isinstance(item, InputError):
                report.errors += 1
                if len(report.error_messages) < MAX_ERROR_MESSAGES:
                    report.error_messages.append(str(item))
                if on_error:
                    on_error(item)
            writer.add(item)
        writer.commit()
        report.articles = writer.articles
        report.rows = {t: n for t, n in writer.counts.items() if t != "errors"}
    report.wall_seconds = time.perf_counter() - start
    return report


class LocalEngine:
    """Codes on this machine with ``Pipeline.process`` (``processes`` > 1: a fork pool)."""

    name = "local"

    def __init__(self, *, processes: int = 1, model: str = DEFAULT_MODEL,
                 chunk_articles: int = 5000) -> None:
        self.processes = processes
        self.model = model
        self.chunk_articles = chunk_articles

    def run(self, inputs: Sequence[str], output: str | Path, *, date: dt.date | None = None,
            fields: Mapping[str, str] | None = None, fmt: str | None = None,
            overwrite: bool = False, on_error: ErrorCallback | None = None) -> RunReport:
        from tidings.pipeline import Pipeline
        from tidings.readers import read_paths

        dataset.check_output(output, overwrite=overwrite)
        items = read_paths(list(inputs), date=date, fields=fields, fmt=fmt)
        pipeline = Pipeline(self.model)
        if self.processes <= 1:
            results: Iterable[ArticleResult | InputError] = pipeline.process(items)
        else:
            results = _with_read_errors(items, pipeline, self.processes)
        return write_results(results, output, overwrite=overwrite, on_error=on_error,
                             engine=self.name, chunk_articles=self.chunk_articles)


def _with_read_errors(items: Iterable[Article | InputError], pipeline: Any,
                      processes: int) -> Iterator[ArticleResult | InputError]:
    """Code articles in the pool; read errors skip the pool and come out as they are met.

    (Only articles travel to worker processes: there is nothing to code in an input error.)
    """
    errors: deque[InputError] = deque()

    def articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, InputError):
                errors.append(item)  # the pool's feeder thread; deque appends are atomic
            else:
                yield item

    for result in pipeline.process(articles(), processes=processes):
        while errors:
            yield errors.popleft()
        yield result
    while errors:
        yield errors.popleft()
