"""Cross-article linking: wire-copy reuse (and, as they land, events, stories, entity variants)."""
