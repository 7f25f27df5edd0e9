"""Write the Sphinx sources of the published site from jinja2 templates.

Layout (docnames)::

    index                      documents, editions and proposals
    traceability               the traceability matrix (with traceability.json), when given
    SMETS/4.2/index            an edition: title, front matter, its pages
    SMETS/4.2/section-05       the clean text, one page per top-level clause
    SMETS/4.2/glossary         terms, definitions, where used (and what changed)
    SMETS/4.2+IRP603/changes   the change-marked view of an amended edition
    irps/IRP603                a proposal: metadata, prose, each change as applied

The templates (``spectrace/templates/site``, or a folder given to override some of them) are
rendered with a ``finalize`` hook that escapes every inserted value for reStructuredText unless
it is markup built on purpose (:class:`~spectrace.site.rst.RST`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2

from spectrace.config import Project
from spectrace.errors import SpectraceError
from spectrace.fileio import write_tree
from spectrace.model import Document, Proposal
from spectrace.model.revision import Amendment
from spectrace.site import rst
from spectrace.site.plan import TRACEABILITY, RenderedBlocks, Site, plan_site
from spectrace.trace.matrix import Matrix

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "site"
DEFAULT_TITLE = "Specifications"
#: The sidebar's entries (:attr:`.plan.Site.navigation`), which ``conf.py`` reads into the
#: pages' context: not written into ``conf.py`` itself, which stays the same when a page comes
#: or goes (a changed ``conf.py`` starts the kept Sphinx build afresh; a changed context makes
#: Sphinx write every page again, reading none).
NAVIGATION = "spectrace-navigation.json"
#: Trailing blanks, except an escaped space (which stands for nothing but ends inline markup).
_TRAILING = re.compile(r"(?<!\\)[ \t]+$")


class PublishError(SpectraceError):
    """The site cannot be written or built: a template error, a Sphinx error, a bad output."""


def write_site_sources(
    project: Project | None,
    documents: list[Document],
    amendment: Amendment,
    proposals: list[Proposal],
    folder: Path,
    *,
    templates: Path | None = None,
    title: str = DEFAULT_TITLE,
    matrix: Matrix | None = None,
) -> None:
    """Write the Sphinx project of the site into ``folder`` (replaced as a whole, all or
    nothing): ``conf.py`` and one source per page.

    ``project`` is not needed for anything yet beyond the call's shape; ``templates`` is a
    folder whose templates replace the bundled ones of the same name; ``matrix`` (the
    traceability matrix of the final editions) adds a Traceability page, linked from the index.
    """
    files = site_sources(
        documents, amendment, proposals, templates=templates, title=title, matrix=matrix
    )
    write_tree(files, folder, replace=True)


def site_sources(
    documents: list[Document],
    amendment: Amendment,
    proposals: list[Proposal],
    *,
    templates: Path | None = None,
    title: str = DEFAULT_TITLE,
    matrix: Matrix | None = None,
    rendered: RenderedBlocks | None = None,
) -> dict[str, str]:
    """Return the Sphinx project of the site as {relative path: text} (see
    :func:`write_site_sources`; ``rendered``: the blocks an earlier build rendered)."""
    site = plan_site(title, documents, amendment, proposals, matrix, rendered)
    return render_site(site, templates)


def render_site(site: Site, templates: Path | None = None) -> dict[str, str]:
    """Return the site's sources as {relative path: text}."""
    env = environment(templates)
    files = {
        "conf.py": _render(env, "conf.py.j2", site=site),
        NAVIGATION: json.dumps(site.navigation, ensure_ascii=False, indent=1) + "\n",
        "index.rst": _render(env, "index.rst.j2", site=site),
        "_templates/spectrace-navigation.html": _static(env, "navigation.html"),
    }
    for edition in site.editions:
        context = {"site": site, "edition": edition}
        files[f"{edition.folder}/index.rst"] = _render(env, "edition.rst.j2", **context)
        for section in edition.sections:
            files[f"{edition.folder}/{section.name}.rst"] = _render(
                env, "section.rst.j2", section=section, **context
            )
        files[f"{edition.folder}/glossary.rst"] = _render(env, "glossary.rst.j2", **context)
        if edition.amended:
            files[f"{edition.folder}/changes.rst"] = _render(env, "changes.rst.j2", **context)
    for proposal in site.proposals:
        files[f"irps/{proposal.name}.rst"] = _render(
            env, "irp.rst.j2", site=site, proposal=proposal
        )
    if site.traceability is not None:
        files[f"{TRACEABILITY}.rst"] = _render(
            env, "traceability.rst.j2", site=site, page=site.traceability
        )
        files[f"{TRACEABILITY}.json"] = site.traceability.json()
    return files


def environment(templates: Path | None = None) -> jinja2.Environment:
    """Return the jinja2 environment: values escaped for RST unless they are RST already."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(TEMPLATES))]
    if templates is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(templates)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        finalize=rst.escape,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        heading=rst.heading,
        option=rst.option,
        indent=lambda text, spaces=3: rst.indent(rst.escape(text), spaces),
        joined=rst.joined,
        term=rst.term_line,
        definition=rst.definition,
        python=lambda value: rst.RST(repr(value)),
        doc=lambda target, text=None: rst.role("doc", text or target, target if text else None),
    )
    env.globals.update(role=rst.role, join=rst.join)
    return env


def _render(env: jinja2.Environment, name: str, **context) -> str:
    try:
        text = env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise PublishError(
            f"template error: {exc.message}", file=exc.filename or name, where=f"line {exc.lineno}"
        ) from None
    except jinja2.TemplateError as exc:
        raise PublishError(f"template error: {exc}", file=_template_file(env, name)) from None
    return "\n".join(_TRAILING.sub("", line) for line in text.split("\n")).rstrip("\n") + "\n"


def _static(env: jinja2.Environment, name: str) -> str:
    """Return a file copied into the sources as it is (a template of Sphinx's own)."""
    assert env.loader is not None  # the environment is made with one (render_site)
    source, _, _ = env.loader.get_source(env, name)
    return source


def _template_file(env: jinja2.Environment, name: str) -> str:
    """Return the file a template was loaded from (an override, or the bundled one)."""
    assert env.loader is not None  # the environment is made with one (render_site)
    try:
        return env.loader.get_source(env, name)[1] or name
    except jinja2.TemplateNotFound:
        return name
