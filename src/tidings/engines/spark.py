"""The Spark engine: the same pipeline in ``mapInArrow`` partitions, Parquet written by Spark.

Stages (one Spark job each):

1. read: input files as ``binaryFile`` rows; each file is parsed on an executor with Tidings'
   own readers (same articles, ids, sources and input errors as the local engine);
2. code: articles are spread over ``partitions`` by a hash of their id and coded with
   ``Pipeline.process_batch`` (spaCy model and knowledge loaded once per Python worker, kept in a
   module-level cache); the result, one row per article with nested lists of rows per table, is
   staged as Parquet inside the output's staging directory;
3. write: each table is exploded from the staged rows and written partitioned by
   ``report_month``; then the manifest and ``_SUCCESS``, and the staging directory is renamed to
   the output path (atomic on local filesystems and HDFS).

Coding is deterministic, so a task retried after an executor is lost writes the same rows, and
Spark's output committer keeps only one attempt's files.

PySpark is imported lazily: Tidings runs without it, and says how to install it when asked for
the Spark engine.
"""

from __future__ import annotations

import datetime as dt
import functools
import glob
import math
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from tidings.engines import dataset
from tidings.engines.base import MAX_ERROR_MESSAGES, ErrorCallback, RunReport
from tidings.errors import InputError, TidingsError
from tidings.model import Article, ArticleResult
from tidings.nlp import DEFAULT_MODEL

INSTALL_HINT = "the Spark engine needs PySpark 4: pip install 'tidings[spark]'"

#: One pipeline per Python worker process and model: loaded on first use, reused by every task
#: the worker runs.
_PIPELINES: dict[tuple[str, int], Any] = {}


# --------------------------------------------------------------------------------------------
# Spark and Java


def require_pyspark() -> Any:
    """The ``pyspark`` module, or a TidingsError saying how to install it."""
    try:
        import pyspark
    except ImportError as exc:
        raise TidingsError(INSTALL_HINT) from exc
    return pyspark


def find_java_home() -> str | None:
    """A Java 17+ installation: ``JAVA_HOME``, the ``java`` on PATH, or a usual location."""
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return home
    java = shutil.which("java")
    if java:
        return str(Path(os.path.realpath(java)).parent.parent)
    patterns = ["/usr/lib/jvm/*", "/usr/local/opt/openjdk*/libexec/openjdk.jdk/Contents/Home",
                "/Library/Java/JavaVirtualMachines/*/Contents/Home", "/opt/java/*"]
    found = [c for p in patterns for c in sorted(glob.glob(p))
             if os.path.exists(os.path.join(c, "bin", "java"))]
    preferred = [c for c in found if any(v in Path(c).name for v in ("17", "21"))]
    candidates = preferred or found
    return candidates[0] if candidates else None


def ensure_java() -> str:
    """Make sure Spark can start a JVM; sets ``JAVA_HOME`` when it was found elsewhere."""
    home = find_java_home()
    if home is None:
        raise TidingsError("the Spark engine needs Java 17 or 21 (e.g. apt-get install "
                           "openjdk-17-jre-headless), or JAVA_HOME pointing at one")
    os.environ.setdefault("JAVA_HOME", home)
    return home


def _launching_jvm() -> bool:
    """True when this process will start its own JVM (not run under ``spark-submit``)."""
    from pyspark import SparkContext

    return SparkContext._active_spark_context is None and "PYSPARK_GATEWAY_PORT" not in os.environ


