"""Per-article extraction: entities (and, as they land, time expressions, quotes, claims)."""
