"""Every generated page of the site, from one validated data set."""

from __future__ import annotations

from itertools import pairwise

from sitegen._fork import in_child
from sitegen.data.model import DataSet
from sitegen.pages import articles, calcpages, indexes
from sitegen.pages.render import GeneratedPage
from sitegen.pages.site import Site
from sitegen.runtime.assets import WebRefs

__all__ = ["build_pages"]


def build_pages(ds: DataSet, directory_urls: bool = True, web: WebRefs | None = None) -> list[GeneratedPage]:
    """Every generated page of the site, sorted by ``src_uri``, linking in the build's URL style.

    ``web`` names the published glue files of the calculator widgets (unhashed names when None).
    """
    site = Site(ds, directory_urls, web)
    shared = calcpages.shared_forms(site)  # made before the fork: both processes use it
    # A forked child renders the lookup table and every other article meanwhile: about half the work.
    theirs, mine = site.scenarios[::2], site.scenarios[1::2]
    wait = in_child(lambda: [indexes.lookup(site), *(articles.article(site, s) for s in theirs)], len(theirs))
    pages = [indexes.home(site), indexes.topics_index(site), indexes.faq_index(site)]
    pages += [indexes.procedures_index(site), *(articles.article(site, s) for s in mine)]
    for t in site.topics.values():
        pages += [articles.guide(site, t), articles.topic_faq(site, t)]
    pages += [articles.procedure(site, p) for p in site.procs.values()]
    pages += [*calcpages.pages(site), shared]
    pages = sorted(pages + wait(), key=lambda p: p.src_uri)
    # validation keeps ids apart from list pages (model.PAGE_ID): one page may never replace another
    clashes = sorted({a.src_uri for a, b in pairwise(pages) if a.src_uri == b.src_uri})
    if clashes:
        raise ValueError(f"generated pages clash: {', '.join(clashes)}")
    return pages
