#!/usr/bin/env python3
"""Packs the sample sites in Samples/warc-sources/<host>/ into WARC dumps in Samples/dumps/.

    python3 Samples/make-warcs.py              # rewrite Samples/dumps/*.warc.gz
    python3 Samples/make-warcs.py --out DIR    # write them somewhere else
    python3 Samples/make-warcs.py --check      # exit 1 if the committed dumps are not what the sources give

Run it after editing a page under Samples/warc-sources/ and commit the changed .warc.gz with it.

The output looks like a crawler's: WARC/1.1, one gzip member per record, a `warcinfo` record, then
a `request` and a `response` record per page, with sha1/base32 block and payload digests. It is
deterministic so that tests can compare bytes and findings can cite stable record ids: capture
dates are fixed per dump, record ids are UUIDv5 of the record type and URL, and gzip members carry
no time stamp or file name. (The compressed bytes depend on zlib's deflate, so a different zlib
could in principle compress differently; --check therefore compares the records, decompressed.)
Python 3 standard library only.
"""
import argparse
import base64
import datetime
import gzip
import hashlib
import os
import sys
import tempfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "warc-sources")
DUMPS = os.path.join(HERE, "dumps")

# dump name -> (host, first capture time in UTC, what it shows). The charters that pair with them
# are in Samples/charters/ (see README.md).
DUMPS_SPEC = [
    ("bao-hoa-tong-hop", "phuongnamtimes.example.vn", "2026-09-21T01:30:00",
     "Trang tổng hợp có dấu hiệu báo hóa: tên, chuyên mục, chân trang kiểu báo; bài ký PV; tuyển phóng viên"),
    ("tong-hop-dung-quy-dinh", "lamvien.example.vn", "2026-09-21T03:00:00",
     "Trang tổng hợp đúng quy định: trích nguyên văn, ghi nguồn, tác giả, thời gian của tin gốc"),
    ("tap-chi-lech-ton-chi", "suckhoegiadinh.example.vn", "2026-09-22T02:15:00",
     "Tạp chí sức khỏe đăng tin ngoài tôn chỉ: hình sự, bất động sản, giải trí, tai nạn giao thông"),
    ("tap-chi-khoa-hoc-su-kien", "tapchinongnghiep.example.vn", "2026-09-22T04:45:00",
     "Tạp chí khoa học nông nghiệp nhiều tin sự kiện, vụ việc, ít bài nghiên cứu"),
]

# A documentation address (RFC 5737): the sites are fictional.
SERVER_IP = "203.0.113.50"
USER_AGENT = "Mozilla/5.0 (compatible; tonchi-samples/1.0; +https://tonchi.example.vn/samples)"


def digest(data):
    """The form Heritrix, wget and warcio write: sha1, base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def record_id(kind, key):
    return "<urn:uuid:%s>" % uuid.uuid5(uuid.NAMESPACE_URL, "%s %s" % (kind, key))


def warc_date(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def http_date(t):
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return "%s, %02d %s %d %s GMT" % (days[t.weekday()], t.day, months[t.month - 1], t.year, t.strftime("%H:%M:%S"))


def record(headers, block):
    """One WARC record as its own gzip member (what lets readers seek to a record's offset)."""
    head = ["WARC/1.1"] + ["%s: %s" % (k, v) for k, v in headers] + ["Content-Length: %d" % len(block)]
    raw = ("\r\n".join(head) + "\r\n\r\n").encode("utf-8") + block + b"\r\n\r\n"
    return gzip.compress(raw, compresslevel=9, mtime=0)


def pages(host):
    """(URL path, file) of a site's pages: the home page first, then in path order, as a crawler
    that follows the home page's links would fetch them."""
    root = os.path.join(SOURCES, host)
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            rel = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
            path = "/" + (rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel)
            found.append((path, os.path.join(folder, name)))
    found.sort(key=lambda p: (p[0] != "/", p[0]))
    return found


def build(name, host, start, description):
    t0 = datetime.datetime.strptime(start, "%Y-%m-%dT%H:%M:%S")
    filename = name + ".warc.gz"
    info_id = record_id("warcinfo", filename)
    info = (
        "software: tonchi Samples/make-warcs.py\r\n"
        "format: WARC File Format 1.1\r\n"
        "conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
        "isPartOf: tonchi-samples\r\n"
        "description: %s\r\n"
        "robots: obey\r\n"
        "http-header-user-agent: %s\r\n" % (description, USER_AGENT)
    ).encode("utf-8")
    out = [record([("WARC-Type", "warcinfo"), ("WARC-Date", warc_date(t0)), ("WARC-Filename", filename),
                   ("WARC-Record-ID", info_id), ("Content-Type", "application/warc-fields"),
                   ("WARC-Block-Digest", digest(info))], info)]
    for i, (path, file) in enumerate(pages(host)):
        when = t0 + datetime.timedelta(seconds=3 * i + 1)
        url = "https://%s%s" % (host, path)
        with open(file, "rb") as f:
            body = f.read()
        response_id = record_id("response", url)
        request_id = record_id("request", url)
        req = ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n"
               "Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8\r\nAccept-Language: vi-VN,vi;q=0.9\r\n"
               "Accept-Encoding: identity\r\nConnection: close\r\n\r\n" % (path, host, USER_AGENT)).encode("ascii")
        resp_head = ("HTTP/1.1 200 OK\r\nDate: %s\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\n"
                     "Content-Length: %d\r\nCache-Control: max-age=300\r\nConnection: close\r\n\r\n"
                     % (http_date(when), len(body))).encode("ascii")
        resp = resp_head + body
        common = [("WARC-Target-URI", url), ("WARC-Date", warc_date(when)), ("WARC-Warcinfo-ID", info_id)]
        out.append(record([("WARC-Type", "request")] + common +
                          [("WARC-Record-ID", request_id), ("WARC-Concurrent-To", response_id),
                           ("Content-Type", "application/http;msgtype=request"),
                           ("WARC-Block-Digest", digest(req)), ("WARC-Payload-Digest", digest(b""))], req))
        out.append(record([("WARC-Type", "response")] + common +
                          [("WARC-Record-ID", response_id), ("WARC-IP-Address", SERVER_IP),
                           ("Content-Type", "application/http;msgtype=response"),
                           ("WARC-Block-Digest", digest(resp)), ("WARC-Payload-Digest", digest(body)),
                           ("WARC-Identified-Payload-Type", "text/html")], resp))
    return b"".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=DUMPS, help="folder for the .warc.gz files (default: Samples/dumps)")
    parser.add_argument("--check", action="store_true", help="compare with the files in --out instead of writing")
    args = parser.parse_args()
    stale = []
    if not args.check:
        os.makedirs(args.out, exist_ok=True)
    for name, host, start, description in DUMPS_SPEC:
        data = build(name, host, start, description)
        target = os.path.join(args.out, name + ".warc.gz")
        if args.check:
            try:
                with open(target, "rb") as f:
                    # Records, not compressed bytes: another zlib may compress the same records differently.
                    same = gzip.decompress(f.read()) == gzip.decompress(data)
            except (OSError, EOFError, gzip.BadGzipFile):
                same = False
            if not same:
                stale.append(target)
            continue
        # Write through a temporary file so an interrupted run never leaves half a dump.
        fd, tmp = tempfile.mkstemp(dir=args.out, prefix="." + name)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        print("%s: %d page(s), %d bytes" % (target, len(pages(host)), len(data)))
    if stale:
        print("out of date (run python3 Samples/make-warcs.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    if args.check:
        print("sample dumps are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
