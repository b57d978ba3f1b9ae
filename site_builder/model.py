"""The content model: units, projects and their indicators, as frozen dataclasses.

Every object carries the :class:`Position` it was read from so that validation, checks and
build errors can name ``file:line``.  Amounts are exact :class:`~decimal.Decimal` in 万元.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from site_builder.categories import canonical_level1, canonical_level2, parent_of
from site_builder.diagnostics import Position
from site_builder.values import ParsedValue, parse_value

NOWHERE = Position("<memory>")


def format_amount(value: Decimal) -> str:
    """An amount in 万元 as text with at least two decimals and no rounding (``3.28``)."""
    exponent = value.as_tuple().exponent
    return str(value) if isinstance(exponent, int) and exponent < -2 else f"{value:.2f}"


@dataclass(frozen=True, slots=True)
class Indicator:
    """One row of the indicator table: 一级 → 二级 → 三级 with its 指标值."""

    level1: str
    """一级指标 as published (``产出指标``); empty when the table states none."""
    level2: str
    """二级指标 as published (``数量指标``, ``社会效益``); empty when the table states none."""
    name: str
    """三级指标, the indicator itself, as published."""
    value: str
    """指标值 exactly as published (``≅95%`` stays ``≅95%``)."""
    pos: Position = NOWHERE
    """Where this indicator is written."""

    @property
    def parsed(self) -> ParsedValue:
        """Typed reading of :attr:`value`, derived on demand, never stored."""
        return parse_value(self.value)

    @property
    def category1(self) -> str:
        """Canonical 一级 (``效益指标``), inferred from the 二级 when the 一级 is blank."""
        found = canonical_level1(self.level1)
        if found is None and (c2 := canonical_level2(self.level2)):
            found = parent_of(c2)
        return found or self.level1

    @property
    def category2(self) -> str:
        """Canonical 二级 (``社会效益`` → ``社会效益指标``), or the published text if unknown."""
        return canonical_level2(self.level2) or self.level2


@dataclass(frozen=True, slots=True)
class Unit:
    """A budget unit (预算单位) in one year, with its declared total."""

    code: str
    """Unit code as published, always a string (``002001``)."""
    year: str
    """Budget year, four digits."""
    name: str
    """Unit name (``祁连县阿柔乡人民政府``)."""
    region: str = ""
    """Parent region (``祁连县``)."""
    parent_code: str = ""
    """Code of the parent department when the table states one (``703``)."""
    declared_total: Decimal | None = None
    """Total in 万元 as the published table declares it; None when it declares none."""
    title: str = ""
    """Title of the published table."""
    pos: Position = NOWHERE
    """Where this unit file is."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.year, self.code)


@dataclass(frozen=True, slots=True)
class Project:
    """One budget project and its 绩效目标表."""

    id: str
    """Stable identifier used in URLs and exports (``2023-002001-01``)."""
    year: str
    """Budget year, four digits."""
    unit_code: str
    """Code of the unit the project belongs to."""
    name: str
    """Project name as published."""
    amount: Decimal
    """Amount in 万元, exact."""
    goals: tuple[str, ...] = ()
    """绩效目标, one entry per published goal."""
    indicators: tuple[Indicator, ...] = ()
    """The indicator table in published order."""
    notes: tuple[str, ...] = ()
    """Notes: staff remarks, and text the importer could not place."""
    table_total: str | None = None
    """The 合计 row's amount as published ("" when the row is blank, None when absent)."""
    remark: str = ""
    """备注 printed under the published table."""
    source: str = ""
    """Where the project was imported from (``file:line``)."""
    pos: Position = NOWHERE
    """Where this project file is."""
    field_pos: dict[str, Position] = field(default_factory=dict, compare=False, hash=False)
    """Position of each top-level field, for diagnostics."""


