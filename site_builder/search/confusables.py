"""Characters often typed for one another in budget tables: 同音 (same or near pinyin, what an
input method offers next) and 形近 (similar shapes).  A hand-made table, not a dictionary: each
pair costs half an edit when suggestions (:mod:`~site_builder.search.suggest`) are ranked, and
``tests/search/test_search_suggest.py`` makes typos with it.  The browser gets the same table
inside ``search/suggest.js``.
"""

from __future__ import annotations

GROUPS: tuple[str, ...] = (
    # 同音 / near-homophones (pinyin)
    "民名明", "保宝报", "费废", "经精径", "建见健件", "设社", "制治质至", "施实时", "成城诚",
    "工公功供", "作做", "项向象", "绩积迹", "效校", "标表", "指只纸", "率律", "度渡", "训讯",
    "培陪", "村存", "镇真", "乡香", "结节洁", "族足", "管馆", "理里", "维为", "综总", "卫位",
    "医衣依", "疗了", "险线县", "合和", "养样", "老劳", "疾及级急", "资咨", "金今", "支之",
    "预与", "环还", "境静", "整正", "改该", "修休", "宣喧", "传船", "议义意", "调掉", "防房访",
    "救就", "助住", "扶服", "贫频", "障账帐", "户护", "党挡", "员园元", "务物", "活获", "动洞",
    "农浓", "业叶", "治志", "安按", "全权", "政正", "府付", "区曲", "计记纪", "划话画", "达答",
    "展站", "量两", "数树", "质值", "时事", "效笑", "益意", "生声", "态太", "持池", "续序",
    "满慢", "意易", "程城", "监检", "督都", "考靠", "核和", "评平", "审神", "查察",
    # 形近 (similar shapes)
    "己已巳", "未末", "土士", "人入八", "大太犬", "日曰", "干千于", "徽微", "候侯", "即既",
    "拨拔", "洒酒", "壁璧", "籍藉", "辨辩辫", "赢嬴", "栽裁载", "贷货", "析折", "戍戌",
)
"""Groups of characters confused with each other (every pair within a group counts)."""


def pairs() -> frozenset[tuple[str, str]]:
    """Every confusable (a, b) pair, both ways."""
    found: set[tuple[str, str]] = set()
    for group in GROUPS:
        for a in group:
            for b in group:
                if a != b:
                    found.add((a, b))
    return frozenset(found)


CONFUSABLE = pairs()
"""Every confusable pair, both ways."""
