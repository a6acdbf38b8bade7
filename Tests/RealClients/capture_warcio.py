"""Captures a site with warcio's capture_http, following links within the site (breadth first)."""
import re
import sys
from urllib.parse import urljoin, urlparse

from warcio.capture_http import capture_http
import requests  # must be imported after capture_http so warcio can record it

base, output = sys.argv[1], sys.argv[2]
seen, queue = set(), [base]
with capture_http(output):
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = requests.get(url)
        if 'text/html' not in response.headers.get('Content-Type', ''):
            continue
        for link in re.findall(r'href="([^"#]+)"', response.text):
            target = urljoin(url, link)
            if urlparse(target).netloc == urlparse(base).netloc:
                queue.append(target)
