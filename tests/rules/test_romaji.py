"""Passport Hepburn: the MOFA examples of card-standards §7 (and the interscript MOFA test list)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faceprint.rules.romaji import (
    SYLLABLES,
    ambiguous_long_vowels,
    derive_romaji,
    name_romaji,
    passport_romaji,
    validate_romaji,
)


@pytest.mark.parametrize(
    ("kana", "expected"),
    [
        # ん: M before B/M/P, N otherwise, no apostrophe
        ("なんば", "NAMBA"),
        ("ほんま", "HOMMA"),
        ("さんぺい", "SAMPEI"),
        ("ほんだ", "HONDA"),
        ("しんや", "SHINYA"),
        # っ: doubled consonant, T before CH
        ("はっとり", "HATTORI"),
        ("きっかわ", "KIKKAWA"),
        ("てっぺい", "TEPPEI"),
        ("ほっち", "HOTCHI"),
        ("はっちょう", "HATCHO"),
        # long vowels not written
        ("さいとう", "SAITO"),
        ("ようこ", "YOKO"),
        ("こうた", "KOTA"),
        ("りょうこ", "RYOKO"),
        ("おおの", "ONO"),
        ("おおこうち", "OKOCHI"),
        ("おおにし", "ONISHI"),
        ("ひゅうが", "HYUGA"),
        ("ゆうき", "YUKI"),
        ("ゆうこ", "YUKO"),
        ("ニーナ", "NINA"),
        ("シーナ", "SHINA"),
        ("サリー", "SARI"),
        # word-final おお stays OO; word-final おう is O
        ("せのお", "SENOO"),
        ("たかとお", "TAKATOO"),
        ("よこお", "YOKOO"),
        ("いとう", "ITO"),
        ("たかとう", "TAKATO"),
        ("みそのう", "MISONO"),
        # not long vowels
        ("にいな", "NIINA"),
        ("しいな", "SHIINA"),
        ("さりい", "SARII"),
        ("まつうら", "MATSUURA"),
        # table spot checks
        ("ふじ", "FUJI"),
        ("ちづる", "CHIZURU"),
        ("ぢゅん", "JUN"),
        ("じょうじ", "JOJI"),
        ("をの", "ONO"),
        ("みすゞ", "MISUZU"),
    ],
)
def test_mofa_examples(kana: str, expected: str) -> None:
    assert passport_romaji(kana) == expected


def test_kouchiwa_needs_the_morpheme_boundary() -> None:
    # MOFA (city.niigata, card-standards §7) writes 小団扇 こ+うちわ KOUCHIWA: separate morae. Kana alone
    # cannot show the seam (こうた is KOTA), so the plain reading gives KOCHIWA; a "|" or an explicit
    # romaji gives MOFA's spelling.
    assert passport_romaji("こうちわ") == "KOCHIWA"
    assert passport_romaji("こ|うちわ") == "KOUCHIWA"
    assert passport_romaji("コ｜ウチワ") == "KOUCHIWA"
    assert name_romaji({"kanji": "小団扇", "kana": "こうちわ", "romaji": "KOUCHIWA"}) == "KOUCHIWA"


def test_inoue_is_a_documented_limit() -> None:
    assert passport_romaji("いのうえ") == "INOE"
    assert passport_romaji("いの|うえ") == "INOUE"
    assert name_romaji({"kanji": "井上", "kana": "イノウエ", "romaji": "Inoue"}) == "INOUE"


def test_boundary_keeps_ooo_and_still_assimilates_n() -> None:
    assert passport_romaji("よこお|やま") == "YOKOOYAMA"
    assert passport_romaji("さん|ぺい") == "SAMPEI"
    assert passport_romaji("はっ|ちょう") == "HATCHO"


@pytest.mark.parametrize(
    ("kana", "expected"),
    [
        ("ヴィヴィアン", "BIBIAN"),
        ("ヴォードレール", "BODORERU"),
        ("ヴ", "BU"),
        ("シェリー", "SHIERI"),
        ("チェルシー", "CHIERUSHI"),
        ("ティナ", "TEINA"),
        ("ディラン", "DEIRAN"),
        ("デューイ", "DEYUI"),
        ("ファン", "FUAN"),
        ("フィオナ", "FUIONA"),
        ("ジェシカ", "JIESHIKA"),
        ("ウィリアム", "UIRIAMU"),
        ("ウェイ", "UEI"),
        ("ウォルト", "UORUTO"),
    ],
)
def test_foreign_sounds(kana: str, expected: str) -> None:
    assert passport_romaji(kana) == expected


def test_katakana_and_half_width_match_hiragana() -> None:
    assert passport_romaji("サイトウ") == passport_romaji("さいとう") == "SAITO"
    assert passport_romaji("ｻｲﾄｳ") == "SAITO"
    assert passport_romaji("ハットリ") == "HATTORI"


def test_full_name_spacing() -> None:
    assert passport_romaji("やまだ　たろう") == "YAMADA TARO"
    assert passport_romaji("  ヤマダ   タロウ ") == "YAMADA TARO"
    assert passport_romaji("ジョン・スミス") == "JON SUMISU"


def test_oh_option() -> None:
    assert passport_romaji("かとう", long_vowel="oh") == "KATOH"
    assert passport_romaji("おおの", long_vowel="oh") == "OHNO"
    assert passport_romaji("ゆうき", long_vowel="oh") == "YUKI"
    assert passport_romaji("せのお", long_vowel="oh") == "SENOO"
    assert passport_romaji("ボーン", long_vowel="oh") == "BOHN"


def test_unknown_character_names_code_point() -> None:
    with pytest.raises(ValueError, match=r"'ヷ' \(U\+30F7\)"):
        passport_romaji("ヷン")
    with pytest.raises(ValueError, match=r"U\+6F22"):
        passport_romaji("漢字")
    with pytest.raises(ValueError, match=r"'ゃ' \(U\+3083\)"):
        passport_romaji("ゃま")
    with pytest.raises(ValueError, match="empty"):
        passport_romaji("　")
    with pytest.raises(ValueError, match="long_vowel"):
        passport_romaji("かとう", long_vowel="ou")  # type: ignore[arg-type]


def test_error_does_not_echo_input() -> None:
    with pytest.raises(ValueError) as info:
        passport_romaji("123456789018")
    assert "123456789018" not in str(info.value)


def test_validate_romaji_normalises() -> None:
    assert validate_romaji("  yamada   taro ") == "YAMADA TARO"
    assert validate_romaji("Smith-Jones Anne") == "SMITH-JONES ANNE"
    assert validate_romaji("ＳＡＴＯ") == "SATO"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ŌNO", r"U\+014C"),
        ("O'NEIL", r"U\+0027"),
        ("SATO1", r"U\+0031"),
        ("-SATO", "hyphen"),
        ("SATO--KATO", "hyphen"),
        ("   ", "empty"),
    ],
)
def test_validate_romaji_rejects(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        validate_romaji(text)


def test_name_romaji_is_the_explicit_spelling_only() -> None:
    # Without an explicit spelling there is no romaji: it is never guessed from the kana (issue 12 §7).
    assert name_romaji({"kanji": "山田 花子", "kana": "やまだ はなこ"}) == ""
    assert name_romaji({"kanji": "大野", "kana": "おおの", "romaji": "OHNO"}) == "OHNO"
    assert name_romaji({"kanji": "大野", "kana": "おおの", "romaji": None}) == ""
    assert name_romaji({"kanji": "大野", "kana": "おおの", "romaji": " "}) == ""
    assert name_romaji({"kanji": "井上", "kana": "イノウエ", "romaji": "inoue"}, derive=True) == "INOUE"
    with pytest.raises(ValueError, match="U\\+00E9"):
        name_romaji({"kana": "かとう", "romaji": "José"})


def test_name_romaji_derived_on_request() -> None:
    assert name_romaji({"kanji": "山田 花子", "kana": "やまだ はなこ"}, derive=True) == "YAMADA HANAKO"
    assert name_romaji({"kanji": "発地", "kana": "ホッチ"}, derive=True) == "HOTCHI"
    assert name_romaji({"kanji": "佐藤", "kana": "さとー"}, derive=True, long_vowel="oh") == "SATOH"
    with pytest.raises(ValueError, match="neither"):
        name_romaji({"kanji": "加藤"}, derive=True)


@pytest.mark.parametrize(
    ("kana", "pairs"),
    [
        ("イノウエ", ["のう"]),  # 井上 INOUE, not INOE
        ("あおうみ", ["おう"]),  # 青海 AOUMI, not AOMI
        ("かとう", ["とう"]),  # 加藤 KATO: still the register's to say (KATO, KATOH, KATOU)
        ("おおの", ["おお"]),
        ("せのお", ["のお"]),  # SENOO
        ("しょう", ["しょう"]),  # yōon ending in O counts as お-row
        ("ヨウコ　オオタ", ["よう", "おお"]),
        ("こ|うちわ", []),  # a marked morpheme boundary decides it
        ("さとー", []),  # ー is always a long vowel
        ("やまだ はなこ", []),
        ("あうお", []),  # ア-row before ウ, ウ before オ: no O before U/O
        ("ほっち", []),
    ],
)
def test_ambiguous_long_vowels(kana: str, pairs: list[str]) -> None:
    assert ambiguous_long_vowels(kana) == pairs


@pytest.mark.parametrize("kana", ["イノウエ", "アオウミ", "いのうえ まこと", "ソウ"])
def test_derive_refuses_what_kana_cannot_decide(kana: str) -> None:
    with pytest.raises(ValueError, match="give the passport spelling explicitly"):
        derive_romaji(kana)


@given(
    st.lists(
        st.sampled_from(["ア", "カ", "サ", "ニ", "ム", "ン", "ッ", "ー", "ウ", "エ", "オ", "コ", "ト"]), min_size=1, max_size=10
    )
)
def test_derive_never_prints_a_guessed_long_vowel(units: list[str]) -> None:
    # Property: derive_romaji either refuses, or no お-row kana is followed by ウ/オ in the reading.
    kana = "".join(units)
    try:
        derive_romaji(kana)
    except ValueError:
        assert ambiguous_long_vowels(kana) or not passport_romaji_ok(kana)
        return
    assert not re.search("[オコソトノホモヨロヲゴゾドボポ][ウオ]", kana)


def passport_romaji_ok(kana: str) -> bool:
    try:
        passport_romaji(kana)
    except ValueError:
        return False
    return True


_UNITS = [*sorted(SYLLABLES), "っ", "ん", "ー", "ッ", "ン", "|"]
_KATAKANA = ["ア", "イ", "ウ", "オ", "カ", "キャ", "シュ", "チョ", "ヴァ", "ティ", "ヅ"]


@given(
    st.lists(
        st.lists(st.sampled_from(_UNITS + _KATAKANA), min_size=1, max_size=12).map("".join),
        min_size=1,
        max_size=3,
    ).map("　".join)
)
def test_output_is_always_passport_charset(kana: str) -> None:
    try:
        result = passport_romaji(kana)
    except ValueError as exc:
        # Only a reading made of marks alone (no syllable) is refused.
        assert "no syllable" in str(exc)
        return
    assert re.fullmatch(r"[A-Z]+(?: [A-Z]+)*", result)
    assert validate_romaji(result) == result
