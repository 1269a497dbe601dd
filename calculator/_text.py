"""Text handling for the matcher: tokens that remember where they were typed, clauses and quantities.

A question becomes a list of :class:`Token`: each keeps its character span in the original text (so
that explanations quote exactly what was typed), its normalised form (case folded, accents and
apostrophes dropped, plural endings removed) and its place: the *sentence* and the *clause* it is in.
Sentences end at ``. ; : ! ( )``, a line break, a spaced dash or "but/however/although"; clauses also
end at commas. Clinical shorthand is kept whole (``s/p``, ``c/o``, ``h/o``, ``r/o``, ``f/u``, ``w/o``,
``y.o.``), a question mark glued to the next word (``?PNS``) is a token of its own, and numbers with
their units become quantities: ages (``72F``, ``10 yo``, ``aged 10``), durations (``x3 wks``, ``2 mo``,
``3/52``), durations ago and temperatures (``38.9``, ``101F``), each with the tokens it used.
Nothing here knows any medical word: the vocabulary is data (see ``_lexicon``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["STOPWORDS", "Quantity", "Token", "fold", "quantities", "stem", "tokenize"]

#: Words that carry no meaning for matching (kept in phrases, skipped when counting distances).
STOPWORDS = frozenset(
    (
        *("a", "an", "the", "and", "or", "of", "for", "in", "on", "at", "by", "to", "from", "with", "into"),
        *("onto", "over", "along", "about", "as", "is", "are", "was", "were", "be", "been", "being", "has"),
        *("have", "had", "this", "that", "these", "those", "patient", "pt", "pts", "who", "which", "his"),
        *("her", "their", "its", "our", "your", "my", "me", "he", "she", "they", "it", "there", "what"),
        *("should", "i", "we", "do", "does", "please", "any", "some", "s", "l", "r", "lt", "left", "right"),
        *("bilateral", "b/l", "side", "sided", "w/", "w", "ie", "eg", "per", "via", "also", "plus", "both"),
        *("than", "then"),
        # where a symptom goes ("tingling down the arm", "numbness across the cheek") is no word between
        *("down", "up", "across", "through", "around", "towards", "toward", "within", "inside", "under"),
    )
)
#: Words that join items of one list (a modifier's scope and a site group run over them).
COORDINATORS = frozenset(("and", "or", "nor", "+", "/", "&", "plus", "with"))

_SENTENCE_WORDS = frozenset(("but", "however", "although", "though", "whereas"))
# Initials with full stops (y.o.), letters split by slashes (s/p, c/o, r/o, f/u, w/o, b/l), ratios of
# weeks, months and days (3/52, 2/12, 5/7), numbers, words, marks, then clause and sentence ends.
_TOKEN = re.compile(
    r"(?P<dotted>(?:[^\W\d_]\.){2,})"
    r"|(?P<slashed>[^\W\d_]{1,2}(?:/[^\W\d_]{1,2})+(?![^\W\d_]))"
    r"|(?P<ratio>\d{1,2}/(?:52|12|7)(?!\d))"
    r"|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)"
    r"|(?P<mark>[?+&/])"
    r"|(?P<clause>,)"
    r"|(?P<sentence>[.;:!()\[\]\n]|\s[-–—]+\s|[–—])"
)


@dataclass
class Token:
    """One token: normalised ``text``, its ``start``/``end`` in the question, and its place."""

    text: str
    start: int
    end: int
    kind: str  # word, num, mark
    glued_before: bool  # no space between this token and the previous one
    glued_after: bool
    sentence: int
    clause: int
    index: int = 0
    #: Set when a quantity (age, duration, temperature) used this token.
    used: bool = False


@dataclass(frozen=True)
class Quantity:
    """An age in years, a duration in weeks, a duration ago in weeks, or a temperature in °C."""

    kind: str  # age, duration, duration-ago, temperature
    value: float
    first: int  # token indexes, inclusive
    last: int


def fold(text: str) -> str:
    """Case folded, accents and apostrophes removed."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("'", "").replace("’", "")


def stem(word: str) -> str:
    """Very light English stemming: plural endings only (deterministic, no dictionary)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` with spans, sentence and clause numbers (boundaries are not tokens)."""
    out: list[Token] = []
    sentence = clause = 0
    prev_end = -1
    for m in _TOKEN.finditer(text):
        group = m.lastgroup or ""
        if group in ("clause", "sentence"):
            clause += 1
            sentence += group == "sentence"
            prev_end = -1
            continue
        raw = m.group()
        if group == "dotted":
            norm = fold(raw.replace(".", ""))
        elif group in ("slashed", "ratio"):
            norm = fold(raw)
        elif group == "word":
            norm = fold(raw)
            if norm in _SENTENCE_WORDS:
                clause += 1
                sentence += 1
                prev_end = -1
                continue
            norm = stem(norm)
        else:
            norm = raw
        kind = "num" if group in ("num", "ratio") else "mark" if group == "mark" else "word"
        glued = m.start() == prev_end
        if raw == "/" and glued and out and out[-1].text == "w" and not _glued_next(text, m.end()):
            # "w/" is "with", not a list of two things
            out[-1].text, out[-1].end = "with", m.end()
            prev_end = m.end()
            continue
        if out and glued:
            out[-1].glued_after = True
        if kind == "mark" and raw == "?" and not _glued_next(text, m.end()):
            # a question mark after words queries them and closes the clause
            out.append(Token("?", m.start(), m.end(), "mark", glued, False, sentence, clause, len(out)))
            clause += 1
            prev_end = -1
            continue
        out.append(Token(norm, m.start(), m.end(), kind, glued, False, sentence, clause, len(out)))
        prev_end = m.end()
    return out


