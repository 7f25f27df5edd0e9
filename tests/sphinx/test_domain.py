"""The ``spec`` domain keeps the extension's data, and clears and merges it per document."""

from __future__ import annotations

import pickle
from types import SimpleNamespace

from spectrace.sphinx import ENV_VERSION
from spectrace.sphinx.domain import SpecDomain
from spectrace.sphinx.targets import NO_EDITION, Page

# The domain on its own ----------------------------------------------------------------------


def spec_domain(**pages: Page) -> SpecDomain:
    """Return a domain over a bare environment, holding ``pages``."""
    spec = SpecDomain(SimpleNamespace(domaindata={}))
    for docname, page in pages.items():
        spec.note_page(docname, page)
    return spec


def test_the_domain_keeps_only_pages_and_its_version():
    spec = spec_domain(a=Page(statements=["X-1-1"]))
    spec.index()
    assert spec.data == {"version": SpecDomain.data_version, "pages": {"a": spec.pages["a"]}}
    assert pickle.loads(pickle.dumps(spec.data)) == spec.data
    assert ENV_VERSION >= 2 and SpecDomain.data_version >= 1


def test_clear_doc_removes_exactly_one_documents_data():
    a = Page(edition=("X", "1"), clauses={"1": "clause-1"}, statements=["X-1-1"])
    b = Page(edition=("X", "1"), clauses={"2": "clause-2"}, statements=["X-2-1"])
    spec = spec_domain(a=a, b=b)
    assert spec.index().statements == {
        ("X", "1"): {"X-1-1": ("a", "X-1-1"), "X-2-1": ("b", "X-2-1")}
    }
    spec.clear_doc("b")
    assert spec.pages == {"a": a}
    assert spec.index().statements == {("X", "1"): {"X-1-1": ("a", "X-1-1")}}
    assert spec.index().clauses == {("X", "1"): {"1": ("a", "clause-1")}}
    spec.clear_doc("never-read")
    assert spec.pages == {"a": a}


def test_merge_domaindata_takes_the_named_documents_from_another_reader():
    spec = spec_domain(a=Page(statements=["X-1-1"]), b=Page(statements=["X-2-1"]))
    assert spec.index().statements[NO_EDITION] == {"X-1-1": ("a", "X-1-1"), "X-2-1": ("b", "X-2-1")}
    other = spec_domain(
        b=Page(statements=["X-2-2"]), c=Page(irps={"IRP1": "IRP1"}), d=Page(statements=["X-4-1"])
    )
    spec.merge_domaindata({"b", "c"}, pickle.loads(pickle.dumps(other.data)))
    assert spec.pages == {
        "a": Page(statements=["X-1-1"]),
        "b": Page(statements=["X-2-2"]),
        "c": Page(irps={"IRP1": "IRP1"}),
    }
    assert spec.index().statements[NO_EDITION] == {"X-1-1": ("a", "X-1-1"), "X-2-2": ("b", "X-2-2")}
    assert spec.index().irps == {"IRP1": ("c", "IRP1")}