@dataclass(frozen=True, slots=True)
class FundsRow:
    """One row of a self-evaluation's 项目资金（万元） table, every cell as published."""

    label: str
    """The row (``年度资金总额``, ``其中：当年财政拨款``, ``上年结转资金``, ``其他资金``)."""
    initial: str = ""
    """年初预算数."""
    full_year: str = ""
    """全年预算数."""
    executed: str = ""
    """全年执行数."""
    weight: str = ""
    """分值 (usually 10, on the first row only)."""
    rate: str = ""
    """执行率 (``98.5%``)."""
    score: str = ""
    """得分."""
    pos: Position = NOWHERE
    """Where this row is written."""


@dataclass(frozen=True, slots=True)
class EvaluatedIndicator:
    """One row of a self-evaluation's indicator table: the target beside what was achieved."""

    level1: str
    """一级指标 as published."""
    level2: str
    """二级指标 as published."""
    name: str
    """三级指标 as published."""
    target: str = ""
    """年度指标值 exactly as published."""
    actual: str = ""
    """实际完成值 exactly as published (``效果明显`` stays ``效果明显``)."""
    weight: str = ""
    """分值 as published."""
    score: str = ""
    """得分 as published."""
    reason: str = ""
    """偏差原因分析及改进措施."""
    pos: Position = NOWHERE
    """Where this row is written."""

    @property
    def category1(self) -> str:
        """Canonical 一级, inferred from the 二级 when the 一级 is blank (as for targets)."""
        return Indicator(self.level1, self.level2, self.name, self.target).category1

    @property
    def category2(self) -> str:
        """Canonical 二级, or the published text if unknown."""
        return canonical_level2(self.level2) or self.level2


@dataclass(frozen=True, slots=True)
class SelfEvaluation:
    """A project's year-end 项目支出绩效自评表."""

    id: str
    """Identifier used in URLs (usually the project's id)."""
    year: str
    """The year evaluated, four digits."""
    unit_code: str
    """Code of the unit the project belongs to."""
    name: str
    """项目名称 as published on the self-evaluation."""
    project: str = ""
    """Id of the project it evaluates, when stated; else it is linked by year, unit and
    name."""
    department: str = ""
    """主管部门."""
    implementer: str = ""
    """实施单位."""
    funds: tuple[FundsRow, ...] = ()
    """The 项目资金 rows in published order."""
    expected: tuple[str, ...] = ()
    """年度总体目标: 预期目标, one entry per paragraph."""
    achieved: tuple[str, ...] = ()
    """年度总体目标: 实际完成情况, one entry per paragraph."""
    indicators: tuple[EvaluatedIndicator, ...] = ()
    """The indicator rows in published order."""
    total_weight: str = ""
    """总分 as published (usually 100)."""
    total_score: str = ""
    """The 得分 of the 总分 row as published."""
    grade: str = ""
    """自评等级 as published (优, 良, 中, 差), when stated."""
    remark: str = ""
    """备注 printed under the published table."""
    notes: tuple[str, ...] = ()
    """Notes: staff remarks (an example file says here that its data are fictional)."""
    source: str = ""
    """Where it was imported from."""
    pos: Position = NOWHERE
    """Where this file is."""
    field_pos: dict[str, Position] = field(default_factory=dict, compare=False, hash=False)
    """Position of each top-level field, for diagnostics."""