def _glued_next(text: str, at: int) -> bool:
    return at < len(text) and (text[at].isalnum())


# --- quantities -------------------------------------------------------------------------------------

#: Weeks per duration unit, spelled as clinicians abbreviate them (after stemming).
_UNITS = {
    **dict.fromkeys(("d", "day", "dy"), 1 / 7),
    **dict.fromkeys(("w", "wk", "week", "wks"), 1.0),
    **dict.fromkeys(("mo", "mth", "month", "mon", "mnth", "mos"), 52 / 12),
    **dict.fromkeys(("y", "yr", "year", "yrs"), 52.0),
    **dict.fromkeys(("h", "hr", "hour", "hrs"), 1 / 168),
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "few": 3, "several": 3, "couple": 2,
}  # fmt: skip
_AGE_WORDS = frozenset(("yo", "y/o", "yoa", "yob"))
_OLD = frozenset(("old", "yo"))
_TEMP_WORDS = frozenset(("temp", "t", "tmax", "temperature", "febrile", "fever", "pyrexia", "pyrexial"))
_RATIO_WEEKS = {"52": 1.0, "12": 52 / 12, "7": 1 / 7}


def _num(t: Token) -> float | None:
    if t.kind == "num" and "/" not in t.text:
        return float(t.text)
    return float(_NUMBER_WORDS[t.text]) if t.text in _NUMBER_WORDS else None


def quantities(tokens: list[Token]) -> list[Quantity]:
    """Ages, durations and temperatures; the tokens they use are marked ``used``."""
    found: list[Quantity] = []
    i = 0
    while i < len(tokens):
        q = _quantity_at(tokens, i)
        if q is None:
            i += 1
            continue
        for t in tokens[q.first : q.last + 1]:
            t.used = True
        found.append(q)
        i = q.last + 1
    return found


def _at(tokens: list[Token], i: int) -> str:
    return tokens[i].text if 0 <= i < len(tokens) else ""


def _quantity_at(tokens: list[Token], i: int) -> Quantity | None:
    t = tokens[i]
    if t.kind == "num" and "/" in t.text:  # 3/52 weeks, 2/12 months, 5/7 days
        n, d = t.text.split("/")
        return _after_duration(tokens, Quantity("duration", float(n) * _RATIO_WEEKS[d], i, i))
    if t.text in ("age", "aged") and _at(tokens, i + 1) and tokens[i + 1].kind == "num":
        return Quantity("age", float(tokens[i + 1].text), i, i + 1)
    start = i + 1 if t.text == "x" and i + 1 < len(tokens) else i  # x3 wks
    value = _num(tokens[start]) if start < len(tokens) else None
    if value is None:
        return None
    j = start + 1
    unit = _at(tokens, j)
    number = tokens[start].kind == "num"
    if number and unit == "f" and 93 <= value <= 110:
        return Quantity("temperature", round((value - 32) * 5 / 9, 1), start, j)  # 101F
    if number and unit in ("m", "f") and tokens[start].glued_after and 0 < value <= 110:
        return Quantity("age", value, start, j)  # 72F, 55M
    if number and unit in _AGE_WORDS:
        return Quantity("age", value, start, j)
    if unit in _UNITS:
        weeks = value * _UNITS[unit]
        if _at(tokens, j + 1) in _OLD:  # 10 year old, 18 month old
            return Quantity("age", weeks / 52, start, j + 1)
        if _at(tokens, j + 1) == "ago":
            return Quantity("duration-ago", weeks, start, j + 1)
        if not number and len(unit) <= 2:
            return None  # "a d" is not a day
        return _after_duration(tokens, Quantity("duration", weeks, start, j))
    if number:
        return _temperature(tokens, start, value)
    return None


def _after_duration(tokens: list[Token], q: Quantity) -> Quantity | None:
    # "2 mo after chemoRT" dates a treatment; it is not how long a symptom has lasted
    if _at(tokens, q.last + 1) in ("after", "post", "following", "since", "postop"):
        return None
    return q


def _temperature(tokens: list[Token], i: int, value: float) -> Quantity | None:
    unit = _at(tokens, i + 1)
    said = bool({_at(tokens, i - 1), _at(tokens, i - 2)} & _TEMP_WORDS)  # "temp 39.2", "febrile 38.9"
    if 34 <= value <= 43 and (unit in ("c", "degree", "deg") or said):
        return Quantity("temperature", value, i, i + (unit in ("c", "degree", "deg")))
    if 93 <= value <= 110 and said:
        return Quantity("temperature", round((value - 32) * 5 / 9, 1), i, i)
    if unit in ("mm", "cm", "mg", "kg", "lb", "ml"):
        return Quantity("size", value, i, i + 1)  # 5 mm: a size, never a myeloma or a word
    return None
