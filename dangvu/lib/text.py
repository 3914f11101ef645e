"""Vietnamese text helpers: NFC normalisation, diacritic-free folding for search, and a sort key.

Why a precomputed sort key rather than a database collation: SQLite has no Vietnamese collation and
PostgreSQL's ICU collation is not available on every server. A key made only of digits orders the same
under every collation (C, ICU, glibc), can be indexed, and gives identical order on both databases.
"""

from __future__ import annotations

import re
import unicodedata

# Vietnamese alphabet order (with the foreign letters f j w z placed where Latin puts them).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_CODE = {ch: 10 + i for i, ch in enumerate(_ALPHABET)}  # 2 digits each: 10..42
_DIGIT_CODE = {str(d): 50 + d for d in range(10)}  # 50..59
_WORD_SEP = "01"
_PART_END = "00"

# Combining tone marks, in Vietnamese dictionary order: ngang (none), huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a distinct letter (ă â ê ô ơ ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}

_SPACES = re.compile(r"\s+")


def nfc(value: str | None) -> str:
    """Unicode NFC with collapsed whitespace: phones and Macs send NFD."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold(value: str | None) -> str:
    """Lower-case, diacritic-free form for search: 'Nguyễn Văn Đức' -> 'nguyen van duc'."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def _syllable_codes(word: str) -> tuple[str, str]:
    """Primary (letters) and secondary (tones) codes for one word."""
    primary: list[str] = []
    tones: list[str] = []
    for base in unicodedata.normalize("NFD", word.lower()):
        if base in _TONES:
            tones.append(str(_TONES[base]))
            continue
        if base in _LETTER_MARKS and primary:
            # Recompose the previous letter with this mark: a+˘ = ă, o+˛ = ơ ...
            prev = primary.pop()
            prev_char = next(ch for ch, code in _LETTER_CODE.items() if f"{code:02d}" == prev)
            composed = unicodedata.normalize("NFC", prev_char + base)
            primary.append(f"{_LETTER_CODE.get(composed, _LETTER_CODE[prev_char]):02d}")
            continue
        if unicodedata.combining(base):
            continue
        if base in _LETTER_CODE:
            primary.append(f"{_LETTER_CODE[base]:02d}")
        elif base in _DIGIT_CODE:
            primary.append(f"{_DIGIT_CODE[base]:02d}")
        # punctuation and other symbols do not take part in ordering
    if len(tones) == 0:
        tones.append("0")
    return "".join(primary), "".join(tones)


def _part_codes(words: list[str]) -> tuple[str, str]:
    primaries, tones = [], []
    for word in words:
        p, t = _syllable_codes(word)
        primaries.append(p)
        tones.append(t)
    return _WORD_SEP.join(primaries), "".join(tones)


def name_sort_key(full_name: str) -> str:
    """Sort key for a Vietnamese personal name: given name (last word) first, then the rest,
    letters in Vietnamese alphabet order at the first level and tones at the second level.

    >>> sorted(["Trần Thị Bình", "Nguyễn Văn An", "Lê Ân"], key=name_sort_key)
    ['Nguyễn Văn An', 'Lê Ân', 'Trần Thị Bình']
    """
    words = nfc(full_name).split(" ")
    if not words or words == [""]:
        return ""
    given, rest = words[-1:], words[:-1]
    given_p, given_t = _part_codes(given)
    rest_p, rest_t = _part_codes(rest)
    return f"{given_p}{_PART_END}{rest_p}{_PART_END}{given_t}{rest_t}"[:250]


def text_sort_key(text: str) -> str:
    """Sort key for a Vietnamese title (organisation names): word order as written."""
    p, t = _part_codes(nfc(text).split(" "))
    return f"{p}{_PART_END}{t}"[:250]


# Letters a folded (diacritic-free) word may stand for: 'a' may be a, ă or â in the name itself.
_FOLDED_VARIANTS = {"a": "aăâ", "d": "dđ", "e": "eê", "o": "oôơ", "u": "uư"}
MAX_GIVEN_NAME_VARIANTS = 64


def given_name_sort_prefixes(folded_word: str) -> list[str]:
    """The `name_sort_key` prefixes of every name whose given name folds to `folded_word`.

    A name's sort key starts with its given name's letters, then the part end mark, so "the given name is
    X" is a prefix match on the indexed sort column; a folded "tuan" stands for Tuan, Tuân, Tuấn, Tưan…:
    one prefix per spelling (at most MAX_GIVEN_NAME_VARIANTS; an implausibly ambiguous word gets none).

    >>> given_name_sort_prefixes("an") == [name_sort_key(n)[:6] for n in ("Lê An", "Lê Ăn", "Lê Ân")]
    True
    """
    prefixes = [""]
    for ch in folded_word:
        letters = _FOLDED_VARIANTS.get(ch, ch)
        codes = [_LETTER_CODE.get(c) or _DIGIT_CODE.get(c) for c in letters]
        if None in codes:
            return []  # a character that names never sort on: no given name can equal the word
        prefixes = [p + f"{code:02d}" for p in prefixes for code in codes]
        if len(prefixes) > MAX_GIVEN_NAME_VARIANTS:
            return []
    return [p + _PART_END for p in prefixes] if folded_word else []


def grouped(value: int) -> str:
    """A count as a reader of the active language writes it: 2.459 in Vietnamese, 2,459 in English."""
    from django.utils.formats import number_format

    return number_format(value, force_grouping=True)
