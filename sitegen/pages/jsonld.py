"""schema.org structured data for an article: MedicalWebPage, plus FAQPage when it has questions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sitegen.data.model import Scenario, Source, Topic

__all__ = ["article_jsonld"]


def article_jsonld(
    s: Scenario, topic: Topic, source_ids: list[str], sources: Mapping[str, Source]
) -> list[dict[str, Any]]:
    """JSON-LD objects for the article's <head>, in the order search engines read them."""
    citations = [
        {
            "@type": "CreativeWork",
            "name": sources[i].title,
            **({"url": sources[i].url} if sources[i].url else {}),
        }
        for i in source_ids
        if i in sources
    ]
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": s.title,
        "description": s.summary,
        "about": {"@type": "MedicalCondition", "name": topic.title},
        "lastReviewed": s.review.date.isoformat(),
        "reviewedBy": {"@type": "Person", "name": s.review.reviewer},
        "citation": citations,
    }
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
