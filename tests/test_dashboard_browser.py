"""The dashboard in headless Chromium: load it, set a filter, open an event, check the highlight.

Needs ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` (Debian: ``apt-get install -y chromium
chromium-driver``) and the ``selenium`` package; skipped with a reason when they are missing.
A screenshot of each step is saved in the test's tmp folder.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tidings.readers import read_paths
from tidings.store import Store

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
    pytest.skip("no Chromium binary (apt-get install -y chromium chromium-driver)",
                allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Iterator[str]:
    import uvicorn

    from tidings.api import create_app

    db = tmp_path_factory.mktemp("dash") / "examples.duckdb"
    with Store(db) as store:
        report = store.ingest(pipeline.process(read_paths([str(ROOT / "examples")])))
    assert report.events > 10, report.error_messages[:2]
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1600"):
        opts.add_argument(arg)
    opts.binary_location = CHROMIUM
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    yield drv
    drv.quit()


def _loaded(drv: Any, after: int = 0) -> int:
    def done(d: Any) -> int | bool:
        v = d.find_element(By.TAG_NAME, "body").get_attribute("data-loaded")
        return int(v) if v and int(v) > after else False

    return int(WebDriverWait(drv, 30).until(done))


def test_filter_open_event_and_highlight(server: str, browser: Any, tmp_path: Path) -> None:
    import httpx

    drv = browser
    drv.get(server + "/")
    n = _loaded(drv)
    rows = drv.find_elements(By.CSS_SELECTOR, "#events tbody tr[data-event]")
    total = len(rows)
    assert total > 10
    assert drv.find_elements(By.CSS_SELECTOR, "#timeline svg g.bar")
    assert len(drv.find_elements(By.CSS_SELECTOR, "#map svg path.country")) > 150
    assert drv.find_elements(By.CSS_SELECTOR, "#network svg g.node")
    drv.save_screenshot(str(tmp_path / "dashboard.png"))

    # Set a filter in the form: the table narrows and the URL carries it.
    box = drv.find_element(By.ID, "f-actor")
    box.clear()
    box.send_keys("IRN")
    drv.find_element(By.ID, "apply").click()
    _loaded(drv, n)
    assert parse_qs(urlparse(drv.current_url).query)["actor"] == ["IRN"]
    ids = [r.get_attribute("data-event")
           for r in drv.find_elements(By.CSS_SELECTOR, "#events tbody tr[data-event]")]
    api = httpx.get(server + "/api/events", params={"actor": "IRN", "limit": 500}).json()
    assert ids == [e["event_id"] for e in api["events"]]
    assert 0 < len(ids) < total

    # Open the first event: the sentence shows with its trigger and source highlighted.
    drv.find_element(By.CSS_SELECTOR, "#events tbody tr[data-event]").click()
    WebDriverWait(drv, 20).until(
        lambda d: d.find_element(By.ID, "drawer").is_displayed()
        and d.find_elements(By.CSS_SELECTOR, "#ev-sentence mark.hl-trigger"))
    ev = httpx.get(f"{server}/api/events/{ids[0]}").json()
    trigger = drv.find_element(By.CSS_SELECTOR, "#ev-sentence mark.hl-trigger").text
    assert trigger == ev["trigger"]["text"]
    source = drv.find_elements(By.CSS_SELECTOR, "#ev-sentence mark.hl-source")
    if source:
        assert source[0].text == ev["source"]["text"]
    sentence = drv.find_element(By.ID, "ev-sentence").text
    assert sentence == ev["sentence"]["text"].strip()
    query = parse_qs(urlparse(drv.current_url).query)
    assert query["event"] == [ids[0]] and query["actor"] == ["IRN"]
    drv.save_screenshot(str(tmp_path / "event.png"))

    # The shared link restores the same view.
    drv.get(drv.current_url)
    WebDriverWait(drv, 20).until(
        lambda d: d.find_element(By.ID, "drawer").is_displayed()
        and d.find_elements(By.CSS_SELECTOR, "#ev-sentence mark.hl-trigger"))
    assert drv.find_element(By.ID, "f-actor").get_attribute("value") == "IRN"
    assert (tmp_path / "event.png").stat().st_size > 10_000
