"""schema.org structured data for an article: MedicalWebPage, plus FAQPage when it has questions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sitegen.data.model import Scenario, Source, Topic

__all__ = ["article_jsonld"]


def article_jsonld(
    s: Scenario, topic: Topic, source_ids: list[str], sources: Mapping[str, Source], reviewed: bool
) -> list[dict[str, Any]]:
    """JSON-LD objects for the article's <head>, in the order search engines read them.

    ``reviewed``: a clinician's review covers exactly this content; only then are ``reviewedBy`` and
    ``lastReviewed`` given (a review of an earlier version does not vouch for this one).
    """
    citations = [
        {
            "@type": "CreativeWork",
            "name": sources[i].title,
            **({"url": sources[i].url} if sources[i].url else {}),
        }
        for i in source_ids
        if i in sources
    ]
    page: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": s.title,
        "description": s.summary,
        "about": {"@type": "MedicalCondition", "name": topic.title},
        "citation": citations,
    }
    if reviewed and s.review is not None:
        page["lastReviewed"] = s.review.date.isoformat()
        page["reviewedBy"] = {"@type": "Person", "name": s.review.reviewer, "jobTitle": s.review.role}
    if not s.faq:
        return [page]
    faq = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": f.question, "acceptedAnswer": {"@type": "Answer", "text": f.answer}}
            for f in s.faq
        ],
    }
    return [page, faq]
