"""The articles a `cluster` run analyses, read the way the engine reads them.

Shared by scripts/check_sklearn_parity.py and Benchmarks/peers/run_peers.py: valid records in
file order, each as (id, text) with text = title + "\\n" + body when both are non-empty,
otherwise whichever is; records whose title and body are both empty are left out, as
`--skip-invalid` leaves them out.
"""
import json


def read_records(path):
    """The valid records of a JSON Lines file in file order, as (id, title, body)."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            o = json.loads(line)
            title, body = o.get("title") or "", o.get("body") or ""
            if title.strip() or body.strip():
                yield o["id"], title, body


def read_articles(path, limit=None):
    docs = []
    for id_, title, body in read_records(path):
        docs.append((id_, title + "\n" + body if title and body else (title or body)))
        if limit is not None and len(docs) >= limit:
            break
    return docs
