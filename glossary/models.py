"""The desk's code words and synonyms, in English, Ukrainian and Russian.

Each entry is one concept ("500": soldiers refusing to fight) with every
spelling the desk meets. Searches for any of them find all of them, and
readers get the entry's explanation.
"""

from django.db import models


class EntryQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Entries one of whose terms occurs in ``text`` as a whole word or phrase."""
        needle = f" {normalise(text)} "
        return [entry for entry in self if any(f" {term} " in needle for term in entry.term_list)]


class Entry(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=100, help_text="How the entry is headed for readers, e.g. '500'.")
    explanation = models.TextField(help_text="Plain text shown to readers.")
    terms = models.TextField(
        help_text="Every spelling that means this, one per line, in any language (e.g. 500, 500s, refusers)."
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return self.title

    @property
    def term_list(self) -> list[str]:
        return [normalise(line) for line in self.terms.splitlines() if line.strip()]


def normalise(text: str) -> str:
    """Lower-case, with punctuation turned to spaces, so '"500s"' matches '500s'."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in (text or "").lower())
    return " ".join(cleaned.split())


def expand(query: str) -> list[str]:
    """The query's own words plus every synonym of the glossary entries it mentions."""
    alternatives = [normalise(query)] if normalise(query) else []
    for entry in Entry.objects.matching(query):
        alternatives.extend(term for term in entry.term_list if term not in alternatives)
    return alternatives
