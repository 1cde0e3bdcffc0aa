#!/usr/bin/env python3
"""Writes porter2-english.tsv, the reference stems for PorterStemmerTests.

Each line is `word<TAB>stem`, where the stem comes from the pure-Python `snowballstemmer` package
(`pip install snowballstemmer`; its "english" algorithm is Porter2). The first line is a `#`
comment naming the snowballstemmer version.

Word list, sorted and deduplicated:
- the 2,000 most frequent tokens of ECB+ DEV (`title` and `body` of each line of
  ecbplus/dev.jsonl), tokenized like the analyzer (`\\w\\w+` after `str.lower()`) and kept only
  when the whole token matches `[a-z]{3,}` (ties broken alphabetically);
- every exceptional form of the algorithm and a set of hand-picked tricky cases (EXTRA below).

usage: make_stemmer_fixture.py [SHARED_DATA_DIR]   (default: ../../../../shared/data from this file)
"""
import collections
import json
import os
import re
import sys

import snowballstemmer

TOP = 2000

# Exceptional forms, R1 prefixes, the Step 1b "-ing"/"-eed" exceptions, and words exercising
# each rule (short words, doubles, y handling, li endings, Step 2-5 suffixes).
EXTRA = """
skis skies dying lying tying idly gently ugly early only singly sky news howe atlas cosmos
bias andes inning innings outing outings canning cannings herring herrings earring earrings
proceed proceeds proceeded proceeding exceed exceeds exceeded succeed succeeds succeeded
evening evenings generously generate general generic generous communism community communication
communal arsenal arsenic emergency emerge emergent interest interesting internal later lateral
organ organization organic past pasted pasting universe universal university cried cries ties
tie tied died dies lied lies gas gaps kiwis kiwi hopping hoping hoped hopped luxuriating
luxuriated fluently bootstrap bootstrapping bootstrapped agreed agreedly feed feeding bleed
fed bed added adding egging eggs erred off offed caresses caress ponies pony ties sky flying
eying saying sayings played playing yelled yellow toy toys youth yes yesterday yyy ayy boy
boys consign consigned consigning consignment consist consisted consistency consistent
knack knackered knock knocked knocking ugliness happily happiness sensibly sensitivity
rationally rational relational conditional hopefulness callousness nationalism attractive
attractively electricity electrical electrician hopeful goodness triplicate formative
formalize adjustable adjustment abbreviate abbreviation dependent controllable roll rolls
rolled controlling fall falls falling hopefully formally ugliest classically
beautifully beautiful harmlessly carelessly chemically biology biologist archaeology
analogist geology geologic apology analogies analogy logi ogi fly flies flied sly dry dried
dries drying crying cry cries cry tries try trying trial trials abundance abundant
inference effective affective active activity dictionary zyzzyva aaa abc xyz bus buses
bussed gasses gassed kissed bias biases news newsy atlases cosmoses andes sky skyline
skying only1 mp3 h2o covid19 well_being 2020 abc_def wave wavy seas sea sees seen
""".split()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "..",
                                                               "shared", "data")
    word = re.compile(r"\w\w+")
    ascii_word = re.compile(r"[a-z]{3,}")
    counts = collections.Counter()
    with open(os.path.join(data, "ecbplus", "dev.jsonl"), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            text = f"{doc.get('title') or ''}\n{doc.get('body') or ''}".lower()
            counts.update(t for t in word.findall(text) if ascii_word.fullmatch(t))
    top = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]
    words = sorted(set(top) | set(EXTRA))

    stemmer = snowballstemmer.stemmer("english")
    out = os.path.join(here, "porter2-english.tsv")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# snowballstemmer {snowballstemmer_version()} english; word<TAB>stem\n")
        for w in words:
            f.write(f"{w}\t{stemmer.stemWord(w)}\n")
    print(f"wrote {len(words)} words to {out}")


def snowballstemmer_version():
    from importlib.metadata import version

    return version("snowballstemmer")


if __name__ == "__main__":
    main()
