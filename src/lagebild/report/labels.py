"""How listings name an article's source, shared by the terminal views and the Markdown briefing."""

from __future__ import annotations

from collections import Counter


def source_label(article: dict) -> str:
    """Who published an article: its credits, else its outlet, else its file."""
    return "/".join(article["credits"]) or article["outlet"] or article["path"].rsplit("/", 1)[-1]


def counted_sources(articles) -> str:
    """The sources of some articles, each once with its count: "dpa ×2, AFP, Reuters"."""
    return ", ".join(name if n == 1 else f"{name} ×{n}" for name, n in Counter(source_label(article) for article in articles).items())
