"""Passport Hepburn romaji for the name printed beside the kanji name.

The next card prints the romaji name aligned with the passport (card-standards §10b), so the rules are
MOFA's passport Hepburn (card-standards §7, after the interscript map ``mofa-jpn-Hrkt-Latn-1989`` and
its MOFA test list). MOFA decides long vowels by meaning (松浦 MATSUURA, 小団扇 KOUCHIWA and 井上 INOUE
are not long vowels), which kana alone cannot show. The rules below therefore are a best reading of the
kana; an explicit ``romaji`` on the record always wins, and a ``|`` in the reading marks a morpheme
boundary a caller knows about (``こ|うちわ`` → KOUCHIWA). A card prints only the record's spelling;
deriving one from the kana is an explicit opt-in (``derive_romaji``) that refuses the readings below
where the boundary decides the spelling. Limits of the kana-only reading:

* OU is always one long O (いのうえ → INOE, although 井上 is INOUE; こうちわ → KOCHIWA).
* UU is one long U except after TSU (まつうら → MATSUURA; a one-morpheme つう such as 通 is rare in
  names, a つ+う morpheme boundary such as 松浦 is common), so 湯浦 ゆうら becomes YURA.
* OO is one long O unless it ends the word (SENOO); a word-internal o+o morpheme seam reads as long.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

LongVowel = Literal["omit", "oh"]

# MOFA passport Hepburn syllable table, card-standards §7 (gojūon, dakuon, handakuon, yōon).
_BASE: dict[str, str] = {
    "あ": "A", "い": "I", "う": "U", "え": "E", "お": "O",
    "か": "KA", "き": "KI", "く": "KU", "け": "KE", "こ": "KO",
    "さ": "SA", "し": "SHI", "す": "SU", "せ": "SE", "そ": "SO",
    "た": "TA", "ち": "CHI", "つ": "TSU", "て": "TE", "と": "TO",
    "な": "NA", "に": "NI", "ぬ": "NU", "ね": "NE", "の": "NO",
    "は": "HA", "ひ": "HI", "ふ": "FU", "へ": "HE", "ほ": "HO",
    "ま": "MA", "み": "MI", "む": "MU", "め": "ME", "も": "MO",
    "や": "YA", "ゆ": "YU", "よ": "YO",
    "ら": "RA", "り": "RI", "る": "RU", "れ": "RE", "ろ": "RO",
    "わ": "WA", "ゐ": "I", "ゑ": "E", "を": "O",
    "が": "GA", "ぎ": "GI", "ぐ": "GU", "げ": "GE", "ご": "GO",
    "ざ": "ZA", "じ": "JI", "ず": "ZU", "ぜ": "ZE", "ぞ": "ZO",
    "だ": "DA", "ぢ": "JI", "づ": "ZU", "で": "DE", "ど": "DO",
    "ば": "BA", "び": "BI", "ぶ": "BU", "べ": "BE", "ぼ": "BO",
    "ぱ": "PA", "ぴ": "PI", "ぷ": "PU", "ぺ": "PE", "ぽ": "PO",
    # ヴ → BU; the letter V is not used (card-standards §7).
    "ゔ": "BU",
}  # fmt: skip

# Yōon, card-standards §7 table columns ya/yu/yo (SHA, CHA, JA, and ぢゃ JA).
_YOON_ONSET = {
    "き": "KY", "し": "SH", "ち": "CH", "に": "NY", "ひ": "HY", "み": "MY",
    "り": "RY", "ぎ": "GY", "じ": "J", "ぢ": "J", "び": "BY", "ぴ": "PY",
}  # fmt: skip
_YOON: dict[str, str] = {
    onset_kana + small: onset + vowel
    for onset_kana, onset in _YOON_ONSET.items()
    for small, vowel in (("ゃ", "A"), ("ゅ", "U"), ("ょ", "O"))
}

# Foreign-sound combinations, card-standards §7; ニィ NII from the interscript MOFA map.
# ヴァ/ヴィ/ヴェ/ヴォ may be BA or BUA etc.; MOFA's own examples (ヴィヴィアン BIBIAN,
# ヴォードレール BODORERU) use the short form, so this table does too.
_FOREIGN: dict[str, str] = {
    "しぇ": "SHIE", "ちぇ": "CHIE", "てぃ": "TEI", "でぃ": "DEI", "でゅ": "DEYU",
    "ふぁ": "FUA", "ふぃ": "FUI", "ふぇ": "FUE", "ふぉ": "FUO", "じぇ": "JIE",
    "うぃ": "UI", "うぇ": "UE", "うぉ": "UO", "にぇ": "NIE", "にぃ": "NII",
    "ゔぁ": "BA", "ゔぃ": "BI", "ゔぇ": "BE", "ゔぉ": "BO",
}  # fmt: skip

SYLLABLES: Mapping[str, str] = {**_BASE, **_YOON, **_FOREIGN}
"""Every kana syllable this module romanises (hiragana spelling; katakana is folded to it)."""

_SOKUON = "っ"
_HATSUON = "ん"
_CHOON = "ー"
_BOUNDARY = "|"
_BARE_VOWELS = frozenset("あいうえお")
_WORD_SEPARATORS = re.compile(r"[\s・]+")  # ASCII/full-width space (NFKC) and the katakana middle dot
_ROMAJI_OK = re.compile(r"[A-Z]+(?:-[A-Z]+)*")


@dataclass(frozen=True, slots=True)
class _Unit:
    kana: str
    latin: str  # empty for っ, ん, ー and the boundary mark


def _fold_to_hiragana(text: str) -> str:
    """Katakana → hiragana so one table serves both scripts; NFKC first for half-width katakana."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):
        code = ord(ch)
        if 0x30A1 <= code <= 0x30F6 or code in (0x30FD, 0x30FE):  # ァ..ヶ, ヽ, ヾ
            out.append(chr(code - 0x60))
        else:
            out.append(ch)
    return "".join(out)


