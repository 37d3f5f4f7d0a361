"""Entry file for ``spark-submit``: runs the ``tidings`` command line inside the Spark driver.

``spark-submit`` needs a Python file, not a console script::

    spark-submit --master yarn ... "$(python -m tidings.engines.submit --path)" \\
        ingest --engine spark --input 'hdfs:///news/2025/*.jsonl' --output hdfs:///tidings/2025

Under ``spark-submit`` the engine uses the session that ``spark-submit`` configured (master,
archives, executor settings); ``--master`` is not needed.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--path"]:
        print(__file__)
        return
    from tidings.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
