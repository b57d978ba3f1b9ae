"""Deterministic synthetic sites of N projects for benchmarks, built from the shipped content.

Every name, goal, indicator and value is recombined from the repository's own content (the
42 imported projects), so the text looks like real 绩效目标表 and word frequencies look real:

* template words (满意度, 成本控制率, 健全性, the 备注 paragraph) occur in most projects;
* a project's topic, goals and indicators come from a source project drawn with Zipf weights,
  so popular topics (村干部报酬) are frequent and others rare;
* place names are invented per county, township and village: a township occurs only in its
  unit's projects, a village in one or two projects;
* numbers in goals and values are redrawn around the published ones, amounts are log-normal.

Usage: ``python benchmarks/generate.py --projects 10000 --out /tmp/site10k [--seed 7]``.
The same arguments always produce byte-identical files.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import random
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml  # noqa: E402

from site_builder.content import writer as content_writer  # noqa: E402
from site_builder.content.reader import CONTENT_DIR, load_site  # noqa: E402
from site_builder.content.schema import UNIT_FILE_NAME  # noqa: E402
from site_builder.model import Indicator, Project, Site, Unit  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
YEARS = ("2019", "2020", "2021", "2022", "2023", "2024", "2025")
ORIGIN = "benchmarks/generate.py"

NAME_PREFIXES = ("乡镇及村级", "乡镇", "村级", "乡级", "城乡", "社区", "县委")
NAME_SUFFIXES = ("补助工作经费", "工作经费", "补助经费", "经费", "补助", "报酬", "补贴",
                 "维修费", "奖")
MEASURES = re.compile(r"(次数|人数|份数|个数|条数|完成时间|完成率|及时率|合格率|达标率|覆盖率|"
                      r"知晓率|满意度|控制率|健全性|完备性|情况|参与率)$")
GOAL_LABEL = re.compile(r"^目标[一二三四五六七八九十]+[：:]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
ORDINALS = "一二三四五六七八九十"

# Characters of invented place names: common in Chinese place names, none a whole word alone.
PLACE_CHARS = ("青石嘴阿柔门源祁连河湟海晏刚察湖西东南北泉沟滩台峡川坪岭湾塘庄寨堡"
               "黄龙凤鹿马羊牛草花柳杨松林金银宝安宁平和兴隆丰盛福德仁义清明新华光"
               "红星长乐永康吉祥云霞珠玉源头尖嘴阳")
TOWN_KINDS = (("镇", "镇政府"), ("乡", "乡人民政府"), ("镇", "镇人民政府"), ("乡", "乡政府"))


@dataclass(frozen=True)
class Vocabulary:
    """What the generator recombines, read from the shipped content."""

    sources: tuple[Project, ...]
    """The shipped projects, in a seeded order that sets their Zipf rank."""
    cores: tuple[tuple[str, int], ...]
    """Topic cores with the index of the source project they come from."""
    indicators: tuple[Indicator, ...]
    """Every shipped indicator, to add a few from other projects."""
    remarks: tuple[str, ...]
    """备注 paragraphs as published."""


def strip_affixes(name: str) -> str:
    """``乡镇民族团结创建工作经费`` → ``民族团结创建``: the topic of a project name."""
    name = re.sub(r"^\d{4}年度", "", name)
    for prefix in NAME_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            name = name[len(prefix):]
            break
    for suffix in NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def load_vocabulary(root: Path, rng: random.Random) -> Vocabulary:
    site: Site = load_site(root).site
    sources = list(site.projects)
    rng.shuffle(sources)
    cores: list[tuple[str, int]] = []
    for index, project in enumerate(sources):
        cores.append((strip_affixes(project.name), index))
        for indicator in project.indicators:
            core = MEASURES.sub("", indicator.name)
            if 3 <= len(core) <= 8 and core != indicator.name and not NUMBER.search(core):
                cores.append((core, index))
    unique = dict.fromkeys(cores)
    return Vocabulary(tuple(sources), tuple(unique),
                      tuple(i for p in sources for i in p.indicators),
                      tuple(sorted({p.remark for p in sources if p.remark})))


def zipf_index(rng: random.Random, size: int, exponent: float = 1.0) -> int:
    """An index in ``range(size)`` with probability proportional to 1/(rank+1)^exponent."""
    weights = _zipf_weights(size, exponent)
    return rng.choices(range(size), cum_weights=weights)[0]


_WEIGHTS: dict[tuple[int, float], list[float]] = {}


def _zipf_weights(size: int, exponent: float) -> list[float]:
    key = (size, exponent)
    if key not in _WEIGHTS:
        total, cumulative = 0.0, []
        for rank in range(size):
            total += 1.0 / (rank + 1) ** exponent
            cumulative.append(total)
        _WEIGHTS[key] = cumulative
    return _WEIGHTS[key]


def place(rng: random.Random, length: int = 2) -> str:
    return "".join(rng.choice(PLACE_CHARS) for _ in range(length))


def redraw_numbers(text: str, rng: random.Random, year: str) -> str:
    """Numbers redrawn near the published ones; years become the project's year."""
    def replace(match: re.Match[str]) -> str:
        number = match.group()
        after = text[match.end(): match.end() + 1]
        if re.fullmatch(r"(19|20)\d\d", number):
            return str(int(year) - 1) if text[match.end(): match.end() + 2] == "年度" else year
        if after in ("月", "日") or number == "0":
            return number
        if "." in number:
            decimals = len(number.split(".")[1])
            value = float(number) * math.exp(rng.gauss(0, 0.6))
            return f"{value:.{decimals}f}"
        value_int = int(number)
        if after == "%":
            return str(rng.randint(80, 100)) if value_int >= 80 else number
        return str(max(1, round(value_int * math.exp(rng.gauss(0, 0.6)))))
    return NUMBER.sub(replace, text)


