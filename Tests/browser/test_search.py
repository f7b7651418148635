"""The search box in a real headless Chromium: results as you type, filters, keyboard, review states, the search page
with and without JavaScript, file:// and the console. Expected values come from the built site's api/pages.json."""
import datetime
import os
import time
import unittest

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

import support


class SearchBoxTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.site, cls.driver = support.shared()

    def setUp(self):
        self.driver.get(self.site.url + "customer-support/process-a-refund/")
        support.console_errors(self.driver)   # start each test with an empty log
        self.box = self.driver.find_element(By.ID, "search-input")

    def tearDown(self):
        self.assertEqual(support.console_errors(self.driver), [], "the page logged errors")

    def panel_hidden(self):
        return self.driver.find_element(By.ID, "search-panel").get_attribute("hidden") is not None

    def test_typing_lists_the_right_procedure_first_with_matches_highlighted(self):
        self.box.send_keys("refnd")
        listed = support.wait_for_first(self.driver, "SOP-CS-001")
        self.assertGreater(len(listed), 1)
        marks = [m.text.lower() for m in self.driver.find_elements(By.CSS_SELECTOR, "#search-results [role=option]:first-child mark")]
        self.assertIn("refund", marks)
        self.assertIn("results", self.driver.find_element(By.ID, "search-status").text)
        self.assertEqual(self.box.get_attribute("aria-expanded"), "true")

    def test_results_update_as_each_letter_is_typed(self):
        for letter in "okt":
            self.box.send_keys(letter)
        support.wait_for_first(self.driver, "WI-IT-001")
        self.box.send_keys(Keys.BACK_SPACE * 3 + "interview")
        support.wait_for_first(self.driver, "SOP-HR-002")

    def test_no_match_says_so(self):
        self.box.send_keys("zzqxv")
        WebDriverWait(self.driver, 5).until(lambda d: "No procedure matches" in d.find_element(By.ID, "search-status").text)
        self.assertEqual(support.results(self.driver), [])

    def wait_for_results(self, minimum=1):
        WebDriverWait(self.driver, 5).until(lambda d: len(support.results(d)) >= minimum)
        return [r[0] for r in support.results(self.driver)]

    def test_filters_by_process_owner_and_review_state(self):
        query = "access"
        self.box.send_keys(query)
        before = self.wait_for_results(2)
        # A process and an owner that some, not all, of the unfiltered results have.
        found = support.search(self.driver, query)
        pages = [self.site.by_id[r["id"]] for r in found["results"] if r["id"] in self.site.by_id]
        process = [p["process"] for p in pages if p["process"] != pages[0]["process"]][0]
        owner = [p["owner"] for p in pages if p["owner"] != pages[0]["owner"]][0]

        Select(self.driver.find_element(By.ID, "search-filter-process")).select_by_value(process)
        WebDriverWait(self.driver, 5).until(lambda d: [r[0] for r in support.results(d)] != before)
        listed = self.wait_for_results()
        for page_id in listed:
            self.assertEqual(self.site.by_id[page_id]["process"] if page_id in self.site.by_id else page_id, process, page_id)

        Select(self.driver.find_element(By.ID, "search-filter-process")).select_by_value("")
        Select(self.driver.find_element(By.ID, "search-filter-owner")).select_by_value(owner)
        WebDriverWait(self.driver, 5).until(lambda d: support.results(d) and all(
            self.site.by_id.get(r[0], {}).get("owner", owner) == owner for r in support.results(d)))
        self.assertLess(support.search(self.driver, query, {"owner": owner})["total"], support.search(self.driver, query)["total"])
        Select(self.driver.find_element(By.ID, "search-filter-owner")).select_by_value("")

        # Every overdue SOP, and only those, with an empty query.
        self.box.clear()
        Select(self.driver.find_element(By.ID, "search-filter-state")).select_by_value("overdue")
        overdue = sorted(i for i, p in self.site.by_id.items() if p["review"]["state"] == "overdue")
        self.assertTrue(overdue, "the test site has no overdue SOP (see support.Site)")
        found = support.search(self.driver, "", {"state": "overdue"})
        self.assertEqual(sorted(r["id"] for r in found["results"]), overdue[:10])
        self.assertEqual(found["total"], len(overdue))
        WebDriverWait(self.driver, 5).until(lambda d: sorted(r[0] for r in support.results(d)) == overdue[:10])

    def test_overdue_sops_are_marked_in_results(self):
        overdue = sorted(i for i, p in self.site.by_id.items() if p["review"]["state"] == "overdue")
        self.assertTrue(overdue)
        target = overdue[0]
        self.box.send_keys(target)
        listed = support.wait_for_first(self.driver, target)
        self.assertIn("result--overdue", listed[0][1])
        self.assertIn("Review overdue", listed[0][2])
        current = [i for i, p in self.site.by_id.items() if p["review"]["state"] == "current"]
        if current:
            self.box.clear()
            self.box.send_keys(current[0])
            listed = support.wait_for_first(self.driver, current[0])
            self.assertNotIn("overdue", listed[0][1] + listed[0][2].lower())

    def test_keyboard_slash_arrows_enter_and_escape(self):
        self.driver.find_element(By.TAG_NAME, "h1").click()
        ActionChains(self.driver).send_keys("/").perform()
        self.assertEqual(self.driver.switch_to.active_element, self.box)
        self.assertEqual(self.box.get_attribute("value"), "", "the slash must not be typed into the box")

        self.box.send_keys("access")
        self.wait_for_results(2)
        listed = support.results(self.driver)
        self.box.send_keys(Keys.ARROW_DOWN)
        self.box.send_keys(Keys.ARROW_DOWN)
        self.box.send_keys(Keys.ARROW_UP)
        self.box.send_keys(Keys.ARROW_DOWN)
        selected = self.driver.find_elements(By.CSS_SELECTOR, "#search-results [aria-selected=true]")
        self.assertEqual([s.get_attribute("data-id") for s in selected], [listed[1][0]])
        self.assertEqual(self.box.get_attribute("aria-activedescendant"), selected[0].get_attribute("id"))

        self.box.send_keys(Keys.ESCAPE)
        self.assertTrue(self.panel_hidden())
        self.assertEqual(self.box.get_attribute("aria-expanded"), "false")

        self.box.send_keys(Keys.ARROW_DOWN)   # reopens
        WebDriverWait(self.driver, 5).until(lambda d: not self.panel_hidden() and support.results(d))
        self.box.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ENTER)
        second = self.site.by_id[listed[1][0]]["url"]
        WebDriverWait(self.driver, 5).until(lambda d: d.current_url.endswith(second))

    def test_enter_opens_the_first_result(self):
        self.box.send_keys("SOP-HR-003")
        support.wait_for_first(self.driver, "SOP-HR-003")
        self.box.send_keys(Keys.ENTER)
        WebDriverWait(self.driver, 5).until(lambda d: d.current_url.endswith(self.site.by_id["SOP-HR-003"]["url"]))

    def test_search_page_runs_the_submitted_query(self):
        self.driver.get(self.site.url + "search/?q=partial+refund")
        support.wait_for_first(self.driver, "WI-CS-001")
        self.assertEqual(self.driver.find_element(By.ID, "search-input").get_attribute("value"), "partial refund")

    def test_search_page_lists_every_sop_without_javascript(self):
        self.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        try:
            self.driver.get(self.site.url + "search/")
            rows = self.driver.find_elements(By.CSS_SELECTOR, "table.search-listing tbody tr")
            cells = {r.find_elements(By.TAG_NAME, "td")[0].text: [c.text for c in r.find_elements(By.TAG_NAME, "td")] for r in rows}
            self.assertEqual(sorted(cells), sorted(self.site.by_id))
            # the manifest's [key, label] pairs (the label left out when it is the key)
            titles, owners, states = ({pair[0]: pair[-1] for pair in self.site.manifest[name]} for name in ("processes", "owners", "states"))
            for page_id, page in self.site.by_id.items():
                _, title, process, owner, state = cells[page_id]
                self.assertTrue(title.startswith(page["title"]), page_id)
                self.assertEqual(process, titles.get(page["process"], ""), page_id)
                self.assertEqual(owner, owners.get(page["owner"], page["owner"] or ""), page_id)
                self.assertEqual(state, states[page["review"]["state"]], page_id)
        finally:
            self.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})

    def test_works_from_disk(self):
        self.driver.get("file://" + os.path.join(self.site.output, "hiring", "index.html"))
        box = self.driver.find_element(By.ID, "search-input")
        box.send_keys("job offer")
        support.wait_for_first(self.driver, "SOP-HR-003")

    def test_the_open_search_box_has_no_serious_accessibility_violations(self):
        # axe-selenium-python bundles axe-core 3.1.1 (2018), which predates ARIA 1.2's combobox on an <input>;
        # axe-core-python ships axe-core 4.4 (stack notes, section 5).
        import axe_core_python
        from axe_selenium_python import Axe
        self.box.send_keys("refund")
        support.wait_for_first(self.driver, "SOP-CS-001")
        axe = Axe(self.driver, script_url=os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js"))
        axe.inject()
        self.assertTrue(self.driver.execute_script("return axe.version").startswith("4."))
        report = axe.run(context="form.search")
        serious = ["%s: %s" % (v["id"], v["help"]) for v in report["violations"] if v.get("impact") in ("serious", "critical")]
        self.assertEqual(serious, [])

    def test_a_query_loads_only_part_of_a_sharded_index(self):
        found = support.search(self.driver, "refund")
        self.assertIn("manifest", found["files"])
        self.assertNotIn("facets", found["files"], "facets are for filters only")
        shards = [f for f in os.listdir(os.path.join(self.site.output, "search")) if f.endswith(".js")]
        self.assertLess(len(found["files"]), len(shards) + 1)
        # a result costs its own record: no more document files than results listed
        self.assertLessEqual(len([f for f in found["files"] if f.startswith("docs-")]), len(found["results"]))

    def test_a_word_with_a_digit_or_under_five_letters_needs_no_typo_shard(self):
        self.driver.get(self.site.url + "search/")   # a fresh page: nothing of the index loaded yet
        for query in ["SOP-CS-001", "okta"]:
            found = support.search(self.driver, query)
            self.assertTrue(found["results"], query)
            self.assertEqual([f for f in found["files"] if f.startswith("typos-")], [], query)
        found = support.search(self.driver, "refnd")
        self.assertEqual(found["results"][0]["id"], "SOP-CS-001")
        self.assertTrue([f for f in found["files"] if f.startswith("typos-")])


if __name__ == "__main__":
    unittest.main()
