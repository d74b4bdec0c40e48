"""Glossaries and do-not-translate terms: what a term is, CSV/TSV files, and applying terms to a sentence.

A glossary belongs to one language pair and holds (source term, target term)
entries; an entry whose target equals its source is a do-not-translate term
(a name, a brand, a product). Terms reach the model as protected placeholders
(``translator.inline``): a do-not-translate term comes back byte for byte, a
glossary term comes back as its given translation (inflection aside), and a
sentence whose output lost a term is flagged ``glossary`` with the term put back.
The entries live in ``translator.storage.glossary``.
"""

from translator.glossary.apply import mark_terms, plan_terms, terms_in, translate_with_terms
from translator.glossary.entries import Glossary, check_entry, check_name

__all__ = ["Glossary", "check_entry", "check_name", "mark_terms", "plan_terms", "terms_in", "translate_with_terms"]
