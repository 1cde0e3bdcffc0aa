"""The articles a `cluster` run analyses, read the way the engine reads them.

Shared by scripts/check_sklearn_parity.py and Benchmarks/peers/run_peers.py: valid records in
file order, each as (id, text) with text = title + "\\n" + body when both are non-empty,
otherwise whichever is; records whose title and body are both empty are left out, as
`--skip-invalid` leaves them out.
"""
import json


def read_articles(path, limit=None):
    docs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            o = json.loads(line)
            title, body = o.get("title") or "", o.get("body") or ""
            if not (title.strip() or body.strip()):
                continue
            docs.append((o["id"], title + "\n" + body if title and body else (title or body)))
            if limit is not None and len(docs) >= limit:
                break
    return docs
