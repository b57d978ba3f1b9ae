"""Files for machines: sitemap.xml, robots.txt and an Atom feed of the newest projects.

Made after the other producers, from the list of pages they produced.  Absolute addresses need
the site's address (``base_url`` in site.yaml or ``--base-url``); without it the sitemap and
feed use addresses relative to themselves and robots.txt names no sitemap.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from site_builder.build import views
from site_builder.controls import markup_bytes
from site_builder.core import urls
from site_builder.core.outputs import BuildContext, OutputFile

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 50
"""How many projects the feed lists."""
EXCLUDED = frozenset((urls.NOT_FOUND, urls.SEARCH))
"""Pages not listed in the sitemap."""


def site_address(context: BuildContext) -> str:
    """The site's absolute address ending in '/', or "" when unknown."""
    base = context.base_url.strip()
    return base if not base or base.endswith("/") else base + "/"


def _xml(root: ET.Element) -> bytes:
    """The document, well-formed whatever the content holds (ElementTree writes control
    characters as they are, which XML 1.0 forbids: they are dropped)."""
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return markup_bytes(data + b"\n")


SITEMAP_LIMIT = 50_000
"""URLs per sitemap file (the sitemaps.org limit); a larger site gets a sitemap index."""


def sitemap(context: BuildContext, pages: Iterable[str]) -> list[OutputFile]:
    """sitemap.xml listing every page; above :data:`SITEMAP_LIMIT` pages, sitemap.xml is a
    sitemap index of ``sitemap-1.xml``, ``sitemap-2.xml``, …"""
    address = site_address(context)
    locs = [address + path for path in sorted(pages)
            if path.endswith(".html") and path not in EXCLUDED]
    if len(locs) <= SITEMAP_LIMIT:
        return [OutputFile(urls.SITEMAP, _listing("urlset", "url", locs))]
    stem = urls.SITEMAP.removesuffix(".xml")
    chunks = [locs[start:start + SITEMAP_LIMIT] for start in range(0, len(locs), SITEMAP_LIMIT)]
    parts = [OutputFile(f"{stem}-{n}.xml", _listing("urlset", "url", chunk))
             for n, chunk in enumerate(chunks, 1)]
    index = _listing("sitemapindex", "sitemap", [address + part.path for part in parts])
    return [OutputFile(urls.SITEMAP, index), *parts]


def _listing(root: str, item: str, locs: list[str]) -> bytes:
    """A sitemap (or sitemap index) of ``locs``, written as ElementTree would indent it."""
    lines = ["<?xml version='1.0' encoding='utf-8'?>", f'<{root} xmlns="{SITEMAP_NS}">']
    lines += [f"  <{item}>\n    <loc>{escape(loc)}</loc>\n  </{item}>" for loc in locs]
    lines.append(f"</{root}>\n")
    return markup_bytes("\n".join(lines).encode("utf-8"))


def robots(context: BuildContext) -> OutputFile:
    lines = ["User-agent: *", "Allow: /"]
    if site_address(context):
        lines.append(f"Sitemap: {site_address(context)}{urls.SITEMAP}")
    return OutputFile(urls.ROBOTS, ("\n".join(lines) + "\n").encode("utf-8"))


def updated(context: BuildContext, year: str) -> str:
    """Atom needs a time: SOURCE_DATE_EPOCH when set, else the start of the budget year."""
    if context.source_date_epoch is not None:
        moment = datetime.fromtimestamp(context.source_date_epoch, UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{year}-01-01T00:00:00Z"


def feed(context: BuildContext) -> OutputFile:
    ET.register_namespace("", ATOM)
    settings, site = context.settings, context.site
    newest = views.recent(site, FEED_SIZE)
    root = ET.Element(f"{{{ATOM}}}feed")
    if site_address(context):
        root.set("{http://www.w3.org/XML/1998/namespace}base", site_address(context))
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, site_address(context) or str(settings["title"]))
    ET.SubElement(root, f"{{{ATOM}}}id").text = namespace.urn
    ET.SubElement(root, f"{{{ATOM}}}title").text = str(settings["title"])
    ET.SubElement(root, f"{{{ATOM}}}subtitle").text = str(settings["description"])
    ET.SubElement(root, f"{{{ATOM}}}updated").text = updated(
        context, newest[0].year if newest else "1970")
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = str(settings["publisher"] or settings["title"])
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "href": urls.HOME})
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "href": urls.FEED})
    for ref in newest:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = uuid.uuid5(namespace, ref.id).urn
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{ref.year}年 {ref.name}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = updated(context, ref.year)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": ref.path})
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = (
            f"{ref.unit_name}，{ref.year}年，金额 {ref.amount} 万元")
    return OutputFile(urls.FEED, _xml(root))


def produce_after(context: BuildContext, paths: Iterable[str]) -> list[OutputFile]:
    """The machine files for a site made of the files at ``paths``."""
    return [*sitemap(context, paths), robots(context), feed(context)]
