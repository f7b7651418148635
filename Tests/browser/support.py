"""Shared fixture for the browser tests: the sample knowledge base built by the real sopsite binary, served on a free
loopback port, and one headless Debian Chromium driven by Selenium.

Built once per test run (both test modules use it) and torn down at exit. Environment:
  SOPSITE_BIN   the sopsite binary (default: .build/debug/sopsite, which `make test` builds)
  SOPSITE_REPO  the repository whose content/ is built (default: this repository)
  CHROMIUM      the browser (default: /usr/bin/chromium); CHROMEDRIVER (default: /usr/bin/chromedriver)
"""
import atexit
import datetime
import functools
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading

os.environ.setdefault("SE_OFFLINE", "true")   # never let Selenium Manager download a driver

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOPSITE = os.environ.get("SOPSITE_BIN", os.path.join(ROOT, ".build", "debug", "sopsite"))
REPOSITORY = os.environ.get("SOPSITE_REPO", ROOT)


class Site:
    """The built sample site and what its api/pages.json says about each SOP."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="sopsite-browser-")
        self.output = os.path.join(self.folder, "site")
        # Judge reviews on a day after the earliest due date (so some SOPs are overdue) and not before today (so the
        # page's script, which only ever makes a badge more stale, agrees with the build).
        self.build(None)
        dues = sorted(p["review"]["next_due"] for p in self.pages() if p["review"].get("next_due"))
        earliest = datetime.date.fromisoformat(dues[0]) + datetime.timedelta(days=1)
        self.now = max(earliest, datetime.date.today()).isoformat()
        self.build(self.now)
        self.by_id = {p["id"]: p for p in self.pages()}
        with open(os.path.join(self.output, "search", "manifest.js"), encoding="utf-8") as f:
            text = f.read()
        self.manifest = json.loads(text[text.index(",") + 1:text.rindex(")")])
        handler = functools.partial(QuietHandler, directory=self.output)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d/" % self.server.server_address[1]

    def build(self, now):
        command = [SOPSITE, "build", "--repo", REPOSITORY, "--out", self.output, "--force"] + (["--now", now] if now else [])
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError("sopsite build failed (%d):\n%s%s" % (result.returncode, result.stdout, result.stderr))

    def pages(self):
        with open(os.path.join(self.output, "api", "pages.json"), encoding="utf-8") as f:
            return json.load(f)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def start_browser():
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    # --no-sandbox: CI runs as root; --disable-dev-shm-usage: Debian's wrapper fails to add it (stack notes, section 5).
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,900"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_script_timeout(10)
    return driver


_shared = {}


def shared():
    """(site, driver), made on first use and closed when the test run exits."""
    if not _shared:
        site = Site()
        driver = start_browser()
        _shared.update(site=site, driver=driver)

        def close():
            driver.quit()
            site.close()
        atexit.register(close)
    return _shared["site"], _shared["driver"]


def console_errors(driver):
    """Console messages of level SEVERE since the last call, except the browser's own favicon request."""
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]]


def search(driver, query, filters=None):
    """Runs a query through the page's client (window.sopsiteSearch), as the search box does."""
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "window.sopsiteSearch.search(arguments[0], arguments[1]).then(done, function (e) { done({error: String(e)}); });",
        query, filters or {})


def results(driver):
    """The listed results: (data-id, class, text) of each option, in order. Read in one script, so a list the client
    replaces while the reader types cannot go stale half-way through."""
    return [tuple(row) for row in driver.execute_script(
        "return Array.from(document.querySelectorAll('#search-results [role=option]'))"
        ".map(function (o) { return [o.getAttribute('data-id'), o.className, o.innerText]; });")]


def wait_for_first(driver, expected, timeout=5):
    """Waits until the first listed result is `expected`; returns the results, or fails naming what was listed."""
    try:
        WebDriverWait(driver, timeout).until(lambda d: results(d)[:1] and results(d)[0][0] == expected)
    except Exception:
        raise AssertionError("first result is not %s; listed: %s" % (expected, [r[0] for r in results(driver)]))
    return results(driver)
