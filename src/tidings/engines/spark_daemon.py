"""Python daemon for Spark executors that loads the Tidings pipeline before forking workers.

Spark starts one Python daemon per executor and forks a worker from it for each task slot. Run
as ``spark.python.daemon.module``, this module loads the spaCy model and the knowledge (named by
``TIDINGS_SPARK_PRELOAD``, set through ``spark.executorEnv``) once, so every worker starts with
them loaded and shares their memory copy-on-write. Without the variable it is Spark's daemon.
"""

from __future__ import annotations

import os

PRELOAD_ENV = "TIDINGS_SPARK_PRELOAD"


def preload() -> None:
    """Load and warm the pipeline named in the environment (never fails: a worker that needs a
    broken model reports the error itself)."""
    model = os.environ.get(PRELOAD_ENV)
    if not model:
        return
    try:
        from tidings.engines.spark import warm_pipeline

        warm_pipeline(model)
    except Exception:  # noqa: BLE001 - the task that uses the model raises the real error
        pass


def main() -> None:
    preload()
    from pyspark import daemon

    daemon.manager()


if __name__ == "__main__":
    main()