@dataclass
class _Town:
    county: str
    town: str
    unit_name: str
    parent_code: str
    code: str
    villages: list[str]


class Generator:
    """Draws units and projects; one instance per generated site."""

    def __init__(self, vocabulary: Vocabulary, seed: int) -> None:
        self.vocab = vocabulary
        self.rng = random.Random(seed)

    def towns(self, count: int) -> list[_Town]:
        """``count`` townships in counties of about twelve, each with a unique unit code."""
        rng, towns, used = self.rng, [], set()
        counties = [place(rng) + "县" for _ in range(max(2, math.ceil(count / 12)))]
        for index in range(count):
            county = index % len(counties)
            name = place(rng, rng.choice((2, 2, 3)))
            while (county, name) in used:
                name = place(rng, 3)
            used.add((county, name))
            short, kind = rng.choice(TOWN_KINDS)
            villages = [place(rng) + "村" for _ in range(rng.randint(4, 12))]
            parent = f"{100 + county:03d}"
            code = f"{parent}{index // len(counties) + 1:03d}"
            towns.append(_Town(counties[county], name + short, counties[county] + name + kind,
                               parent, code, villages))
        return towns

    def project_name(self, town: _Town, core: str, source: Project, year: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.05:
            core = rng.choice(town.villages) + core
        elif roll < 0.12:
            other, _ = self.vocab.cores[zipf_index(rng, len(self.vocab.cores))]
            core = f"{core}及{other}"
        prefix = rng.choice(NAME_PREFIXES) if rng.random() < 0.45 else ""
        published_suffix = source.name[len(strip_affixes(source.name)):]
        suffix = published_suffix if rng.random() < 0.7 else rng.choice(NAME_SUFFIXES)
        if "年度" not in source.name and rng.random() < 0.03:
            prefix = f"{int(year) - 1}年度" + prefix
        return prefix + core + suffix

    def project(self, unit: Unit, town: _Town, number: int) -> Project:
        rng, vocab = self.rng, self.vocab
        core, source_index = vocab.cores[zipf_index(rng, len(vocab.cores), 0.9)]
        source = vocab.sources[source_index]
        year = unit.year
        name = self.project_name(town, core, source, year)
        goals = [GOAL_LABEL.sub("", g) for g in source.goals]
        kept = [g for g in goals if rng.random() < 0.85] or goals[:1]
        goals_out = tuple(f"目标{ORDINALS[i]}：" + redraw_numbers(g, rng, year)
                          for i, g in enumerate(kept[:10]))
        indicators = [i for i in source.indicators if rng.random() < 0.85]
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            indicators.append(vocab.indicators[zipf_index(rng, len(vocab.indicators), 0.7)])
        if rng.random() < 0.1:
            village = rng.choice(town.villages)
            indicators.append(Indicator("产出指标", "数量指标", f"{village}覆盖户数",
                                        f"{rng.randint(20, 900)}户"))
        amount = Decimal(max(1, round(float(source.amount) * 100 * math.exp(rng.gauss(0, 1)))))
        return Project(
            id=f"{year}-{unit.code}-{number:02d}", year=year, unit_code=unit.code, name=name,
            amount=amount / 100, goals=goals_out,
            indicators=tuple(Indicator(i.level1, i.level2, i.name,
                                       redraw_numbers(i.value, rng, year)) for i in indicators),
            remark=rng.choice(vocab.remarks) if vocab.remarks and int(year) >= 2023 else "",
        )

    def site(self, projects: int) -> tuple[list[Unit], list[Project]]:
        """Exactly ``projects`` projects spread over units (85% present each year) and years."""
        rng = self.rng
        towns = self.towns(max(2, math.ceil(projects / (14 * len(YEARS) * 0.85))))
        units: dict[tuple[str, str], Unit] = {}
        out: list[Project] = []
        for year in YEARS * 100:
            for town in towns:
                if len(out) >= projects:
                    break
                if rng.random() > 0.85 or (year, town.code) in units:
                    continue
                count = min(60, max(1, round(rng.paretovariate(1.6) * 6)), projects - len(out))
                unit = Unit(town.code, year, town.unit_name, region=town.county,
                            parent_code=town.parent_code,
                            title=f"{town.unit_name}{year}年部门预算项目支出绩效目标公开表")
                drawn = [self.project(unit, town, n + 1) for n in range(count)]
                total = sum((p.amount for p in drawn), Decimal(0))
                units[unit.key] = dataclasses.replace(unit, declared_total=total)
                out.extend(drawn)
        return sorted(units.values(), key=lambda u: u.key), out


class _FastDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """content_writer's dumper on libyaml's emitter: the same bytes for the generator's text
    (no characters beyond the BMP; tests/bench checks it), 7 times faster."""

    yaml_representers = content_writer._Dumper.yaml_representers


def fast_dump(data: dict[str, object]) -> str:
    return yaml.dump(data, Dumper=_FastDumper, allow_unicode=True, sort_keys=False,
                     width=1_000_000, default_flow_style=False)


def write_site(root: Path, units: list[Unit], projects: list[Project]) -> None:
    """The files the importer (``content_writer``) would write, without its per-file checks."""
    for unit in units:
        write_content(root / CONTENT_DIR / unit.year / unit.code / UNIT_FILE_NAME,
                      fast_dump(content_writer.unit_data(unit)), "unit")
    for project in projects:
        write_content(root / CONTENT_DIR / project.year / project.unit_code /
                      f"{project.id}.yaml", fast_dump(content_writer.project_data(project)),
                      "project")


def write_content(target: Path, body: str, kind: str) -> None:
    """A content file of ``kind`` (project, unit, evaluation) with the importer's header."""
    schema = f"../../../{content_writer.SCHEMA_DIR}/{kind}.schema.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content_writer.render_file(body, schema, ORIGIN), encoding="utf-8",
                      newline="\n")


def generate(out: Path, projects: int, seed: int = 7) -> Path:
    """Write a site of ``projects`` projects into ``out`` (created with ``site-builder init``)."""
    if (out / "site.yaml").exists():
        raise SystemExit(f"{out} already holds a site; choose an empty folder")
    subprocess.run([sys.executable, "-m", "site_builder", "init", str(out)], check=True,
                   capture_output=True)
    vocabulary = load_vocabulary(REPO, random.Random(seed))
    units, items = Generator(vocabulary, seed).site(projects)
    write_site(out, units, items)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, required=True, help="how many projects")
    parser.add_argument("--out", type=Path, required=True, help="new folder for the site")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    args = parser.parse_args(argv)
    generate(args.out, args.projects, args.seed)
    print(f"wrote {args.projects} projects to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
