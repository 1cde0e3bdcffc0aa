#!/usr/bin/env python3
"""Writes pair-score-headlines.json, the reference for PairScorerTests.

The blended pair score (EngineConfiguration.pairScore = .blended) of every pair of eight real
headlines from the DEV split of SemEval STS headlines (../shared/data/sts-headlines), fitted on
those eight alone, in the order listed:

  cos_word  TfidfVectorizer(sublinear_tf=True) over the tokens of the default pattern
            (?u)\\b\\w\\w+\\b after lower(), English stop words removed, each stemmed with Porter2
            (NLTK's SnowballStemmer("english")), as the engine's news defaults with stemming.
  cos_char  TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), sublinear_tf=True) on the
            same tokens (stop words kept, not stemmed) joined by single spaces.
  numbers   digit runs joined across one "," or "." between digits ("," dropped), leading zeros
            dropped, and the words zero ... twelve as digits, when no other letter touches them.
  align     the soft word alignment (WordAlignment): the content words (the tokens above, stop
            words removed, not stemmed, every occurrence) of each headline matched with their
            most similar word of the other by the cosine of TfidfVectorizer(analyzer="char_wb",
            ngram_range=(3, 3)) rows fitted on the distinct words (each word one document),
            averaged with weights idf(w) = ln((1 + n) / (1 + df(w))) + 1 over the n headlines,
            then the two directions averaged.
  score     (align + cos_char) / 2 * (1 - 0.2 * (1 - jaccard(numbers))), the factor 1 unless
            both headlines mention numbers (every headline here has at most 20 content words,
            so each is aligned; a longer text takes cos_word in place of align).
  cos_plain TfidfVectorizer(sublinear_tf=True, stop_words="english"): the engine's news-default
            vectorizer (not stemmed), whose cosine is the pair score with --pair-score cosine.

It also records scikit-learn's char_wb terms for a few texts, for the analyzer test.

usage: python3 make_pair_score_fixture.py   (needs scikit-learn and nltk)
"""
import itertools
import json
import math
import os
import re

import nltk
import sklearn
from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

here = os.path.dirname(os.path.abspath(__file__))

HEADLINES = [
    "Three die after car crash at Tian'anmen",
    "Three Killed In Crash At Tiananmen Square",
    "4 NATO Troops Killed in Afghanistan",
    "Eight NATO Troops Killed In Afghanistan",
    "Mohamed Morsi sworn in as Eygptian president",
    "Mursi sworn in as Egyptian president",
    "More than 1,000 inmates escape from Libya's al-Kweifiya prison",
    "1000 prisoners escape from Libyan jail",
]

ANALYZER_TEXTS = ["Straße, café & 東京 2020 x_y a", "Iran's IAEA talks: Rowhani/Rohani (+video)"]

TOKEN = re.compile(r"(?u)\b\w\w+\b")
STEMMER = SnowballStemmer("english")
WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
         "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12"}


def tokens(text):
    return TOKEN.findall(text.lower())


def stemmed_words(text):
    return [STEMMER.stem(t) for t in tokens(text) if t not in ENGLISH_STOP_WORDS]


def numbers(text):
    found = set()
    for run in re.findall(r"[0-9]+(?:[.,][0-9]+)*", text):
        found.add(re.sub(r"^0+(?=[0-9])", "", run.replace(",", "")))
    for word in re.findall(r"[^\W\d_]+", text):
        if word.isascii() and word.lower() in WORDS:
            found.add(WORDS[word.lower()])
    return sorted(found)


def content_words(text):
    return [t for t in tokens(text) if t not in ENGLISH_STOP_WORDS]


def alignments(texts):
    words = [content_words(t) for t in texts]
    vocabulary = sorted({w for ws in words for w in ws})
    row = {w: i for i, w in enumerate(vocabulary)}
    trigrams = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3)).fit_transform(vocabulary)
    similarity = (trigrams @ trigrams.T).toarray()
    n = len(texts)
    df = {w: sum(1 for ws in words if w in ws) for w in vocabulary}
    idf = {w: math.log((1 + n) / (1 + df[w])) + 1 for w in vocabulary}

    def side(xs, ys):
        if not xs or not ys:
            return 0.0
        best = [max(min(1.0, similarity[row[x], row[y]]) for y in ys) for x in xs]
        return sum(idf[x] * b for x, b in zip(xs, best)) / sum(idf[x] for x in xs)

    return lambda a, b: (side(words[a], words[b]) + side(words[b], words[a])) / 2


def cosines(matrix):
    return (matrix @ matrix.T).toarray()


def main():
    word = cosines(TfidfVectorizer(analyzer=stemmed_words, sublinear_tf=True)
                   .fit_transform(HEADLINES))
    char = cosines(TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), sublinear_tf=True,
                                   preprocessor=lambda t: " ".join(tokens(t)))
                   .fit_transform(HEADLINES))
    plain = cosines(TfidfVectorizer(sublinear_tf=True, stop_words="english")
                    .fit_transform(HEADLINES))
    nums = [numbers(h) for h in HEADLINES]
    align = alignments(HEADLINES)
    pairs = []
    for a, b in itertools.combinations(range(len(HEADLINES)), 2):
        factor = 1.0
        if nums[a] and nums[b]:
            x, y = set(nums[a]), set(nums[b])
            factor = 1 - 0.2 * (1 - len(x & y) / len(x | y))
        aligned = align(a, b)
        mean = (aligned + char[a, b]) / 2
        pairs.append({"a": a, "b": b, "cos_word": float(word[a, b]),
                      "cos_char": float(char[a, b]), "align": float(aligned),
                      "score": float(mean * factor),
                      "cos_plain": float(plain[a, b])})
    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).build_analyzer()
    fixture = {
        "sklearn_version": sklearn.__version__,
        "nltk_version": nltk.__version__,
        "headlines": HEADLINES,
        "numbers": nums,
        "pairs": pairs,
        "char_wb_2_4": [{"text": t, "terms": analyzer(" ".join(tokens(t)))}
                        for t in ANALYZER_TEXTS],
    }
    with open(os.path.join(here, "pair-score-headlines.json"), "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
