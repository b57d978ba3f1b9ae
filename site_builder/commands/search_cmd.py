"""``site-builder search``: query the site's search index from the command line."""

from __future__ import annotations

import argparse
import json

from site_builder.achievement import EVALUATION_FILTERS
from site_builder.build.pipeline import make_context
from site_builder.i18n import N_, _
from site_builder.search.documents import search_docs
from site_builder.search.index import index_dir, update_index
from site_builder.search.query import Filters, Hit, search
from site_builder.search.suggest import Suggestion, suggest

NAME = "search"
HELP = N_("find every project containing QUERY (the same matches as the site's search "
          "page)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", metavar="QUERY",
                        help=_("text to find; space-separated terms must all occur"))
    parser.add_argument("--year", metavar="Y", help=_("only projects of budget year Y"))
    parser.add_argument("--unit", metavar="CODE", help=_("only projects of the unit with CODE"))
    parser.add_argument("--category", metavar="NAME",
                        help=_("only projects whose indicators in this category (e.g. 满意度指标) "
                               "hold every term; their matching indicators are shown"))
    parser.add_argument("--evaluation", choices=sorted(EVALUATION_FILTERS),
                        help=_("only projects with a self-evaluation (evaluated), or whose "
                               "self-evaluation totals below 80 points (below-80)"))
    parser.add_argument("--limit", type=_limit, default=20, metavar="N",
                        help=_("show at most N results (default 20; 0 = all)"))
    parser.add_argument("--json", action="store_true", help=_("print the results as JSON"))


def _limit(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(_("must be 0 (all) or more"))
    return value


def run(args: argparse.Namespace) -> int:
    context = make_context(args.project)
    path = index_dir(context.cache_dir)
    docs = search_docs(context.site)
    update_index(path, docs)
    filters = Filters(args.year, args.unit, args.category, args.evaluation)
    total, hits = search(path, args.query, filters, args.limit)
    order = {doc.id: number for number, doc in enumerate(docs)}
    suggestions = suggest(path, args.query, filters, order, total)
    if args.json:
        print(json.dumps({"query": args.query, "total": total,
                          "results": [h.to_json() for h in hits],
                          "suggestions": [{"query": s.query, "total": s.total}
                                          for s in suggestions]},
                         ensure_ascii=False, indent=2))
    else:
        _print_text(args.query, total, hits, args.category)
        _print_suggestions(total, suggestions)
    return 0


def _print_suggestions(total: int, suggestions: list[Suggestion]) -> None:
    if suggestions:
        label = _("You could also try") if total else _("Did you mean")
        shown = _("; ").join(_("{query} ({total} projects)").format(query=s.query, total=s.total)
                             for s in suggestions)
        print(_("{label}: {suggestions}").format(label=label, suggestions=shown))


def _print_text(query: str, total: int, hits: list[Hit], category: str | None) -> None:
    if not total:
        print(_("no project contains “{query}”").format(query=query))
        return
    for hit in hits:
        print(_("{id}  {year}  {unit}  {name}  {amount} ten-thousand yuan  [{score}]").format(
            id=hit.id, year=hit.year, unit=hit.unit_name, name=hit.name, amount=hit.amount,
            score=f"{hit.score:.2f}"))
        for row in hit.indicators:
            print("    " + _("{category}: {indicator}").format(category=category, indicator=row))
    if len(hits) < total:
        print(_("{total} matching project(s), showing {shown}").format(total=total,
                                                                     shown=len(hits)))
    else:
        print(_("{total} matching project(s)").format(total=total))
