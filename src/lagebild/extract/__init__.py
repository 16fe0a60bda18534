"""Per-article extraction, the stages' work: entity mentions (the tagger, its rules, the words and
places names are made of), time expressions, quotations and numeric claims. Nothing here imports
linking: a stage's version is the code it imports (``lagebild.versions``)."""
