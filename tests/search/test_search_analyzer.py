"""The analyzer: shared Python↔JavaScript vectors, random parity, and the substring guarantee."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from search_vectors import VECTORS, case, vectors

from site_builder.search.analyzer import normalize, query_terms, required_grams, tokens

HERE = Path(__file__).parent
ENGINE = HERE.parents[1] / "site_builder" / "search" / "engine.js"
ALPHABET = "石嘴村干部医保０.７６万元95%９５％ＡaBb ,，()（）\u3000\u00a0\t𠀀ﬁ①Ⅻİ-/≤≥"


def node_mismatches(cases: list[dict[str, Any]]) -> list[Any]:
    node = shutil.which("node")
    assert node, "node is needed to check the browser analyzer"
    proc = subprocess.run([node, str(HERE / "check_vectors.js"), str(ENGINE)],
                          input=json.dumps(cases, ensure_ascii=False), capture_output=True,
                          text=True, encoding="utf-8", check=True, timeout=120)
    result: list[Any] = json.loads(proc.stdout)
    return result


def test_vector_file_is_current() -> None:
    assert json.loads(VECTORS.read_text("utf-8")) == vectors(), \
        "analyzer output changed: run python tests/search/search_vectors.py and review the diff"


def test_javascript_matches_the_shared_vectors() -> None:
    assert node_mismatches(json.loads(VECTORS.read_text("utf-8"))) == []


def test_javascript_matches_python_on_random_text() -> None:
    rng = random.Random(20240521)
    texts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
             for _ in range(400)]
    assert node_mismatches([case(t) for t in texts]) == []


def test_documented_examples() -> None:
    assert tokens("石嘴村") == ["石", "石嘴", "石嘴村", "嘴", "嘴村", "村"]
    assert "0.76" in tokens("计0.76万元") and "95%" in tokens("达到95%")
    assert "2021" in tokens("计划2021年") and "76万" not in tokens("0.76 万")
    assert tokens("９５％") == tokens("95%")
    assert tokens("ＡＢＣ Def") == tokens("abc def")
    assert query_terms(" 医保\u3000石嘴  医保 ") == ["医保", "石嘴"]


@given(st.text(alphabet=st.sampled_from(list(ALPHABET)), max_size=40), st.data())
def test_every_substring_is_covered_by_indexed_grams(text: str, data: st.DataObject) -> None:
    """The recall guarantee: a term occurring in a text has all its required grams indexed."""
    normal = normalize(text)
    terms = query_terms(text)
    if not terms:
        return
    term = data.draw(st.sampled_from(terms))
    start = data.draw(st.integers(0, len(term) - 1))
    end = data.draw(st.integers(start + 1, len(term)))
    sub = term[start:end]
    assert sub in normal
    assert set(required_grams(sub)) <= set(tokens(text))
