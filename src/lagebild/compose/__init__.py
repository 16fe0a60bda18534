"""Per-story composition: summaries with citations (and, later, what each article adds)."""
