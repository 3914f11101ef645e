"""Vietnamese text written in the legacy 8-bit encodings TCVN3 (ABC) and VNI, found and converted to Unicode.

Office spreadsheets made with the .VnTime fonts (TCVN3, TCVN 5712:1993 "VN3") or the VNI-Times fonts (VNI
Windows) still circulate. Excel keeps their bytes as the Latin-1 characters of the same codes, so that
"Nguyễn Văn Hùng" arrives as "NguyÔn V¨n Hïng" (TCVN3: one code per letter) or "Nguyeãn Vaên Huøng" (VNI: a
base letter followed by a code for its marks). Nothing in a cell says which encoding it holds; the text tells:

- a value with any character beyond Latin-1 (ă, đ, ơ, ư, ổ, ...) is Unicode already and is never touched;
- otherwise each word (a run of letters and legacy codes between spaces, digits and ASCII punctuation) is
  judged under each encoding: a word that is not a Vietnamese syllable as written but is one once converted
  (and has an ASCII letter, so that "©" alone never counts) is *fixed*; a Vietnamese syllable that would stop
  being one is *spoiled*; a word that is not one either way is *broken*;
- an encoding qualifies when it fixes at least one word, spoils none and fixes more words than it leaves
  broken; the value is converted under that encoding (every word, so that "Tó" in a TCVN3 value becomes "Tú")
  when exactly one encoding qualifies, or one fixes more words than the other, or (as many fixed) one alters
  fewer words that were Vietnamese already ("Höu trí" is VNI "Hưu trí", not TCVN3 "Hửu trớ"); otherwise the
  value is left as it is ("Chi bé" is Unicode, or TCVN3 for "Chi bộ": it stays "Chi bé").

What cannot be recovered: TCVN3 toned capitals (Ấ, Ễ, ...) exist only in the capitals-only fonts (.VnTimeH),
which reuse the lowercase codes. A word whose other letters are all capitals is taken as written in such a
font and converted to capitals ("NGUYÔN" -> "NGUYỄN"); elsewhere the lowercase letter is kept ("¸nh" ->
"ánh"). Text that was typed in a legacy font but saved through a CSV in a code page other than Windows-1252
is not Latin-1 any more and is not recognised.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

TCVN3, VNI = "tcvn3", "vni"
NAMES = {TCVN3: "TCVN3", VNI: "VNI"}

# TCVN3 (ABC): one code per letter. Lowercase letters with their tones, then the seven capitals the
# ordinary (mixed-case) fonts have. U+00AD, the soft hyphen, is the code of ư.
_TCVN3_PAIRS = (
    "µà ¸á ¶ả ·ã ¹ạ "
    "¨ă »ằ ¾ắ ¼ẳ ½ẵ Æặ "
    "©â Çầ Êấ Èẩ Éẫ Ëậ "
    "®đ "
    "Ìè Ðé Îẻ Ïẽ Ñẹ "
    "ªê Òề Õế Óể Ôễ Öệ "
    "×ì Ýí Øỉ Üĩ Þị "
    "ßò ãó áỏ âõ äọ "
    "«ô åồ èố æổ çỗ éộ "
    "¬ơ êờ íớ ëở ìỡ îợ "
    "ïù óú ñủ òũ ôụ "
    "\u00adư õừ øứ öử ÷ữ ùự "
    "úỳ ýý ûỷ üỹ þỵ "
    "¡Ă ¢Â §Đ £Ê ¤Ô ¥Ơ ¦Ư"
)
TCVN3_TABLE: dict[str, str] = {pair[0]: pair[1] for pair in _TCVN3_PAIRS.split(" ")}

# VNI Windows: a base letter followed by one code for its marks.
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
_TONES = (_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT)
_VNI_TONE = ("øùûõï", "ØÙÛÕÏ")  # after a e o u y (and ơ ư): grave, acute, hook, tilde, dot
_VNI_CIRCUMFLEX = ("âàáåãä", "ÂÀÁÅÃÄ")  # after a e o: circumflex alone, then with the five tones
_VNI_BREVE = ("êèéúüë", "ÊÈÉÚÜË")  # after a: breve alone, then with the five tones
VNI_SINGLE: dict[str, str] = {
    "ô": "ơ",
    "Ô": "Ơ",
    "ö": "ư",
    "Ö": "Ư",
    "ñ": "đ",
    "Ñ": "Đ",
    "ì": "ì",
    "í": "í",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "Ì": "Ì",
    "Í": "Í",
    "Æ": "Ỉ",
    "Ó": "Ĩ",
    "Ò": "Ị",
    "î": "ỵ",
    "Î": "Ỵ",
}


def _vni_pairs() -> dict[str, str]:
    """Base letter + mark code -> letter. The letter's case is the base's (a mark code of either case)."""

    def compose(*parts: str) -> str:
        return unicodedata.normalize("NFC", "".join(parts))

    pairs: dict[str, str] = {}
    for marks in _VNI_TONE:
        for base in "aeouyAEOUY":
            for mark, tone in zip(marks, _TONES, strict=True):
                pairs[base + mark] = compose(base, tone)
        for base in "ôÔöÖ":
            for mark, tone in zip(marks, _TONES, strict=True):
                pairs[base + mark] = compose(VNI_SINGLE[base], tone)
    for marks in _VNI_CIRCUMFLEX:
        for base in "aeoAEO":
            for mark, tone in zip(marks, ("", *_TONES), strict=True):
                pairs[base + mark] = compose(base, _CIRCUMFLEX, tone)
    for marks in _VNI_BREVE:
        for base in "aA":
            for mark, tone in zip(marks, ("", *_TONES), strict=True):
                pairs[base + mark] = compose(base, _BREVE, tone)
    return pairs


VNI_PAIRS = _vni_pairs()


# -- Vietnamese syllables --------------------------------------------------------------------------------

_INITIALS = "ngh ng nh ch gh gi kh ph qu th tr kr pl b c d đ g h k l m n p r s t v x"
# Vowel nuclei: ă and â need a final consonant; those ending in a glide (ai, ao, âu ...) and ia ua ưa uya
# take none; the others may have one.
_NUCLEI_CLOSED = "ă â"
_NUCLEI_CLOSABLE = "a e ê i o ô ơ u ư y iê oa oă oe uâ uê uô uơ ươ uy yê uyê"
_NUCLEI_OPEN = "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu oai oao oay oeo uây uôi ươi ươu uya uyu yêu"
_FINALS = "ch nh ng c m n p t k"  # k: the Central Highlands names (Đắk Lắk)


def _alternatives(words: str) -> str:
    return "|".join(sorted(words.split(), key=len, reverse=True))


_SYLLABLE = re.compile(
    f"(?:{_alternatives(_INITIALS)})?"
    f"(?:(?:{_alternatives(_NUCLEI_CLOSED)})(?:{_alternatives(_FINALS)})"
    f"|(?:{_alternatives(_NUCLEI_CLOSABLE)})(?:{_alternatives(_FINALS)})?"
    f"|(?:{_alternatives(_NUCLEI_OPEN)}))"
)
_TONE_MARKS = frozenset(_TONES)
_WORDS_CACHED = 50_000  # words repeat across the rows of a file (family names, places)


@lru_cache(maxsize=_WORDS_CACHED)
def is_syllable(word: str) -> bool:
    """A Vietnamese syllable in Unicode: an optional initial consonant, a vowel nucleus, an optional final
    consonant, at most one tone mark; written in lowercase, Capitalised or in CAPITALS."""
    if not word or not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
    if tones > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(toneless) is not None


# -- converting --------------------------------------------------------------------------------------------

# Words: runs of anything but spaces, digits and ASCII punctuation (the legacy codes are symbols as often as
# letters: ¨ © ® ¬ µ ...).
_WORD = re.compile(r"[^\s0-9!-/:-@\[-`{-~]+")


def _ascii_letters(word: str) -> str:
    return "".join(ch for ch in word if ch.isascii() and ch.isalpha())


@lru_cache(maxsize=_WORDS_CACHED)
def tcvn3_word(word: str) -> str:
    converted = "".join(TCVN3_TABLE.get(ch, ch) for ch in word)
    letters = _ascii_letters(word)
    if converted != word and len(letters) >= 2 and letters.isupper():
        converted = converted.upper()  # a capitals-only font (.VnTimeH) uses the lowercase codes
    return unicodedata.normalize("NFC", converted)


@lru_cache(maxsize=_WORDS_CACHED)
def vni_word(word: str) -> str:
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        pair = VNI_PAIRS.get(word[i : i + 2])
        if pair is not None:
            out.append(pair)
            i += 2
        else:
            out.append(VNI_SINGLE.get(word[i], word[i]))
            i += 1
    return unicodedata.normalize("NFC", "".join(out))


_CONVERTERS: dict[str, Callable[[str], str]] = {TCVN3: tcvn3_word, VNI: vni_word}
ENCODINGS = tuple(_CONVERTERS)


@dataclass(frozen=True)
class Conversion:
    encoding: str  # TCVN3 or VNI
    text: str  # the value in Unicode (NFC)

    @property
    def name(self) -> str:
        return NAMES[self.encoding]


def _score(value: str, convert_word: Callable[[str], str]) -> tuple[int, int] | None:
    """(words fixed, minus words altered though already Vietnamese) when `convert_word` may be applied to
    `value`, None when it must not (see the module)."""
    fixed = broken = altered = 0
    for word in _WORD.findall(value):
        if word.isascii():
            continue
        after = convert_word(word)
        valid_before = is_syllable(word)
        valid_after = is_syllable(after)
        if valid_before and not valid_after:
            return None  # spoiled: a Vietnamese word would stop being one
        if not valid_before and valid_after:
            if _ascii_letters(word):
                fixed += 1
        elif not valid_after:
            broken += 1
        elif after != word:
            altered += 1
    return (fixed, -altered) if fixed > broken else None


def detect(value: str) -> Conversion | None:
    """The value converted from TCVN3 or VNI, or None when it is not (clearly) in one of them."""
    if not value or value.isascii() or max(value) > "\xff":
        return None
    scores = {e: score for e, word in _CONVERTERS.items() if (score := _score(value, word)) is not None}
    if not scores:
        return None
    best = max(scores, key=lambda e: scores[e])
    if list(scores.values()).count(scores[best]) > 1:
        return None  # both encodings fit equally well: in doubt, the value is left as written
    return Conversion(best, convert(value, best))


def convert(value: str, encoding: str) -> str:
    """`value` read as written in `encoding` (TCVN3 or VNI), whatever it holds: for callers that know the
    text it must be (the import's column headers); others use detect()."""
    word = _CONVERTERS[encoding]
    return unicodedata.normalize("NFC", _WORD.sub(lambda m: word(m.group()), value))
