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
  score     (cos_word + cos_char) / 2 * (1 - 0.2 * (1 - jaccard(numbers))), the factor 1 unless
            both headlines mention numbers.
  cos_plain TfidfVectorizer(sublinear_tf=True, stop_words="english"): the engine's news-default
            vectorizer (not stemmed), whose cosine is the pair score with --pair-score cosine.

It also records scikit-learn's char_wb terms for a few texts, for the analyzer test.

usage: python3 make_pair_score_fixture.py   (needs scikit-learn and nltk)
"""
import itertools
import json
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
    pairs = []
    for a, b in itertools.combinations(range(len(HEADLINES)), 2):
        factor = 1.0
        if nums[a] and nums[b]:
            x, y = set(nums[a]), set(nums[b])
            factor = 1 - 0.2 * (1 - len(x & y) / len(x | y))
        mean = (word[a, b] + char[a, b]) / 2
        pairs.append({"a": a, "b": b, "cos_word": float(word[a, b]),
                      "cos_char": float(char[a, b]), "score": float(mean * factor),
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
