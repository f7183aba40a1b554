"""Fictitious Japanese addresses and names of real shapes, for the line-breaking tests (issue 12 §6).

Every place name below the municipality is made up (見本 = "sample", plus invented 字 names);
prefectures and the municipality suffixes are real so the shapes are: 丁目/番/号, 番地 with の,
大字/字 (rural), 条 (Sapporo's grid), 通 with 上る/下る (Kyoto's street addresses), katakana
building names with 棟 and room numbers, and full-width and half-width digits.
"""

from __future__ import annotations

import itertools

# (address, the words a line break must never fall inside when they fit on a line)
SHAPES: list[tuple[str, tuple[str, ...]]] = [
    ("東京都千代田区見本町一丁目２番３号", ("見本町", "一丁目")),
    ("東京都世田谷区太子堂見本四丁目1番1号", ("世田谷区", "四丁目")),
    ("大阪府大阪市北区虎屋町１丁目２番３号ガーデンレジデンス１０１号室", ("虎屋町", "ガーデンレジデンス", "１０１号室")),
    ("北海道札幌市中央区北１条西２丁目１番地", ("札幌市", "北１条", "西２丁目")),
    ("北海道旭川市見本通二丁目１８番地の５", ("旭川市", "見本通", "二丁目")),
    ("京都府京都市上京区烏丸通見本町上る二丁目５８６番地の２", ("烏丸通", "上京区")),
    ("京都府京都市中京区見本通二条下る見本町４５６番地", ("中京区", "見本通")),
    ("長野県北安曇郡見本村大字見本字上ノ原１２３４番地", ("北安曇郡", "見本村", "大字見本")),
    ("青森県上北郡見本町大字見本字見本沢５６番地", ("上北郡", "大字見本")),
    ("東京都町田市見本町３丁目４番５号", ("町田市",)),
    ("三重県四日市市見本町１番２号", ("四日市市",)),
    ("東京都府中市見本町二丁目８番地", ("府中市",)),
    ("神奈川県横浜市港北区見本町３丁目４番５号　パークハイツ見本イーストウイング１２０３号室", ("イーストウイング",)),
    (
        "東京都千代田区見本町一丁目７番１号　見本町グランドタワーレジデンス・イーストウイング　スカイテラス棟２０１２号室",
        ("グランドタワーレジデンス", "イーストウイング", "スカイテラス"),
    ),
    ("奈良県葛城市見本町３丁目５番地の８　見本ハイツ葛城Ｂ棟１０１号室", ("見本ハイツ",)),
    ("岡山県岡山市北区見本町２丁目３番４号　セノオビル３階", ("セノオビル",)),
    ("埼玉県川口市見本町五丁目６番７号　見本荘２０３号室", ("川口市",)),
    ("沖縄県那覇市字見本１２３番地", ("那覇市",)),
    ("和歌山県和歌山市見本丁１２番地", ("和歌山市",)),
    ("鹿児島県鹿児島市見本町１２－３", ("鹿児島市", "１２－３")),
]

PREFECTURE_CITIES = [
    ("東京都", "大田区"),
    ("神奈川県", "川崎市中原区"),
    ("愛知県", "名古屋市中村区"),
    ("福岡県", "北九州市小倉北区"),
    ("広島県", "広島市中区"),
    ("宮城県", "仙台市青葉区"),
]
TOWNS = ["見本町", "見本台", "西見本", "見本が丘", "新見本町"]
LOTS = ["一丁目２番３号", "２丁目１５番地", "３番地の７", "四丁目１０番２２号", "１２３番地"]
BUILDINGS = ["", "　メゾン見本２０２号室", "　サンライズコート見本Ｃ棟５０５号室", "　見本マンション１０１", "ハイツミモト３０２"]


def generated() -> list[str]:
    """Combinations of the parts above: every town, lot style and building, rotating the cities."""
    out = []
    for k, (town, lot, building) in enumerate(itertools.product(TOWNS, LOTS, BUILDINGS)):
        pref, city = PREFECTURE_CITIES[k % len(PREFECTURE_CITIES)]
        out.append(f"{pref}{city}{town}{lot}{building}")
    return out


ADDRESSES = [a for a, _ in SHAPES] + generated()

NAMES = [
    "見本 花子",
    "見本山 太郎左衛門",
    "グエン ヴァン アン",
    "ウィリアムズ エリザベス アレクサンドラ",
    "ＳＭＩＴＨ ＪＯＨＮ",
    "みほん はなこ",
    "ミホンヤマ タロウザエモン",
]

# The bad breaks issue 12 lists, as texts and the word each split: each is a regression test.
ISSUE_BAD_BREAKS = [
    ("大阪府大阪市北区虎屋町１丁目２番３号", "虎屋町"),
    ("大阪府大阪市北区見本町１丁目２番３号ガーデンレジデンス１０１号室", "ガーデンレジデンス"),
    ("東京都千代田区見本町一丁目２番３号", "見本町"),
    ("東京都千代田区見本町一丁目７番１号　見本町グランドタワーレジデンス・イーストウイング", "イーストウイング"),
    ("有効期限変更　2028年4月9日（在留期間更新）", "在留期間更新"),
]
