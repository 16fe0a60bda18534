"""lagebild: a situation picture from a stream of news articles."""

__version__ = "0.1.0"

# every process that lemmatises reads simplemma's dictionaries decoded, from a cache (not from the
# stages' versions: the lemmas are the same either way, so no stored result is made again)
from lagebild.nlp import lemma_cache  # noqa: E402

lemma_cache.install()
