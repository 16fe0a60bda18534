"""lagebild: a situation picture from a stream of news articles."""

__version__ = "0.1.0"