def _expand_iteration_marks(text: str) -> str:
    """ゝ repeats the previous kana unvoiced, ゞ voiced (e.g. みすゞ), so the table need not know them."""
    out: list[str] = []
    for index, ch in enumerate(text):
        if ch in "ゝゞ":
            if not out or out[-1] not in SYLLABLES:
                raise ValueError(f"iteration mark {ch!r} (U+{ord(ch):04X}) at position {index} repeats nothing")
            base = unicodedata.normalize("NFD", out[-1])[0]
            if ch == "ゞ":
                voiced = unicodedata.normalize("NFC", base + "\u3099")
                base = voiced if len(voiced) == 1 else base
            out.append(base)
        else:
            out.append(ch)
    return "".join(out)


def _tokenise(word: str) -> list[_Unit]:
    units: list[_Unit] = []
    index = 0
    while index < len(word):
        pair = word[index : index + 2]
        ch = word[index]
        if len(pair) == 2 and pair in SYLLABLES:
            units.append(_Unit(pair, SYLLABLES[pair]))
            index += 2
            continue
        if ch in SYLLABLES:
            units.append(_Unit(ch, SYLLABLES[ch]))
        elif ch in (_SOKUON, _HATSUON, _CHOON, _BOUNDARY):
            units.append(_Unit(ch, ""))
        else:
            raise ValueError(
                f"cannot romanise {ch!r} (U+{ord(ch):04X}): not in the MOFA passport Hepburn table; give an explicit romaji"
            )
        index += 1
    return units


def _next_syllable(units: list[_Unit], index: int) -> _Unit | None:
    """The syllable after ``index`` within the word; a morpheme boundary does not stop ん/っ rules."""
    for unit in units[index + 1 :]:
        if unit.kana == _BOUNDARY:
            continue
        return unit if unit.latin else None
    return None


def _is_long(prev: _Unit, unit: _Unit, *, morpheme_final: bool) -> bool:
    # MOFA long vowels, card-standards §7: OU→O and UU→U always, OO→O except word-final (SENOO);
    # UU after TSU is kept (MATSUURA), see the module docstring for why.
    before, after = prev.latin[-1], unit.latin
    if before == "O" and after == "U":
        return True
    if before == "U" and after == "U":
        return prev.kana != "つ"
    return before == "O" and after == "O" and not morpheme_final


def _romanise_word(units: list[_Unit], long_vowel: LongVowel) -> str:
    out: list[str] = []
    prev: _Unit | None = None  # previous syllable that can start a long vowel
    for index, unit in enumerate(units):
        if unit.kana == _BOUNDARY:
            prev = None
        elif unit.kana == _CHOON:
            # ー is dropped (MOFA: NINA, SARI; card-standards §7); "oh" writes long O as OH.
            if prev is not None and long_vowel == "oh" and prev.latin.endswith("O"):
                out.append("H")
            prev = None
        elif unit.kana == _SOKUON:
            # っ doubles the next consonant, T before CH (HATTORI, HOTCHI; card-standards §7);
            # with no consonant after it there is nothing to double and it is dropped.
            nxt = _next_syllable(units, index)
            if nxt is not None and nxt.latin[0] not in "AIUEO":
                out.append("T" if nxt.latin.startswith("CH") else nxt.latin[0])
            prev = None
        elif unit.kana == _HATSUON:
            # ん → M before B, M, P, else N, never an apostrophe (NAMBA, SHINYA; card-standards §7).
            nxt = _next_syllable(units, index)
            out.append("M" if nxt is not None and nxt.latin[0] in "BMP" else "N")
            prev = None
        elif prev is not None and unit.kana in _BARE_VOWELS:
            following = units[index + 1] if index + 1 < len(units) else None
            final = following is None or following.kana == _BOUNDARY
            if _is_long(prev, unit, morpheme_final=final):
                if long_vowel == "oh" and prev.latin.endswith("O"):
                    out.append("H")
                prev = None  # a long vowel is not lengthened twice
            else:
                out.append(unit.latin)
                prev = unit
        else:
            out.append(unit.latin)
            prev = unit
    return "".join(out)


