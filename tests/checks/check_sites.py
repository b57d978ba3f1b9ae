"""Tiny sites written as YAML files in a temporary folder, for the quality-check tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

YEAR = "2023"
UNIT = "000001"
Row = tuple[str, str, str, str]


def clean_rows(n: int, year: str = YEAR) -> list[Row]:
    """Indicator rows that no rule objects to; names carry ``n`` so projects differ."""
    return [
        ("产出指标", "数量指标", f"第{n}片区道路维护长度", "5公里"),
        ("产出指标", "质量指标", f"第{n}片区维护验收合格率", "≥95%"),
        ("产出指标", "时效指标", f"第{n}片区维护完成时间", f"{year}年12月31日前"),
        ("产出指标", "成本指标", f"第{n}片区道路维护费", "≤10万元"),
        ("效益指标", "社会效益指标", f"第{n}片区群众出行条件", "改善"),
        ("效益指标", "可持续影响指标", f"第{n}片区道路管护机制健全性", "健全"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥95%"),
    ]


@dataclass(frozen=True)
class P:
    """A project to write; defaults give a clean one."""

    n: int
    """Number: makes the id, name, goals and indicator names distinct."""
    rows: Sequence[Row] | None = None
    """Indicator rows; None for :func:`clean_rows`."""
    goals: Sequence[str] | None = None
    """Goals; None for one goal naming ``n``."""
    name: str | None = None
    amount: str = "10.00"
    year: str = YEAR
    unit: str = UNIT
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.year}-{self.unit}-{self.n:02d}"

    def data(self) -> dict[str, object]:
        rows = clean_rows(self.n, self.year) if self.rows is None else self.rows
        goals = [f"目标：维护第{self.n}片区村级道路，保障群众出行安全便利。"] \
            if self.goals is None else list(self.goals)
        return {
            "id": self.id, "year": self.year, "unit": self.unit,
            "name": self.name or f"第{self.n}片区道路维护经费", "amount": self.amount,
            "goals": goals,
            "indicators": [dict(zip(("level1", "level2", "name", "value"), r, strict=True))
                           for r in rows],
            **self.extra,
        }


def with_row(p: P, index: int, row: Row) -> P:
    """``p`` with row ``index`` of its rows replaced by ``row``."""
    rows = list(clean_rows(p.n, p.year) if p.rows is None else p.rows)
    rows[index] = row
    return replace(p, rows=rows)


def write_site(root: Path, projects: Sequence[P], settings: str = "",
               declared: dict[tuple[str, str], str] | None = None) -> Path:
    """Write ``site.yaml``, unit files and project files under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text("title: 测试站点\n" + settings, encoding="utf-8")
    units = sorted({(p.year, p.unit) for p in projects})
    for year, code in units:
        folder = root / "content" / year / code
        folder.mkdir(parents=True, exist_ok=True)
        unit: dict[str, str] = {"code": code, "year": year, "name": f"测试乡{code}人民政府"}
        if declared and (year, code) in declared:
            unit["declared_total"] = declared[(year, code)]
        _dump(folder / "_unit.yaml", unit)
    for p in projects:
        _dump(root / "content" / p.year / p.unit / f"{p.id}.yaml", p.data())
    return root


def _dump(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
