"""Whether a sentence can be read on its own, away from the sentences around it (as a summary shows
it): news sentences often lean on the one before.

A sentence needs its context when it opens by pointing back ("Dort hält sich dieser ... auf",
"Demnach hat ...", "Dies sagte ...", "He added ..."), when its subject is a pronoun near the start
("Nun empfing er dort ..."), when a demonstrative stands for something named before ("In
diesem wird festgehalten ..."), when its speaker is a pronoun in a trailing frame ("..., sagte er.",
"..., he said."), or when it is reported speech in Konjunktiv I with nobody saying it in the same
sentence ("Nordkorea habe zudem ... unterstrichen."): the speaker stands in a sentence before.
"""

from __future__ import annotations

import re

from lagebild import lang

_WORD = re.compile(r"\w+(?:-\w+)*")
SUBJECT_WINDOW = 4  # a German main clause may put its subject after the verb: "Nun empfing er ..."
FRAME_WINDOW = 4  # a trailing speech frame: "..., sagte er am Sonntag." / "..., he told reporters."
_INVERTED = re.compile(r"\w[\w-]*(?: [a-zäöüß][\w-]*|,)? (\w+)\b")  # "Momentan ist sie", "Later, he", "Als sie"
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")  # "Das russische Ministerium": a determiner, not "Das hat"


def needs_context(text: str, language: str | None) -> str | None:
    """Why the sentence cannot stand alone (a short reason), or None when it can."""
    words = _WORD.findall(text)
    if not words:
        return None
    if _opens_with_reference(words, language):
        return "opens with a reference to the sentence before"
    if _pronoun_subject(words, language) or _inverted_pronoun_subject(text, language):
        return "a pronoun subject"
    if _demonstrative_pronoun(words, language):
        return "a demonstrative pronoun"
    if _pronoun_speaker(words, language):
        return "a pronoun speaker"
    if _speakerless_subjunctive(words, language):
        return "reported speech without its speaker"
    return None


def _opens_with_reference(words: list[str], language: str | None) -> bool:
    first = words[0]
    if first in lang.words(language, "context_openers"):
        return True
    # "Das hat CNN berichtet", "Dies sagte ...": a demonstrative pronoun, not a determiner
    return first in lang.words(language, "anaphoric_openers") and len(words) > 1 and _verb_like(words[1], language)


def _verb_like(word: str, language: str | None) -> bool:
    if word in lang.words(language, "speech_verbs"):
        return True
    return word[:1].islower() and not word.endswith(_ADJECTIVE_ENDINGS)


def _pronoun_subject(words: list[str], language: str | None) -> bool:
    """A personal pronoun among the first words with no name before it to stand for."""
    pronouns = lang.words(language, "pronouns")
    stopwords = lang.words(language, "stopwords")
    for position, word in enumerate(words[:SUBJECT_WINDOW]):
        if position and word in pronouns:
            return not any(w[:1].isupper() and w.casefold() not in stopwords for w in words[:position])
    return False


def _demonstrative_pronoun(words: list[str], language: str | None) -> bool:
    """"dieser" without its noun near the start ("In diesem wird festgehalten ..."); later in the
    sentence its antecedent is mostly in the sentence itself ("den Entwurf, falls dieser ...").
    German writes nouns capitalised, so a noun after it, or an adjective and then a noun ("diese
    neue Regel"), makes it a determiner."""
    demonstratives = lang.words(language, "demonstratives")
    for position, word in enumerate(words[1:SUBJECT_WINDOW], start=1):
        if word in demonstratives and not _noun_follows(words[position + 1 : position + 3]):
            return True
    return False


def _noun_follows(following: list[str]) -> bool:
    if not following:
        return False
    first = following[0]
    if first[:1].isupper() or first[:1].isdigit():
        return True
    return first.endswith(_ADJECTIVE_ENDINGS) and len(following) > 1 and following[1][:1].isupper()


def _inverted_pronoun_subject(text: str, language: str | None) -> bool:
    """"Momentan ist sie im Homeoffice", "Later, he added", "Als sie ankam": a pronoun subject
    right after the first word, or after the first word and the verb (a name first, "Merkel
    sagte, sie ...", has a comma between the verb and the pronoun)."""
    match = _INVERTED.match(text)
    return bool(match) and match[1] in lang.words(language, "pronouns")


def _pronoun_speaker(words: list[str], language: str | None) -> bool:
    tail = set(words[-FRAME_WINDOW:])
    return bool(tail & lang.words(language, "pronouns")) and bool(tail & lang.words(language, "speech_verbs"))


def _speakerless_subjunctive(words: list[str], language: str | None) -> bool:
    """Konjunktiv I marks reported speech; without a speech verb or an attribution ("laut",
    "zufolge", "nach Angaben") in the sentence, its speaker is in another one. Konjunktiv II
    forms also say "would" or "could" and mark nothing on their own."""
    marks = lang.words(language, "subjunctive") - lang.words(language, "subjunctive_ii")
    if not set(words) & marks:
        return False
    # a frame ends with its speaker ("..., sagte Kim."); a verb at the very end is the reported
    # clause's own ("Nordkorea habe ... unterstrichen.")
    present = set(words[:-1])
    attributions = (
        lang.words(language, "speech_verbs")
        | lang.words(language, "attribution_nouns")
        | {cue for cue in lang.words(language, "report_cues") if " " not in cue}
    )
    return not present & attributions