def passport_romaji(kana: str, *, long_vowel: LongVowel = "omit") -> str:
    """Passport Hepburn (uppercase, one space between words) for a hiragana/katakana reading.

    ``long_vowel="oh"`` writes a long O as OH (KATOH, OHNO), the spelling MOFA allows on request
    (card-standards §7, 非ヘボン式ローマ字氏名表記); long U is still written U.
    """
    if not isinstance(kana, str):
        raise ValueError(f"kana reading must be a string, got {type(kana).__name__}")
    if long_vowel not in ("omit", "oh"):
        raise ValueError(f"long_vowel must be 'omit' or 'oh', got {long_vowel!r}")
    text = _expand_iteration_marks(_fold_to_hiragana(kana).replace("｜", _BOUNDARY))
    words = [word for word in _WORD_SEPARATORS.split(text) if word]
    if not words:
        raise ValueError("kana reading is empty")
    latin_words = [_romanise_word(_tokenise(word), long_vowel) for word in words]
    result = " ".join(word for word in latin_words if word)
    if not result:
        raise ValueError("kana reading has no syllable to romanise")
    return result


def validate_romaji(text: str) -> str:
    """An explicit romaji name, uppercased and single-spaced; only A–Z, space and hyphen.

    The passport data page uses Latin capitals only and no macrons or V-spellings are written by MOFA
    (card-standards §7); hyphens appear in double-barrelled foreign names.
    """
    if not isinstance(text, str):
        raise ValueError(f"romaji must be a string, got {type(text).__name__}")
    folded = unicodedata.normalize("NFKC", text)
    for ch in folded:
        # Checked before upper-casing, so that e.g. "ß" cannot turn into "SS" unseen.
        if not ("A" <= ch <= "Z" or "a" <= ch <= "z" or ch == "-" or ch.isspace()):
            raise ValueError(f"romaji may hold only A-Z, space and hyphen; found {ch!r} (U+{ord(ch):04X})")
    words = folded.upper().split()
    if not words:
        raise ValueError("romaji is empty")
    for word in words:
        if not _ROMAJI_OK.fullmatch(word):
            raise ValueError("a hyphen in romaji must join two letters (no leading, trailing or double hyphen)")
    return " ".join(words)


def ambiguous_long_vowels(kana: str) -> list[str]:
    """The places in a reading where passport Hepburn needs the morpheme boundary the kana do not show.

    An お-row kana followed by ウ or オ is either one long O (こう KO, おお O) or two morphemes
    (井上 いの|うえ INOUE, 青海 あお|うみ AOUMI, 妹尾 せの|お SENOO); only the register's spelling
    knows which (card-standards §7). Each hit is the two kana as written (e.g. ``ノウ``); a ``|``
    between them marks the boundary and makes the pair unambiguous. Unknown characters are left to
    ``passport_romaji`` to refuse.
    """
    text = _expand_iteration_marks(_fold_to_hiragana(kana).replace("｜", _BOUNDARY))
    hits: list[str] = []
    for word in _WORD_SEPARATORS.split(text):
        units = _tokenise(word) if word else []
        for prev, unit in itertools.pairwise(units):
            if prev.latin.endswith("O") and unit.kana in ("う", "お"):
                hits.append(prev.kana + unit.kana)
    return hits


def derive_romaji(kana: str, *, long_vowel: LongVowel = "omit") -> str:
    """Passport Hepburn of a reading for proofs and data preparation, refusing what kana cannot decide.

    The opt-in derivation (``--derive-romaji``, a layout's ``vars.derive_romaji``): ``ValueError`` when
    ``ambiguous_long_vowels`` finds a pair, because printing INOE for 井上 (passport INOUE) would be a
    silent error on an identity document; the record must then carry the explicit spelling.
    """
    hits = ambiguous_long_vowels(kana)
    if hits:
        listed = ", ".join(f"'{hit}'" for hit in dict.fromkeys(hits))
        raise ValueError(
            f"the reading has {listed}: passport Hepburn cannot tell a long vowel from a morpheme boundary "
            "(いのうえ INOUE, こうた KOTA); give the passport spelling explicitly"
        )
    return passport_romaji(kana, long_vowel=long_vowel)


def name_romaji(name: Mapping[str, object], *, derive: bool = False, long_vowel: LongVowel = "omit") -> str:
    """The romaji to print for a name mapping: its explicit ``romaji`` (validated), else "".

    Romaji comes from the register (the holder's passport spelling, printed for those who ask), never
    silently from the kana: MOFA's long-vowel rule depends on meaning (INOUE, KOUCHIWA) and a holder may
    have an approved non-Hepburn spelling (card-standards §7). ``derive=True`` (the explicit opt-in
    for proofs and data preparation) falls back to ``derive_romaji`` of ``kana``.
    """
    romaji = name.get("romaji")
    blank = romaji is None or (isinstance(romaji, str) and not romaji.strip())
    if not blank:
        return validate_romaji(romaji)  # type: ignore[arg-type]  # non-strings are refused there
    if not derive:
        return ""
    kana = name.get("kana")
    if not isinstance(kana, str) or not kana.strip():
        raise ValueError("name has neither an explicit 'romaji' nor a 'kana' reading")
    return derive_romaji(kana, long_vowel=long_vowel)
