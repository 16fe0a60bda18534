"""Basic language processing shared by all stages: language identification, sentences."""
