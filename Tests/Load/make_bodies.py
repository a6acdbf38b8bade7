#!/usr/bin/env python3
"""Writes /v1/check request bodies, one JSON object a line, from real articles (shared/corpus/articles)."""
import json, sys, pathlib

corpus, out, limit = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 300
kinds = ["trang-ttdt-tong-hop", "tap-chi-dien-tu", "tap-chi-khoa-hoc"]
charters = [None, "trang-tong-hop-binh-minh", "tap-chi-suc-khoe"]
bodies = []
for name in ["dantri-10cat.jsonl", "baomoi-aggregator.jsonl", "danes-unlabeled-516-domains.jsonl"]:
    path = corpus / name
    if not path.exists():
        continue
    with path.open(encoding="utf-8") as f:
        for line in f:
            try:
                article = json.loads(line)
            except ValueError:
                continue
            text = "\n".join(x for x in [article.get("title"), article.get("body") or article.get("text")] if x)
            if len(text) < 200:
                continue
            i = len(bodies)
            body = {"text": text[:20000], "kind": kinds[i % 3], "date": "2025-03-01"}
            if charters[i % 3]:
                body["charter"] = charters[i % 3]
                del body["kind"]
            bodies.append(json.dumps(body, ensure_ascii=False))
            if len(bodies) >= limit:
                break
    if len(bodies) >= limit:
        break
if not bodies:
    sys.exit("no articles found under %s" % corpus)
out.write_text("\n".join(bodies) + "\n", encoding="utf-8")
sizes = sorted(len(b.encode()) for b in bodies)
print("bodies: %d, bytes median %d, max %d" % (len(bodies), sizes[len(sizes) // 2], sizes[-1]))
