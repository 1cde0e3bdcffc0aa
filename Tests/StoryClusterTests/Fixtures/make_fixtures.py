#!/usr/bin/env python3
"""Writes the scikit-learn TF-IDF parity fixtures the Swift tests compare against.

For each corpus (a hand-written multilingual one, and the two committed samples) and two
parameter sets, it runs TfidfVectorizer.fit_transform on the articles in ascending UTF-8 byte
order of id (the engine's order), with text = title + "\\n" + body (or whichever is non-empty),
and records: the sklearn version, the parameters, the sorted vocabulary, idf, and the CSR arrays.

usage: python3 make_fixtures.py   (needs scikit-learn; see Benchmarks/peers/requirements.txt)
"""
import json
import os

import sklearn
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

here = os.path.dirname(os.path.abspath(__file__))

TINY = [
    {"id": "t1", "title": "Ελληνικά νέα", "body": "Η ΟΔΟΣ και η πόλη. Привет мир! Straße café."},
    {"id": "t2", "title": "", "body": "東京 2020 Olympics: café owners cheer; x_y don't stop 3.14"},
    {"id": "t3", "title": "İstanbul talks", "body": "Talks, talks and more TALKS in İstanbul 2020."},
    {"id": "t4", "title": "Straße news", "body": "The straße was closed; café Ελληνικά owners."},
]

PARAMETERS = {
    "default": {},
    "tuned": {"sublinear_tf": True, "stop_words": "english", "min_df": 2, "max_df": 0.9, "norm": "l2"},
}


def text(article):
    title, body = article.get("title") or "", article.get("body") or ""
    return title + "\n" + body if title and body else (title or body)


def load(name):
    with open(os.path.join(here, "samples", name), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def write(corpus, articles, source):
    articles = sorted(articles, key=lambda a: a["id"].encode("utf-8"))
    for label, params in PARAMETERS.items():
        vectorizer = TfidfVectorizer(**params)
        matrix = vectorizer.fit_transform([text(a) for a in articles]).tocsr()
        matrix.sort_indices()
        fixture = {
            "sklearn_version": sklearn.__version__,
            "params": params,
            "source": source,
            "ids": [a["id"] for a in articles],
            "vocabulary": list(vectorizer.get_feature_names_out()),
            "idf": [float(x) for x in vectorizer.idf_],
            "indptr": [int(x) for x in matrix.indptr],
            "indices": [int(x) for x in matrix.indices],
            "data": [float(x) for x in matrix.data],
        }
        if source is None:
            fixture["documents"] = [{"id": a["id"], "text": text(a)} for a in articles]
        path = os.path.join(here, f"tfidf-{corpus}-{label}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(fixture, f, ensure_ascii=False)
        print(path, len(articles), "articles", len(fixture["vocabulary"]), "terms")


write("tiny", TINY, None)
write("ecbplus", load("ecbplus-dev-sample.jsonl"), "samples/ecbplus-dev-sample.jsonl")
write("uci", load("uci-dev-sample.jsonl"), "samples/uci-dev-sample.jsonl")
with open(os.path.join(here, "stopwords-english.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(sorted(ENGLISH_STOP_WORDS)) + "\n")
