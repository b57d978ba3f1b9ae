"""HTML pages of the site (minimal first version: home and one page per project)."""

from __future__ import annotations

from collections.abc import Iterable

from site_builder.build.outputs import BuildContext, OutputFile, relative_root
from site_builder.build.render import make_environment
from site_builder.model import Project


def project_path(project: Project) -> str:
    """Output path of a project's page."""
    return f"projects/{project.id}.html"


def produce(context: BuildContext) -> Iterable[OutputFile]:
    env = make_environment(context.root)
    site = context.site
    common = {"settings": context.settings, "site": site}
    home = env.get_template("index.html").render(
        root=relative_root("index.html"), projects=site.projects,
        project_path=project_path, **common)
    yield OutputFile("index.html", home.encode("utf-8"))
    template = env.get_template("project.html")
    for project in site.projects:
        path = project_path(project)
        html = template.render(root=relative_root(path), project=project,
                               unit=site.unit(project.year, project.unit_code), **common)
        yield OutputFile(path, html.encode("utf-8"))
