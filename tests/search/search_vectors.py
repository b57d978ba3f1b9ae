"""The shared Python↔JavaScript analyzer test vectors (token_vectors.json).

Regenerate after an intended analyzer change with ``python tests/search/search_vectors.py``;
review the diff, then bump SCHEMA_VERSION in site_builder/search/index.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from site_builder.search.analyzer import gram_hash, query_terms, required_grams, tokens

VECTORS = Path(__file__).with_name("token_vectors.json")

INPUTS = [
    "乡镇及村级(社区)民族团结及综治创建经费",
    "门源县青石嘴镇政府",
    "村干部",
    "医保参合准确率 100%",
    "0.76万元",
    "≤2.21万元/年",
    "宣传面达到95%，印发宣传资料5000份",
    "全角：９５％ ０．７６万元 ＡＢＣ",
    "Budget  Transparency\tPortal\nLINE-2",
    "≥95% ≦1.5 ≅95% ＜3天",
    "2021年12月31日",
    "3.14.15 1. .5 50%% 7%",
    "𠀀𠀁 emoji 😀 mixed 中😀文",
    "Ⅻ ㎡ ① ﬁ ｶﾞ Å",
    "İstanbul ΣΑΣ straße",
    "a",
    "",
    "   ",
    "\u3000全角空格\u00a0不换行空格\u2003em",
    "tab\u000bvt\u001cfs\u0085nel\ufeffbom",
    "（一）产出指标：数量指标",
    "<script>alert(1)</script> & \"quotes\" 'single'",
    "abc123def 4.5kg x1.0y",
]


def case(text: str) -> dict[str, Any]:
    terms = query_terms(text)
    return {"text": text, "tokens": tokens(text), "terms": terms,
            "grams": [required_grams(t) for t in terms],
            "hashes": [gram_hash(t) for t in terms]}


def vectors() -> list[dict[str, Any]]:
    return [case(text) for text in INPUTS]


if __name__ == "__main__":
    VECTORS.write_text(json.dumps(vectors(), ensure_ascii=False, indent=1) + "\n", "utf-8")
