"""Prints a scan's findings as sorted lines (rule, page path, evidence), independent of how the site was captured."""
import json
import sys
from urllib.parse import urlparse

report = json.load(open(sys.argv[1]))
lines = set()
for site in report["sites"]:
    for page in site["pages"]:
        path = urlparse(page.get("url") or "").path
        for finding in page["findings"]:
            lines.add("%s %s %s" % (finding["ruleID"], path, "|".join(s["excerpt"] for s in finding["spans"])))
    for finding in site["repeatedFindings"] + site["siteFindings"]:
        pages = sorted(urlparse(p).path for p in finding["pages"])
        lines.add("%s site %s %s" % (finding["ruleID"], ",".join(pages), "|".join(s["excerpt"] for s in finding["spans"])))
print("\n".join(sorted(lines)))
