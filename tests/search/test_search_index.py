"""The Whoosh index as written by :class:`DirectWriter`: what Whoosh itself would have written."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import encoding_reference as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from site_builder.content.reader import load_site
from site_builder.search import encoding, index
from site_builder.search.analyzer import FIELD_SEPARATOR, normalize, run_gram_counts, run_tokens
from site_builder.search.blocks import decode_list, encode_list, field_postings
from site_builder.search.documents import normalized_part, search_docs
from site_builder.search.encoding import IMPACT_MAX, Postings
from site_builder.search.index import make_schema, update_index, weighted
from site_builder.search.query import search
from site_builder.search.segment import DirectWriter

TEXT = st.text(alphabet=st.sampled_from("石嘴山村医保95%.0a7 社区"), max_size=30)
DOCS: list[tuple[dict[str, dict[str, int]], dict[str, Any]]] = [
    ({"grams": {"石": 2, "石嘴": 1, "x": 3}}, {"text": "石嘴石xxx"}),
    ({"grams": {"石": 1, "医保": 1}}, {"text": "石医保"}),
    ({"id": {"p1": 1}, "runs": {"石嘴石xxx": 2, "石医保": 1}, "category": {}},
     {"project": {"id": "p1"}}),
    ({"id": {"p2": 1}, "runs": {"石医保": 1}, "year": {"2023": 1}}, {"project": {"id": "p2"}}),
]


@given(TEXT)
@settings(deadline=None)
def test_gram_counts_are_the_run_tokens_counted(run: str) -> None:
    assert run_gram_counts(run) == Counter(run_tokens(run))


@given(st.lists(st.integers(0, 10**6), min_size=1, unique=True),
       st.data())
@settings(max_examples=50, deadline=None)
def test_posting_lists_round_trip(ids: list[int], data: st.DataObject) -> None:
    ids.sort()
    weights = [float(w) for w in data.draw(st.lists(st.integers(1, 3), min_size=len(ids),
                                                    max_size=len(ids)))]
    raw, info = encode_list(ids, weights)
    assert decode_list(raw) == (ids, weights)
    assert (info.doc_frequency(), info.min_id(), info.max_id()) == (len(ids), ids[0], ids[-1])


def _contents(directory: Path) -> dict[str, Any]:
    """Everything a reader of the index can see."""
    with whoosh_index.open_dir(str(directory), indexname="t").reader() as reader:
        fields = ("grams", "id", "runs", "year", "category")
        return {
            "stored": list(reader.iter_docs()),
            "postings": {(f, t): list(weighted(reader, f, t))
                         for f in fields for t in reader.lexicon(f)},
            "lengths": {f: (reader.field_length(f),
                            [reader.doc_field_length(d, f) for d in range(len(DOCS))])
                        for f in fields},
            "bulk": {f: list(field_postings(reader, f)) for f in fields},
        }


def test_direct_segments_read_like_whoosh_written_ones(tmp_path: Path) -> None:
    whoosh_dir, direct_dir = tmp_path / "whoosh", tmp_path / "direct"
    for directory in (whoosh_dir, direct_dir):
        directory.mkdir()
        whoosh_index.create_in(str(directory), make_schema(), indexname="t")
    with whoosh_index.open_dir(str(whoosh_dir), indexname="t").writer() as writer:
        for indexed, stored in DOCS:
            writer.add_document(**{k: list(v.items()) for k, v in indexed.items()}, **stored)
    direct = DirectWriter(whoosh_index.open_dir(str(direct_dir), indexname="t"))
    for indexed, stored in DOCS:
        direct.add(indexed, stored)
    direct.commit_segment()
    expected = _contents(whoosh_dir)
    assert _contents(direct_dir) == expected
    assert expected["bulk"]["runs"] == [("石医保".encode(), [2, 3], [1.0, 1.0]),
                                         ("石嘴石xxx".encode(), [2], [2.0])]


def test_bulk_reading_skips_deleted_documents_across_segments(tmp_path: Path) -> None:
    whoosh_index.create_in(str(tmp_path), make_schema(), indexname="t")
    for indexed, stored in DOCS:
        writer = DirectWriter(whoosh_index.open_dir(str(tmp_path), indexname="t"))
        if "project" in stored and stored["project"]["id"] == "p2":
            writer.delete_document(2)
        writer.add(indexed, stored)
        writer.commit_segment()
    with whoosh_index.open_dir(str(tmp_path), indexname="t").reader() as reader:
        assert len(list(reader.leaf_readers())) == 4
        assert list(field_postings(reader, "runs")) == [("石医保".encode(), [3], [1.0])]
        assert [t for t, _, _ in field_postings(reader, "grams")] == [
            t.encode() for t in ("x", "医保", "石", "石嘴")]
        assert list(field_postings(reader, "id")) == [(b"p2", [3], [1.0])]


@st.composite
def postings_lists(draw: st.DrawFn) -> tuple[Postings, int]:
    total = draw(st.integers(1, 3000))
    docs = sorted(draw(st.sets(st.integers(0, total - 1), max_size=total)))
    impacts = draw(st.lists(st.integers(1, IMPACT_MAX), min_size=len(docs), max_size=len(docs)))
    named = sorted(draw(st.sets(st.sampled_from(docs)))) if docs else []
    return Postings(docs, impacts, named), total


@given(postings_lists())
@settings(max_examples=300, deadline=None)
def test_encoded_bytes_are_those_of_the_reference_encoder(case: tuple[Postings, int]) -> None:
    postings, total = case
    assert encoding.encode_list(postings) == reference.encode_list(postings)
    assert encoding.encode_bitset(postings, total) == reference.encode_bitset(postings, total)
    assert encoding.encode_flat(postings, total) == reference.encode_flat(postings, total)
    assert encoding.encode_postings(postings, total) == reference.encode_postings(postings, total)


@pytest.mark.parametrize("seed", range(6))
def test_dense_lists_choose_the_layout_the_reference_chooses(seed: int) -> None:
    """Lists long enough for the flat bitset (over FLAT_ABOVE bytes) to be considered."""
    rng = random.Random(seed)
    total = rng.choice([20_000, 40_000, 65_537])
    docs = sorted(rng.sample(range(total), int(total * rng.choice([0.3, 0.5, 0.55, 0.9]))))
    impacts = [rng.choice([1, 3, 64, 127]) if seed % 2 else 64 for _ in docs]
    named = sorted(rng.sample(docs, rng.choice([0, 5, 3000])))
    postings = Postings(docs, impacts, named)
    assert encoding.encode_postings(postings, total) == reference.encode_postings(postings, total)


@given(st.lists(st.text(alphabet=st.sampled_from(
    "aΣσς\u0301\u0308e\u1100\u1161\u11a8가ＡＢ９５％ﬁ\u00a0 \n石")), max_size=6))
@settings(deadline=None)
def test_parts_normalised_one_by_one_equal_the_normalised_whole(parts: list[str]) -> None:
    whole = normalize(FIELD_SEPARATOR.join(parts))
    assert FIELD_SEPARATOR.join(map(normalized_part, parts)) == whole


def _segments(directory: Path) -> int:
    with whoosh_index.open_dir(str(directory), indexname="projects").reader() as reader:
        return len(list(reader.leaf_readers()))


def _deleted(directory: Path) -> int:
    with whoosh_index.open_dir(str(directory), indexname="projects").reader() as reader:
        return int(reader.doc_count_all() - reader.doc_count())


def test_updates_add_segments_until_the_index_is_rewritten(
        shipped_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "MAX_SEGMENTS", 3)
    directory = tmp_path / "index"
    path = shipped_site / "content" / "2023" / "002001" / "2023-002001-03.yaml"
    original = path.read_text("utf-8")
    counts = []
    for n in range(5):
        path.write_text(original.replace("name: ", f"name: 独一无二标记{n}", 1), "utf-8")
        update = update_index(directory, search_docs(load_site(shipped_site).site))
        counts.append(_segments(directory))
        assert [h.id for h in search(directory, f"独一无二标记{n}")[1]] == ["2023-002001-03"]
        assert search(directory, f"独一无二标记{n - 1}")[0] == 0
        assert (update.added, update.changed) == ((42, 0) if n == 0 else (0, 1))
    assert counts == [1, 2, 3, 1, 2]


def test_removing_many_projects_rewrites_the_index(shipped_site: Path, tmp_path: Path) -> None:
    directory = tmp_path / "index"
    docs = search_docs(load_site(shipped_site).site)
    update_index(directory, docs)
    update_index(directory, docs[:40])
    assert _deleted(directory) > 0
    kept = docs[:20]
    assert update_index(directory, kept).removed == 20
    assert (_segments(directory), _deleted(directory)) == (1, 0)
    assert {h.id for h in search(directory, "医保")[1]} <= {d.id for d in kept}
