"""Draw merge-gold candidates from a dump of bench/merges_dump.py (run with the code before the
fix, so that the candidates are what lagebild merged or could merge, not what the fix does).

    python bench/merges_sample.py DUMP.pickle LANGUAGE SEED > candidates.txt

Kinds of candidate pairs, each side an (article url, surface as written):
- short: a one-word name of an article that does not name it in full, and a multi-word name of
  another article that holds the word (as a word, or after a lower-case particle: "al-Assad"),
  whether lagebild merged them or not;
- shared: two different multi-word names of two articles sharing one word ("Donald Trump",
  "Ivanka Trump"; "Michael Müller", "Gerd Müller");
- hyphen: a hyphenated name alone and a longer name holding it ("Kramp-Karrenbauer");
- possessive: a name with 's / ’s and the name without it in another article;
- variant: two different surfaces lagebild gives one key (spelling, hyphen, transliteration).
Each kind is capped and drawn at random (SEED); each candidate is printed with its two titles and
the text around each side, for reading and labelling by hand.
"""

import pickle
import random
import sys
from collections import defaultdict

CAP = {"short": 60, "shared": 45, "hyphen": 20, "possessive": 20, "variant": 15}


def words_of(name):
    found = set(name.split())
    found |= {w.split("-", 1)[1] for w in name.split() if "-" in w and w[:1].islower()}
    return found


def candidates(dump):
    mentions = dump["mentions"]
    surfaces = defaultdict(set)  # surface -> urls
    people = set()  # surfaces some mention of which is a person
    for url, found in mentions.items():
        for text, name, kind, entity, start, end in found:
            surfaces[text].add(url)
            if kind == "PER":
                people.add(text)
    multi = {s for s in surfaces if " " in s and s[:1].isupper()}
    by_word = defaultdict(set)
    for s in multi:
        for w in words_of(s):
            by_word[w].add(s)
    out = defaultdict(list)
    for s, urls in surfaces.items():
        if " " in s or not s[:1].isupper():
            continue
        full = [f for f in by_word.get(s, ()) if f != s and (s in people or f in people)]
        if s.endswith(("'s", "’s")):
            base = s[:-2]
            out["possessive"] += [(s, base)] if base in surfaces else []
            continue
        if "-" in s and not s[:1].islower():
            out["hyphen"] += [(s, f) for f in full]
        else:
            out["short"] += [(s, f) for f in full]
    for w, names in by_word.items():
        names = sorted(names)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                if len(w) > 3 and a in people and b in people and not (set(a.split()) >= set(b.split()) or set(b.split()) >= set(a.split())):
                    out["shared"].append((a, b))
    by_entity = defaultdict(set)
    for url, found in mentions.items():
        for text, name, kind, entity, start, end in found:
            if " " in text and kind == "PER":
                by_entity[entity].add(text)
    for names in by_entity.values():
        names = sorted(names)
        out["variant"] += [(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if a.replace("-", " ").casefold() != b.replace("-", " ").casefold() or a != b]
    return out, surfaces


def context(dump, url, surface):
    text = dump["texts"][url]
    at = text.find(surface)
    return text[max(0, at - 110) : at + len(surface) + 110].replace("\n", " ")


def main(path, language, seed):
    dump = pickle.loads(open(path, "rb").read())
    rng = random.Random(seed)
    out, surfaces = candidates(dump)
    entity = {(url, m[0]): m[3] for url, found in dump["mentions"].items() for m in found}
    for kind, pairs in out.items():
        pairs = sorted(set(pairs))
        rng.shuffle(pairs)
        for a, b in pairs[: CAP.get(kind, 0)]:
            others = sorted(surfaces[b] - surfaces[a])
            if not others:
                continue  # one article names both: no decision across articles
            url_a, url_b = rng.choice(sorted(surfaces[a])), rng.choice(others)
            merged = entity[(url_a, a)] == entity[(url_b, b)]
            print(f"@@\t{kind}\t{language}\t{url_a}\t{a}\t{url_b}\t{b}\tmerged={merged}")
            print("  A:", context(dump, url_a, a))
            print("  B:", context(dump, url_b, b))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
