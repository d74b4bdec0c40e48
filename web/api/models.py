"""Request and response models of the HTTP API: they validate every request and generate /openapi.json."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from spectree.model_adapter.pydantic_adapter import BaseFile

from translator.engine import MAX_ALTERNATIVES
from translator.status import JobStatus

NonEmptyText = Annotated[str, Field(min_length=1)]
LanguageCode = Annotated[str, Field(min_length=1, max_length=20, examples=["de", "auto"])]
ApiKeyField = Annotated[str | None, Field(None, max_length=200, description="API key (or header X-API-Key).")]


class ErrorResponse(BaseModel):
    """Every error, as LibreTranslate sends it."""

    error: str


# LibreTranslate-compatible endpoints. Clients send extra fields (e.g. ``secret``): ignored, as LibreTranslate does.


GlossaryName = Annotated[
    str | None,
    Field(
        max_length=64,
        description="A glossary's name (python -m translator glossary, or the library's Glossaries page): its "
        "terms come back as given, do-not-translate terms as written. It must be for the request's language pair.",
    ),
]


class TranslateRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: NonEmptyText | Annotated[list[str], Field(min_length=1)] = Field(description="Text, or a list of texts.")
    source: LanguageCode = Field(description="Source language code, or 'auto' to detect it.")
    target: LanguageCode = Field(description="Target language code.")
    format: Literal["text", "html"] = Field("text", description="'html' translates text nodes and keeps all markup.")
    alternatives: int = Field(
        0,
        ge=0,
        le=MAX_ALTERNATIVES,
        description="Other translations wanted (the model's next-best hypotheses); format 'text' only "
        "(for 'html' the list is empty, as in LibreTranslate).",
    )
    glossary: GlossaryName = None
    api_key: ApiKeyField


class SuggestRequest(BaseModel):
    """LibreTranslate's /suggest: a better translation ``s`` of ``q``."""

    model_config = ConfigDict(extra="ignore")

    q: NonEmptyText = Field(description="The original text (one sentence is best: the memory is per sentence).")
    s: NonEmptyText = Field(description="The suggested translation.")
    source: LanguageCode = Field(description="Source language code (not 'auto').")
    target: LanguageCode = Field(description="Target language code.")
    api_key: ApiKeyField


class SuggestResponse(BaseModel):
    success: bool
    approved: bool = Field(description="Not in LibreTranslate: true when an admin key put it in the memory at once.")


class DetectedLanguage(BaseModel):
    confidence: float = Field(ge=0, le=100, description="Confidence in percent, as LibreTranslate reports it.")
    language: str


class TranslateResponse(BaseModel):
    translatedText: str | list[str]
    detectedLanguage: DetectedLanguage | list[DetectedLanguage] | None = Field(
        None, description="Only when source is 'auto'; a list when q is a list."
    )
    alternatives: list[str] | list[list[str]] | None = Field(None, description="Only when alternatives > 0.")


class TranslateFileResponse(BaseModel):
    translatedFileUrl: str = Field(description="Where the translated file can be downloaded, for a limited time.")


class DetectRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: NonEmptyText | Annotated[list[str], Field(min_length=1)]
    api_key: ApiKeyField


class LanguageInfo(BaseModel):
    code: str
    name: str
    targets: list[str]


class FrontendLanguage(BaseModel):
    code: str
    name: str


class FrontendLanguages(BaseModel):
    source: FrontendLanguage
    target: FrontendLanguage


class FrontendSettings(BaseModel):
    demoModel: bool = Field(description="True when the installed model is the random-weight demo one.")
    demoNotice: str = Field(description="What to tell users when demoModel is true (empty otherwise).")
    charLimit: int
    frontendTimeout: int
    apiKeys: bool
    keyRequired: bool
    suggestions: bool
    filesTranslation: bool
    supportedFilesFormat: list[str]
    language: FrontendLanguages


# Native document API.


class DocumentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    text: NonEmptyText | None = Field(None, description="The article: plain text, Markdown or HTML (see format).")
    url: Annotated[str, Field(min_length=1, max_length=4000)] | None = Field(
        None, description="Instead of text: an http(s) address; the page is fetched and reduced to its article."
    )
    format: Literal["auto", "text", "markdown", "html"] = Field(
        "auto", description="auto: recognised from the content (an HTML page is read as HTML)."
    )
    source: LanguageCode = "auto"
    target: LanguageCode = "en"
    title: str = Field(
        "", max_length=300, description="Library title until the translation is done (then the article's own title)."
    )
    run_async: bool | None = Field(
        None,
        alias="async",
        description="true: always a background job (202); false: translate now (201); "
        "unset: a job when the article is long.",
    )
    glossary: GlossaryName = None
    api_key: ApiKeyField


