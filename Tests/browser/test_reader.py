"""The reader's side in a real headless Chromium: accessibility of every kind of page, phone width, printing,
badges that move to overdue when a page is read after its due date, and the owners' calendar feeds."""
import base64
import datetime
import glob
import os
import shutil
import subprocess
import tempfile
import unittest

from support import SOPSITE, REPOSITORY, console_errors, shared

PAGES = {
    "home": "",
    "process": "incident-response/",
    "SOP": "customer-support/process-a-refund/",
    "work instruction": "customer-support/issue-a-partial-refund/",
    "dashboard": "reviews/",
    "search": "search/",
    "revision": "sop/sop-cs-001/rev/6.html",
    "owner": "owners/dana/",
}


class ReaderTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.site, cls.driver = shared()

    def open(self, path, width=1200):
        self.driver.set_window_size(width, 900)
        self.driver.get(self.site.url + path)
        console_errors(self.driver)

    def test_every_kind_of_page_has_no_accessibility_violations(self):
        import axe_core_python
        from axe_selenium_python import Axe
        for name, path in PAGES.items():
            with self.subTest(page=name):
                self.open(path)
                axe = Axe(self.driver, script_url=os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js"))
                axe.inject()
                violations = axe.run()["violations"]
                self.assertEqual([], ["%s: %s (%d)" % (v["id"], v["help"], len(v["nodes"])) for v in violations], name)
                self.assertEqual([], console_errors(self.driver), name)

    def test_pages_fit_a_phone_screen(self):
        for name, path in PAGES.items():
            with self.subTest(page=name):
                self.open(path, width=360)
                overflow = self.driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
                self.assertLessEqual(overflow, 1, "%s scrolls sideways at 360 px" % name)

    def test_keyboard_focus_is_visible(self):
        self.open(PAGES["SOP"])
        body = self.driver.find_element("tag name", "body")
        body.send_keys("\t")
        outline = self.driver.execute_script(
            "var e = document.activeElement; return e.tagName + ' ' + getComputedStyle(e).outlineStyle;")
        self.assertTrue(outline.endswith("solid") or outline.endswith("auto"), outline)

    def test_a_printed_sop_carries_its_identity_and_the_uncontrolled_copy_warning_on_every_page(self):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        self.open(PAGES["SOP"])
        pdf = base64.b64decode(self.driver.print_page())
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "sop.pdf")
            with open(path, "wb") as f:
                f.write(pdf)
            pages = int([line for line in subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout.splitlines()
                         if line.startswith("Pages:")][0].split()[1])
            self.assertGreater(pages, 1)
            for page in range(1, pages + 1):
                text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", path, "-"],
                                      capture_output=True, text=True).stdout
                self.assertIn("SOP-CS-001 · How to process a customer refund", text, "page %d" % page)
                self.assertIn("Uncontrolled copy when printed", text, "page %d" % page)
                self.assertIn("next review due", text, "page %d" % page)
                self.assertNotIn("Search procedures", text, "page %d" % page)

    def test_a_badge_built_as_current_reads_overdue_after_its_due_date(self):
        # Built on a day when SOP-IT-001's review was not yet due; read today, when it is.
        folder = tempfile.mkdtemp(prefix="sopsite-badge-")
        try:
            site = os.path.join(folder, "site")
            subprocess.run([SOPSITE, "build", "--repo", REPOSITORY, "--out", site, "--now", "2026-09-01"], check=True,
                           capture_output=True, timeout=120)
            page = os.path.join(site, "it-access", "grant-production-access", "index.html")
            with open(page, encoding="utf-8") as f:
                html = f.read()
            self.assertIn('data-review-state="current"', html)
            due = html.split('data-review-due="')[1].split('"')[0]
            if datetime.date.fromisoformat(due) >= datetime.date.today():
                self.skipTest("the sample's due date %s has not passed yet" % due)
            self.driver.get("file://" + page)
            badge = self.driver.find_element("css selector", ".sop__status .badge")
            self.assertEqual("overdue", badge.get_attribute("data-review-state"))
            self.assertEqual("Review overdue", badge.text)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def test_every_owner_calendar_feed_is_valid_icalendar_with_one_event_per_due_review(self):
        import icalendar
        feeds = sorted(glob.glob(os.path.join(self.site.output, "reviews", "*.ics")))
        self.assertTrue(feeds)
        due_by_owner = {}
        for page in self.site.pages():
            if page["owner"] and page["review"]["next_due"] and page["status"] != "retired" and not page["superseded_by"]:
                due_by_owner.setdefault(page["owner"], set()).add((page["id"], page["review"]["next_due"]))
        for feed in feeds:
            with open(feed, "rb") as f:
                calendar = icalendar.Calendar.from_ical(f.read())
            owner = os.path.basename(feed)[:-4]
            events = [c for c in calendar.walk("VEVENT")]
            found = {(str(e["UID"]).split("review-")[1].rsplit("-", 3)[0], e.decoded("DTSTART").isoformat()) for e in events}
            self.assertEqual(due_by_owner.get(owner, set()), found, owner)
            for event in events:
                self.assertIsInstance(event.decoded("DTSTART"), datetime.date)
                self.assertTrue(str(event["SUMMARY"]).startswith("Review due: "))


if __name__ == "__main__":
    unittest.main()
