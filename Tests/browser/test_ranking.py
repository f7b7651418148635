"""Ranking: queries a reader types against the sample knowledge base in content/, with the page that must come first.

Runs the real client (theme/assets/search.js) over the real index that sopsite builds from content/. When the sample
content changes, a failing row is a question to answer ("what should a reader get?"), not a number to re-record.
"""
import unittest

import support

# (query as typed, id of the page that must be first, why)
RANKING = [
    ("refund", "SOP-CS-001", "the refund procedure, not the partial-refund work instruction"),
    ("refunds", "SOP-CS-001", "plural"),
    ("refnd", "SOP-CS-001", "one typo (deletion) in a word of five letters"),
    ("rfund", "SOP-CS-001", "one typo next to the first letter"),
    ("refudn", "SOP-CS-001", "two neighbouring letters swapped"),
    ("SOP-CS-001", "SOP-CS-001", "its id"),
    ("sop-cs-001", "SOP-CS-001", "its id in lowercase"),
    ("sop cs 001", "SOP-CS-001", "its id in words"),
    ("ＳＯＰ－ＣＳ－００１", "SOP-CS-001", "its id in full-width characters (NFKC)"),
    ("onboard", "client-onboarding", "the onboarding process"),
    ("client onboarding", "client-onboarding", "the process by its title"),
    ("partial refund", "WI-CS-001", "both words in its title"),
    ("chargeback", "SOP-CS-001", "a word only its body explains"),
    ("escalate complaint", "SOP-CS-002", ""),
    ("damaged item", "SOP-CS-003", ""),
    ("no reply", "SOP-CS-004", ""),
    ("interview", "SOP-HR-002", ""),
    ("job offer", "SOP-HR-003", ""),
    ("new starter", "SOP-HR-004", ""),
    ("major incident", "SOP-IR-001", ""),
    ("post-incident review", "SOP-IR-002", "a hyphenated compound"),
    ("severity", "SOP-IR-003", ""),
    ("classify incidnt", "SOP-IR-003", "a typo in the second word"),
    ("on-call", "SOP-IR-004", "a compound whose first part is a stop word"),
    ("on call handover", "SOP-IR-004", ""),
    ("status page", "WI-IR-001", ""),
    ("production access", "SOP-IT-001", ""),
    ("offboard", "SOP-IT-003", ""),
    ("leaver", "SOP-IT-003", "the title says leaver's"),
    ("jose", "SOP-IT-003", "José in the body, without the accent"),
    ("JOSÉ ALMEIDA", "SOP-IT-003", "case and accent"),
    ("quarterly access review", "SOP-IT-004", ""),
    ("time-limited okta", "WI-IT-001", ""),
    ("okta", "WI-IT-001", "Okta in its title"),
    ("kick-off call", "SOP-ON-004", ""),
    ("credit check", "SOP-ON-002", ""),
    ("trade pricing", "SOP-ON-003", ""),
]


class RankingTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.site, cls.driver = support.shared()
        cls.driver.get(cls.site.url)

    def test_table(self):
        failures = []
        for query, expected, why in RANKING:
            self.assertIn(expected, self.site.by_id.keys() | {pair[0] for pair in self.site.manifest["processes"]},
                          "%r: %s is not in the sample knowledge base" % (query, expected))
            found = support.search(self.driver, query)
            self.assertNotIn("error", found, query)
            first = [r["id"] for r in found["results"][:3]]
            if first[:1] != [expected]:
                failures.append("%r: expected %s first (%s), got %s" % (query, expected, why or "title", first))
        self.assertEqual(failures, [], "\n".join(failures))
        self.assertEqual(support.console_errors(self.driver), [])

    def test_id_prefix_lists_that_family_first(self):
        found = support.search(self.driver, "SOP-IT-00")
        family = sorted(i for i in self.site.by_id if i.startswith("SOP-IT-00"))
        self.assertEqual(sorted(r["id"] for r in found["results"][:len(family)]), family)

    def test_every_sop_is_first_for_its_own_id_and_findable_by_its_title(self):
        for page in self.site.by_id.values():
            found = support.search(self.driver, page["id"])
            self.assertEqual(found["results"][0]["id"], page["id"], page["id"])
            found = support.search(self.driver, page["title"])
            self.assertIn(page["id"], [r["id"] for r in found["results"][:3]], page["title"])


if __name__ == "__main__":
    unittest.main()