@dataclass(frozen=True)
class Site:
    """All content of a site: units and projects, sorted for deterministic iteration."""

    units: tuple[Unit, ...]
    """Every unit-year, sorted by (year, code)."""
    projects: tuple[Project, ...]
    """Every project, sorted by (year, unit_code, id)."""
    evaluations: tuple[SelfEvaluation, ...] = ()
    """Every self-evaluation, sorted by (year, unit_code, id)."""

    @cached_property
    def _units_by_key(self) -> dict[tuple[str, str], Unit]:
        """Each unit by (year, code), the first when a key repeats; built on first use."""
        found: dict[tuple[str, str], Unit] = {}
        for unit in self.units:
            found.setdefault(unit.key, unit)
        return found

    @cached_property
    def _projects_by_unit(self) -> dict[tuple[str, str], tuple[Project, ...]]:
        """Projects grouped by (year, unit_code), in site order; built on first use."""
        groups: dict[tuple[str, str], list[Project]] = defaultdict(list)
        for project in self.projects:
            groups[(project.year, project.unit_code)].append(project)
        return {key: tuple(group) for key, group in groups.items()}

    @cached_property
    def _projects_by_id(self) -> dict[str, Project]:
        """Each project by id, the first when an id repeats; built on first use."""
        found: dict[str, Project] = {}
        for project in self.projects:
            found.setdefault(project.id, project)
        return found

    @cached_property
    def _evaluation_links(self) -> tuple[dict[str, SelfEvaluation], tuple[SelfEvaluation, ...]]:
        """Each linked self-evaluation by its project's id, and those linked to none."""
        by_name: dict[tuple[str, str, str], str] = {}
        for project in self.projects:
            by_name.setdefault((project.year, project.unit_code, project.name.strip()),
                               project.id)
        linked: dict[str, SelfEvaluation] = {}
        alone: list[SelfEvaluation] = []
        for evaluation in self.evaluations:
            target = evaluation_target(evaluation, self._projects_by_id, by_name)
            if target is None or target in linked:
                alone.append(evaluation)
            else:
                linked[target] = evaluation
        return linked, tuple(alone)

    @cached_property
    def _evaluations_by_unit(self) -> dict[tuple[str, str], tuple[SelfEvaluation, ...]]:
        """Self-evaluations grouped by (year, unit_code), in site order."""
        groups: dict[tuple[str, str], list[SelfEvaluation]] = defaultdict(list)
        for evaluation in self.evaluations:
            groups[(evaluation.year, evaluation.unit_code)].append(evaluation)
        return {key: tuple(group) for key, group in groups.items()}

    def evaluations_of(self, year: str, code: str) -> tuple[SelfEvaluation, ...]:
        """The self-evaluations of a unit-year."""
        return self._evaluations_by_unit.get((year, code), ())

    def renames_move_evaluations(self, edits: Iterable[tuple[Project, Project]]) -> bool:
        """Whether renaming projects (old, new) can change which project a self-evaluation
        belongs to: one of the unit-year that states no ``project:`` bears the old or the new
        name."""
        return any(old.name != new.name and any(
            not e.project and e.name.strip() in (old.name.strip(), new.name.strip())
            for e in self.evaluations_of(new.year, new.unit_code)) for old, new in edits)

    def evaluation_of(self, project: Project) -> SelfEvaluation | None:
        """The self-evaluation of ``project``, if the site has one."""
        return self._evaluation_links[0].get(project.id)

    def evaluated_project(self, evaluation: SelfEvaluation) -> Project | None:
        """The project ``evaluation`` is linked to (None: it has no target table here)."""
        return self._evaluated.get(evaluation.id)

    @cached_property
    def _evaluated(self) -> dict[str, Project]:
        """Each linked self-evaluation's project, by the self-evaluation's id."""
        return {evaluation.id: self._projects_by_id[project_id]
                for project_id, evaluation in self._evaluation_links[0].items()}

    @property
    def unlinked_evaluations(self) -> tuple[SelfEvaluation, ...]:
        """Self-evaluations with no target table in the site (each gets a page of its own)."""
        return self._evaluation_links[1]

    def project(self, project_id: str) -> Project:
        """The project with ``project_id`` (KeyError when there is none)."""
        return self._projects_by_id[project_id]

    def unit(self, year: str, code: str) -> Unit | None:
        return self._units_by_key.get((year, code))

    def projects_of(self, year: str, code: str) -> tuple[Project, ...]:
        return self._projects_by_unit.get((year, code), ())

    def unit_name(self, project: Project) -> str:
        unit = self.unit(project.year, project.unit_code)
        return unit.name if unit else ""


def evaluation_target(evaluation: SelfEvaluation, projects: dict[str, Project],
                      by_name: dict[tuple[str, str, str], str]) -> str | None:
    """The id of the project ``evaluation`` evaluates: its ``project`` id when stated (and
    known), else the project of the same year, unit and name; None when there is none."""
    if evaluation.project:
        return evaluation.project if evaluation.project in projects else None
    return by_name.get((evaluation.year, evaluation.unit_code, evaluation.name.strip()))