def spark_session(master: str | None = None, *, conf: Mapping[str, str] | None = None,
                  app_name: str = "tidings", preload_model: str | None = DEFAULT_MODEL) -> Any:
    """A SparkSession for Tidings (an existing one is reused).

    ``master`` None keeps what ``spark-submit`` chose (``local[*]`` when run directly). Each
    executor's Python daemon loads ``preload_model`` and the knowledge once, before it forks
    task workers (``tidings.engines.spark_daemon``). For local masters started from this
    process, workers run this Python, the web UI is off and the driver JVM uses the
    quick-starting client compiler (it only schedules and writes files; coding runs in Python).
    ``conf`` overrides any of these.
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    ensure_java()
    settings: dict[str, str] = {
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.execution.arrow.maxRecordsPerBatch": "64",
        "spark.python.worker.reuse": "true",
    }
    if preload_model:
        from tidings.engines.spark_daemon import PRELOAD_ENV

        settings["spark.python.daemon.module"] = "tidings.engines.spark_daemon"
        settings[f"spark.executorEnv.{PRELOAD_ENV}"] = preload_model
    if _launching_jvm() and (master is None or master.startswith("local")):
        # Python workers run the interpreter named here (read when the context starts).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        settings.update({
            "spark.pyspark.python": os.environ["PYSPARK_PYTHON"],
            "spark.ui.enabled": "false",
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        })
    settings.update(conf or {})
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# --------------------------------------------------------------------------------------------
# Schemas


def _spark_type(t: pa.DataType) -> Any:
    from pyspark.sql import types as T

    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return T.StringType()
    if pa.types.is_int8(t):
        return T.ByteType()
    if pa.types.is_int16(t):
        return T.ShortType()
    if pa.types.is_int32(t):
        return T.IntegerType()
    if pa.types.is_int64(t):
        return T.LongType()
    if pa.types.is_float64(t):
        return T.DoubleType()
    if pa.types.is_boolean(t):
        return T.BooleanType()
    if pa.types.is_date32(t):
        return T.DateType()
    if pa.types.is_binary(t):
        return T.BinaryType()
    if pa.types.is_list(t):
        return T.ArrayType(_spark_type(t.value_type))
    if pa.types.is_struct(t):
        return T.StructType([T.StructField(f.name, _spark_type(f.type)) for f in t])
    raise TidingsError(f"no Spark type for Arrow type {t}")


def spark_schema(schema: pa.Schema) -> Any:
    """The Spark StructType of an Arrow schema (the types Tidings' tables use)."""
    from pyspark.sql import types as T

    return T.StructType([T.StructField(f.name, _spark_type(f.type)) for f in schema])


@functools.lru_cache(maxsize=1)
def input_schema() -> pa.Schema:
    """One input record: an article, or the input error that stands in its place."""
    return pa.schema([("id", pa.string()), ("date", pa.date32()), ("text", pa.string()),
                      ("title", pa.string()), ("url", pa.string()), ("source", pa.string()),
                      ("error_where", pa.string()), ("error_reason", pa.string())])


@functools.lru_cache(maxsize=1)
def coded_schema() -> pa.Schema:
    """One coded article: its rows of each table as a list of structs, or its input error."""
    fields = [pa.field("article_id", pa.string()), pa.field("error_where", pa.string()),
              pa.field("error_reason", pa.string())]
    for table in dataset.ARTICLE_TABLES:
        fields.append(pa.field(table, pa.list_(pa.struct(list(dataset.table_schema(table))))))
    return pa.schema(fields)


# --------------------------------------------------------------------------------------------
# Executor-side functions (module level, so Spark pickles them by reference)


def read_data(data: bytes, name: str, *, date: dt.date | None = None,
              fields: Mapping[str, str] | None = None, fmt: str | None = None,
              max_bytes: int | None = None) -> Iterator[Article | InputError]:
    """Articles from the bytes of one file, exactly as ``tidings.readers.read_path`` reads it."""
    from tidings.readers import MAX_ARTICLE_BYTES
    from tidings.readers import read_data as read_bytes

    limit = MAX_ARTICLE_BYTES if max_bytes is None else max_bytes
    yield from read_bytes(data, name, date=date, fields=fields, fmt=fmt, max_bytes=limit)


def _input_row(item: Article | InputError) -> dict[str, Any]:
    if isinstance(item, InputError):
        return {"error_where": item.where, "error_reason": item.reason}
    return {"id": item.id, "date": item.date, "text": item.text, "title": item.title,
            "url": item.url, "source": item.source}


def read_partition(batches: Iterator[pa.RecordBatch], *, names: Any,
                   options: dict[str, Any]) -> Iterator[pa.RecordBatch]:
    """``binaryFile`` rows (path, content) → input records. ``names`` maps Spark's file URLs to
    the names the user gave (a broadcast dict), so sources and errors read the same as locally."""
    schema = input_schema()
    table: dict[str, str] = names.value
    for batch in batches:
        paths = batch.column("path").to_pylist()
        contents = batch.column("content").to_pylist()
        for path, content in zip(paths, contents, strict=True):
            name = table.get(path) or table.get(dataset.local_path(path)) or path
            rows = [_input_row(item) for item in read_data(content or b"", name, **options)]
            if rows:
                yield pa.RecordBatch.from_pylist(rows, schema=schema)


def _pipeline(model: str, batch_size: int) -> Any:
    key = (model, batch_size)
    if key not in _PIPELINES:
        from tidings.pipeline import Pipeline

        _PIPELINES[key] = Pipeline(model, batch_size=batch_size)
    return _PIPELINES[key]


def warm_pipeline(model: str, batch_size: int = 32) -> None:
    """Load the model and every knowledge table this process will need, by coding a sentence."""
    pipeline = _pipeline(model, batch_size)
    probe = Article(id="warm-up", date=dt.date(2000, 1, 3),
                    text="The president of France met the Kenyan minister in Nairobi on Monday.")
    pipeline.process_batch([probe])


def _coded_row(item: ArticleResult | InputError) -> dict[str, Any]:
    if isinstance(item, InputError):
        return {"error_where": item.where, "error_reason": item.reason,
                **{t: [] for t in dataset.ARTICLE_TABLES}}
    return {"article_id": item.article.id, **dataset.result_rows(item)}


def _item(row: dict[str, Any]) -> Article | InputError:
    if row.get("error_reason") is not None:
        return InputError(row["error_where"] or "?", row["error_reason"])
    return Article(id=row["id"], date=row["date"], text=row["text"], title=row["title"],
                   url=row["url"], source=row["source"])


def code_partition(batches: Iterator[pa.RecordBatch], *, model: str,
                   batch_size: int) -> Iterator[pa.RecordBatch]:
    """Input records → coded articles, with the process's cached pipeline."""
    pipeline = _pipeline(model, batch_size)
    schema = coded_schema()
    for batch in batches:
        rows = batch.to_pylist()
        for i in range(0, len(rows), batch_size):
            items = [_item(r) for r in rows[i:i + batch_size]]
            coded = [_coded_row(r) for r in pipeline.process_batch(items)]
            yield pa.RecordBatch.from_pylist(coded, schema=schema)


# --------------------------------------------------------------------------------------------
# Files: local paths with Python, anything else through Hadoop's FileSystem


class _Files:
    def __init__(self, spark: Any, output: str) -> None:
        self.remote = dataset.is_remote(output)
        self.spark = spark
        if self.remote:
            jvm = spark.sparkContext._jvm
            self._Path = jvm.org.apache.hadoop.fs.Path
            conf = spark.sparkContext._jsc.hadoopConfiguration()
            self._fs = self._Path(output).getFileSystem(conf)

    def staging(self, output: str) -> str:
        if not self.remote:
            return str(dataset.staging_dir(output))
        parent, _, name = output.rstrip("/").rpartition("/")
        return f"{parent}/.{name}.inprogress-{uuid.uuid4().hex[:12]}"

    def check_output(self, output: str, overwrite: bool) -> None:
        if not self.remote:
            dataset.check_output(output, overwrite=overwrite)
            return
        out = self._Path(output)
        if self._fs.exists(out):
            if not overwrite:
                raise TidingsError(f"{output} exists; choose another --output or pass --overwrite")
            if not self._fs.exists(self._Path(f"{output.rstrip('/')}/{dataset.MANIFEST}")):
                raise TidingsError(f"{output} exists and is not a Tidings dataset; "
                                   "refusing to replace it")

    def write_manifest(self, root: str, manifest: dict[str, Any]) -> None:
        if not self.remote:
            dataset.write_manifest(root, manifest)
            return
        import json

        for name, text in ((dataset.MANIFEST, json.dumps(manifest, indent=1, sort_keys=True)),
                           (dataset.SUCCESS, "")):
            stream = self._fs.create(self._Path(f"{root}/{name}"), True)
            stream.write(bytearray(text.encode("utf-8")))
            stream.close()

    def remove(self, path: str) -> None:
        if self.remote:
            self._fs.delete(self._Path(path), True)
        else:
            dataset.remove_tree(path)

    def commit(self, staging: str, output: str, overwrite: bool) -> None:
        if not self.remote:
            dataset.commit(staging, output, overwrite=overwrite)
            return
        self.check_output(output, overwrite)
        out = self._Path(output)
        old = None
        if self._fs.exists(out):
            old = self._Path(f"{output.rstrip('/')}.old-{uuid.uuid4().hex[:12]}")
            self._fs.rename(out, old)
        if not self._fs.rename(self._Path(staging), out):
            if old is not None:
                self._fs.rename(old, out)
            raise TidingsError(f"could not move {staging} to {output}")
        if old is not None:
            self._fs.delete(old, True)


# --------------------------------------------------------------------------------------------
# The engine


def _expand_inputs(inputs: Sequence[str]) -> tuple[list[str], dict[str, str], list[InputError]]:
    """Spark load paths, a map from file URL/absolute path to the user's name, driver errors."""
    from tidings.readers import expand_paths

    paths: list[str] = []
    names: dict[str, str] = {}
    errors: list[InputError] = []
    local = [p for p in inputs if not dataset.is_remote(p)]
    paths.extend(p for p in inputs if dataset.is_remote(p))
    if "-" in local:
        raise TidingsError("the Spark engine cannot read standard input; give files")
    for p in expand_paths([dataset.local_path(p) for p in local]):
        if isinstance(p, InputError):
            errors.append(p)
            continue
        absolute = os.path.abspath(p)
        if os.path.getsize(absolute) == 0:  # Spark's file sources skip empty files
            errors.append(InputError(p, "empty file"))
            continue
        names[absolute] = p
        names[Path(absolute).as_uri()] = p
        names["file:" + absolute] = p
        paths.append(absolute)
    return paths, names, errors


class SparkEngine:
    """Codes on a Spark cluster (or ``local[N]``) and writes the dataset with Spark.

    ``partitions``: coding tasks (default: input size / ``partition_mb``, at least the
    cluster's default parallelism). ``spark``: an existing SparkSession to use (not stopped);
    otherwise one is made from ``master`` and ``conf`` and stopped at the end.
    """

    name = "spark"

    def __init__(self, *, master: str | None = None, model: str = DEFAULT_MODEL,
                 partitions: int | None = None, partition_mb: float = 4.0,
                 batch_size: int = 32, conf: Mapping[str, str] | None = None,
                 spark: Any = None) -> None:
        self.master = master
        self.model = model
        self.partitions = partitions
        self.partition_mb = partition_mb
        self.batch_size = batch_size
        self.conf = dict(conf or {})
        self.spark = spark

    def run(self, inputs: Sequence[str], output: str | Path, *, date: dt.date | None = None,
            fields: Mapping[str, str] | None = None, fmt: str | None = None,
            overwrite: bool = False, on_error: ErrorCallback | None = None) -> RunReport:
        require_pyspark()
        start = time.perf_counter()
        out = str(output)
        own = self.spark is None
        spark = (spark_session(self.master, conf=self.conf, preload_model=self.model) if own
                 else self.spark)
        try:
            report = self._run(spark, inputs, out, date=date, fields=fields, fmt=fmt,
                               overwrite=overwrite)
        finally:
            if own:
                spark.stop()
        if on_error:
            for where, msg in report.error_rows:
                on_error(InputError(where, msg[len(where) + 2:]))
        report.wall_seconds = time.perf_counter() - start
        return report

    def _run(self, spark: Any, inputs: Sequence[str], output: str, *, date: dt.date | None,
             fields: Mapping[str, str] | None, fmt: str | None, overwrite: bool) -> RunReport:
        from pyspark.sql import functions as F

        files = _Files(spark, output)
        files.check_output(output, overwrite)
        paths, names, driver_errors = _expand_inputs(inputs)
        sc = spark.sparkContext
        in_schema = spark_schema(input_schema())
        if paths:
            raw = (spark.read.format("binaryFile")
                   .option("recursiveFileLookup", "true").load(paths))
            size_row = raw.agg(F.sum("length").alias("bytes")).first()
            total_bytes = int(size_row["bytes"] or 0) if size_row else 0
            options = {"date": date, "fields": dict(fields or {}), "fmt": fmt}
            reader = functools.partial(read_partition, names=sc.broadcast(names),
                                       options=options)
            records = raw.select("path", "content").mapInArrow(reader, in_schema)
        else:
            total_bytes = 0
            records = spark.createDataFrame([], in_schema)
        if driver_errors:
            records = records.unionByName(spark.createDataFrame(
                [(e.where, e.reason) for e in driver_errors],
                "error_where string, error_reason string"), allowMissingColumns=True)
        n = self.partitions or max(sc.defaultParallelism,
                                   math.ceil(total_bytes / (self.partition_mb * 2**20)))
        coder = functools.partial(code_partition, model=self.model, batch_size=self.batch_size)
        coded = records.repartition(n, "id").mapInArrow(coder, spark_schema(coded_schema()))

        staging = files.staging(output)
        try:
            staged = f"{staging}/_coded"
            coded.write.parquet(staged)
            coded = spark.read.parquet(staged)
            for table in dataset.ARTICLE_TABLES:
                (coded.select(F.explode(table).alias("r")).select("r.*")
                 .write.partitionBy(dataset.PARTITION).parquet(f"{staging}/{table}"))
            errors = coded.where(F.col("error_reason").isNotNull()).select(
                F.col("error_where").alias("where"),
                F.concat_ws(": ", "error_where", "error_reason").alias("message"))
            errors.coalesce(1).write.parquet(f"{staging}/errors")
            counts_row = coded.agg(
                F.count("article_id").alias("articles_read"),
                *[F.sum(F.size(t)).alias(t) for t in dataset.ARTICLE_TABLES],
                F.count("error_reason").alias("errors")).first()
            counts = {k: int(v or 0) for k, v in counts_row.asDict().items()}
            messages = sorted((r["where"], r["message"]) for r in spark.read.parquet(
                f"{staging}/errors").limit(MAX_ERROR_MESSAGES).collect())
            files.remove(staged)
            files.write_manifest(staging, dataset.manifest(
                "spark", counts, spark_version=spark.version, partitions=n,
                master=sc.master))
            files.commit(staging, output, overwrite)
        except BaseException as exc:
            files.remove(staging)
            if type(exc).__module__.startswith(("py4j", "pyspark")):
                raise TidingsError(f"Spark job failed: {str(exc).strip().splitlines()[0]}") \
                    from exc
            raise
        report = RunReport(engine=self.name, output=output, articles=counts["articles_read"],
                           errors=counts["errors"],
                           rows={t: counts[t] for t in dataset.ARTICLE_TABLES})
        report.error_rows = messages
        report.error_messages = [m for _, m in messages]
        return report
