"""Basic language processing shared by all stages: language identification, sentences, word
tokens, sub-word pieces, simplemma's dictionaries decoded once per machine, and article vectors
(multilingual-e5-small in int8 on ONNX Runtime, ``e5_int8``; ``embeddings`` chooses the engine)."""
