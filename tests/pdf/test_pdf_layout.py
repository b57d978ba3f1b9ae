"""The page geometry on small hand-placed pages: grids, merged cells, wrapped lines, spaces."""

from __future__ import annotations

from site_builder.importers.pdf_layout import (
    Glyph,
    PageContent,
    Rule,
    Spacing,
    SpacingCount,
    Table,
    TextLine,
    lay_out,
)

SIZE = 10.0


def text(x: float, top: float, chars: str, width: float = SIZE) -> list[Glyph]:
    """Glyphs of ``chars`` side by side from ``x`` (each ``width`` wide)."""
    return [Glyph(c, x + i * width, x + (i + 1) * width, top, top + SIZE)
            for i, c in enumerate(chars)]


def grid(xs: list[float], ys: list[float], skip: set[tuple[int, int]] = frozenset()) -> list[Rule]:  # type: ignore[assignment]
    """Ruled lines of a grid; ``skip`` leaves out the horizontal line below row r in column c."""
    rules = [Rule(x, ys[0], x, ys[-1]) for x in xs]
    for r, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if (r - 1, c) not in skip:
                rules.append(Rule(xs[c], y, xs[c + 1], y))
    return rules


def page(glyphs: list[Glyph], rules: list[Rule]) -> PageContent:
    return PageContent(1, 600, 800, tuple(glyphs), tuple(rules), 0)


def test_a_cell_no_line_crosses_is_one_cell_anchored_in_its_first_row() -> None:
    xs, ys = [0, 100, 200], [0, 20, 40, 60]
    rules = grid(xs, ys, skip={(0, 0), (1, 0)})  # column 0 merged over three rows
    glyphs = text(5, 25, "产出指标") + text(105, 5, "甲") + text(105, 45, "丙")
    items = lay_out(page(glyphs, rules))
    assert len(items) == 1 and isinstance(items[0], Table)
    rows = items[0].rows
    assert [(c.col, c.rows, c.text) for c in rows[0]] == [(0, 3, "产出指标"), (1, 1, "甲")]
    assert [(c.col, c.text) for c in rows[2]] == [(1, "丙")]


def test_wrapped_lines_joined_and_deliberate_breaks_kept() -> None:
    rules = grid([0, 74], [0, 100])
    glyphs = (text(2, 5, "目标一：保障运") + text(2, 17, "转。")  # wrapped: 转 did not fit
              + text(2, 29, "目标二：宣传。"))  # 目标二 would have fitted after 转。
    table = lay_out(page(glyphs, rules))[0]
    assert isinstance(table, Table)
    assert table.rows[0][0].text == "目标一：保障运转。\n目标二：宣传。"


def test_text_outside_tables_in_pieces_and_paragraphs() -> None:
    glyphs = text(10, 10, "第1页") + text(80, 10, "共2页") + text(10, 40, "备注：一二三四五六") + (
        text(10, 52, "七八"))
    rules = grid([10, 110], [70, 90])
    items = lay_out(page(glyphs, rules))
    lines = [i.text for i in items if isinstance(i, TextLine)]
    assert lines == ["第1页", "共2页", "备注：一二三四五六七八"]


def test_autospacing_is_not_a_space_but_a_gap_elsewhere_is() -> None:
    spaced = text(0, 0, "完成") + text(23, 0, "5", 6) + text(31, 0, "次")  # 0.3 em gaps
    count = SpacingCount()
    for _ in range(5):
        count.add(spaced)
    assert count.spacing() == Spacing(script_gaps=False)
    assert count.spacing().text(spaced) == "完成5次"
    assert Spacing().text(spaced) == "完成 5 次"
    words = text(0, 0, "ab", 6) + text(15, 0, "cd", 6)
    assert count.spacing().text(words) == "ab cd"