class DocumentForm(DocumentRequest):
    """The same request as multipart/form-data, which can also carry a file (text, url or file: one of them)."""

    file: BaseFile | None = Field(
        None,
        description="A document (.docx, .pptx, .odt, .odp, .epub, .po, .pot, .xlf, .xliff, .srt, .vtt): read as "
        "its paragraphs, and given back translated in its own format at links.file; or an article (.txt, .md, "
        ".html), read as text is. Up to TRANSLATOR_UPLOAD_MAX_BYTES (413 beyond), text up to "
        "TRANSLATOR_FILE_MAX_CHARS characters; other types are refused (415).",
    )


class DocumentListQuery(BaseModel):
    limit: int = Field(50, ge=1, le=500)


class Detection(BaseModel):
    model_config = ConfigDict(extra="allow")

    language: str
    confidence: float
    low_confidence: bool = False
    inherited: bool = False


class Sentence(BaseModel):
    model_config = ConfigDict(extra="allow")

    source: str
    start: int
    end: int
    translation: str
    cached: bool
    flags: list[str]
    translation_start: int
    translation_end: int
    origin: Literal["model", "memory", "human"] = Field(
        "model", description="Where the translation comes from: the model, the translation memory, a person's edit."
    )
    machine: str = Field("", description="After a person's edit: the model's translation, for comparison.")
    provenance: Literal["human", "memory", "cache", "model"] = Field(
        "model", description="Where this run's text came from: origin, with 'cache' for a model sentence cached."
    )


class SentenceEdit(BaseModel):
    """A person's translation of one sentence: stored in the document and approved into the translation memory."""

    model_config = ConfigDict(extra="forbid")

    translation: Annotated[str, Field(min_length=1, max_length=5000)]
    api_key: ApiKeyField


class EditedSentence(BaseModel):
    id: str = Field(description="The sentence, as b<block>-s<sentence> (both from 1).")
    source: str
    translation: str
    origin: str
    machine: str
    block_translation: str = Field(description="The block's translation, joined again.")


class Block(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: str = Field(description="title, subtitle, byline, heading, paragraph or footer.")
    source: str
    line: int
    sentences: list[Sentence]
    translation: str
    detected: Detection | None
    markup: str
    data: dict[str, str]


class Document(BaseModel):
    """The aligned bilingual document (``Document.to_dict()``)."""

    model_config = ConfigDict(extra="allow")

    title: str
    word_count: int
    blocks: list[Block]
    detected: Detection
    source_language: str
    target_language: str
    provenance: dict[str, Any] = Field(
        description="Model, version, decoding options; demo is true when the random-weight demo model made it "
        "(meaningless output). cache and served_from describe this run only."
    )
    timings: dict[str, float]
    notes: list[str]
    metadata: dict[str, str] = Field(
        default_factory=dict,
        description="Where a web article came from: source_url, url (canonical), title, author, date, sitename, "
        "language, extractor; empty for text.",
    )


class DocumentLinks(BaseModel):
    status: str
    result: str
    cancel: str
    file: str | None = Field(None, description="The translated file, for a document read from a file.")


class DocumentFile(BaseModel):
    """The file a document was read from, and the name its translation downloads as."""

    name: str = Field(examples=["brief.docx"])
    translated_name: str = Field(examples=["brief.en.docx"])
    url: str = Field(description="The translated file, in the file's own format (409 until the job is done).")


class DocumentStatus(BaseModel):
    """A stored document or job: state, progress (percent) and ETA in seconds while running."""

    model_config = ConfigDict(extra="allow")

    id: str
    title: str
    status: JobStatus
    progress: float
    eta_seconds: float | None
    done_sentences: int
    total_sentences: int
    source_language: str
    target_language: str
    word_count: int
    source_url: str | None = Field(None, description="Where a web article came from (its fetched or canonical URL).")
    file: DocumentFile | None = Field(None, description="The document file it was read from (null for articles).")
    error: str | None
    created: float
    updated: float
    links: DocumentLinks
    document: Document | None = Field(None, description="The result, when it was translated in the request.")


class DocumentList(BaseModel):
    documents: list[DocumentStatus]


# Operations.


class Health(BaseModel):
    status: Literal["ok"]


DEGRADED_HELP = (
    "Parts out of use (documents, keys, cache, jobs: the job broker) with the reason; translation itself works."
)
BROKER_HELP = "With TRANSLATOR_BROKER_URL set: whether the job broker answers (reachable or unreachable)."


class NotReady(BaseModel):
    status: Literal["unavailable"]
    error: str
    degraded: dict[str, str] = Field(default_factory=dict, description=DEGRADED_HELP)


class Ready(BaseModel):
    status: Literal["ready", "degraded"]
    pairs: list[str]
    degraded: dict[str, str] = Field(default_factory=dict, description=DEGRADED_HELP)
    broker: Literal["reachable", "unreachable"] | None = Field(None, description=BROKER_HELP)
