"""A person's correction of one sentence: checked, applied to the stored document, approved into the memory.

The reader (in place, or the plain form), the document API and tests all go
through ``edit_sentence``; none of them changes a stored translation on its own.
"""

from __future__ import annotations

import re
import unicodedata

from translator.document import Document, Sentence
from translator.errors import InputError
from translator.storage.documents import ANY_OWNER, DocumentStore
from translator.storage.memory import TranslationMemory

MAX_EDIT_CHARS = 5_000
PAIR_ID = re.compile(r"^b([1-9][0-9]{0,5})-s([1-9][0-9]{0,5})$")


def clean_edit(text: str) -> str:
    """One line of text: control and format characters dropped, whitespace runs as one space; refused if empty."""
    if not isinstance(text, str):
        raise InputError("The corrected translation must be text.")
    if len(text) > MAX_EDIT_CHARS:
        raise InputError(f"The corrected sentence has {len(text):,} characters; the limit is {MAX_EDIT_CHARS:,}.")
    kept = "".join(char for char in text if char.isspace() or unicodedata.category(char) not in ("Cc", "Cs"))
    cleaned = " ".join(unicodedata.normalize("NFC", kept).split())
    if not cleaned:
        raise InputError("The corrected translation is empty; type the sentence, or cancel to keep it as it is.")
    return cleaned


def parse_pair(pair: str) -> tuple[int, int]:
    """(block number, sentence number), both from 1, of a reader pair id such as ``b3-s2``."""
    match = PAIR_ID.match(pair or "")
    if match is None:
        raise InputError(f"{pair!r} does not name a sentence; sentences are named like 'b3-s2'.")
    return int(match[1]), int(match[2])


def apply_edit(document: Document, block_number: int, sentence_number: int, text: str) -> Sentence:
    """Put ``text`` in as the sentence's translation, keep the model's version, re-join the block."""
    if not 1 <= block_number <= len(document.blocks):
        raise InputError(f"The document has no block {block_number}.")
    block = document.blocks[block_number - 1]
    if not 1 <= sentence_number <= len(block.sentences):
        raise InputError(f"Block {block_number} has no sentence {sentence_number}.")
    sentence = block.sentences[sentence_number - 1]
    if sentence.origin == "model" and not sentence.machine:
        sentence.machine = sentence.translation
    sentence.translation = text
    sentence.origin = "human"
    sentence.cached = False
    sentence.flags = []  # the quality checks judge the model's output, not a person's
    block.join_translations()
    return sentence


def edit_sentence(
    store: DocumentStore,
    memory: TranslationMemory | None,
    doc_id: str,
    pair: str,
    text: str,
    owner: str | None = ANY_OWNER,
) -> tuple[Document, Sentence] | None:
    """Save a correction in the document and approve it into the memory; None when there is no such document.

    Concurrent edits of one sentence: the last to commit wins in the document and in the memory alike.

    Raises ``InputError`` for a bad edit, ``ConflictError`` while the document is being translated.
    """
    block_number, sentence_number = parse_pair(pair)
    cleaned = clean_edit(text)

    def change(document: Document) -> Sentence:
        sentence = apply_edit(document, block_number, sentence_number, cleaned)
        if memory is not None:  # inside the document's transaction: edits reach both files in the same order
            memory.put(document.source_language, document.target_language, sentence.source, cleaned, "edit")
        return sentence

    return store.edit(doc_id, change, owner)
