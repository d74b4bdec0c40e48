"""Settings: one table, read from ``TRANSLATOR_*`` environment variables.

Every setting is a field with its default, a line of help and its limits
(``minimum``, ``choices``, a ``check`` function): validation, the command-line
options, ``Settings.to_env`` and the README's configuration table (checked by a
test) all read this one table, so none of them can drift.
"""

from __future__ import annotations

import os
import types
from collections.abc import Callable, Mapping
from dataclasses import Field, dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any, get_type_hints

from translator.errors import ConfigError, InputError, TranslatorError

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}
CACHE_URL_SCHEMES = ("redis://", "rediss://", "unix://")


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "article-translator"


def check_rate_limit(limit: str) -> str:
    """A flask-limiter rate limit such as '600 per minute' or '10/second;100/hour' (for settings and API keys)."""
    from limits import parse_many

    try:
        parsed = parse_many(limit)
    except ValueError:
        parsed = []
    if not parsed:
        raise InputError(f"{limit!r} is not a rate limit; write it like '600 per minute' or '10/second'.")
    return limit.strip()


def _setting(
    default: Any,
    help: str,
    *,
    minimum: float | None = None,
    choices: tuple[str, ...] = (),
    check: Callable[[Any], Any] | None = None,
    default_text: str | None = None,
) -> Any:
    """A field of the settings table: its limits live here, next to its meaning."""
    metadata = {"help": help, "minimum": minimum, "choices": choices, "check": check, "default_text": default_text}
    if callable(default):
        return field(default_factory=default, metadata=metadata)
    return field(default=default, metadata=metadata)


def check_cache_url(url: str) -> str:
    """A Redis URL for the shared translation cache (redis://, rediss:// or unix://)."""
    if not url.startswith(CACHE_URL_SCHEMES):
        raise InputError(f"must start with one of {', '.join(CACHE_URL_SCHEMES)} (or be empty for SQLite)")
    return url


def available_cores() -> int:
    """The cores this process may run on: a worker pinned with taskset or a cpuset sees its own, not the machine's."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the core; the web, API and CLI layers add none of their own here."""

    data_dir: Path = _setting(
        _default_data_dir,
        "Directory for the translation cache, the document store and other state.",
        default_text="$XDG_DATA_HOME/article-translator",
    )
    model_dir: Path | None = _setting(
        None,
        "Directory where Argos model packages are installed.",
        default_text="<data_dir>/models",
    )
    cache: bool = _setting(True, "Per-sentence translation cache (SQLite in the data directory): on or off.")
    cache_url: str = _setting(
        "",
        "Redis URL (redis://host:6379/0) for a translation cache shared by every worker and machine; "
        "empty: SQLite in the data directory.",
        check=check_cache_url,
    )
    memory: bool = _setting(
        True, "Translation memory of approved human translations (SQLite in the data directory), used before the model."
    )
    beam_size: int = _setting(2, "Beam size for decoding; 1 is greedy and fastest, 4 is Argos' default.", minimum=1)
    compute_type: str = _setting("int8", "CTranslate2 compute type on CPU (int8, int8_float32, float32).")
    inter_threads: int = _setting(
        0,
        "CTranslate2 replicas decoding sub-batches in parallel (shared weights); 0: one per core, cores/2 from 4.",
        minimum=0,
    )
    intra_threads: int = _setting(
        0, "CTranslate2 threads per replica; 0 divides the cores between the replicas.", minimum=0
    )
    max_batch_size: int = _setting(
        32, "Most sentences decoded at once over all replicas, when TRANSLATOR_MAX_BATCH_TOKENS is 0.", minimum=1
    )
    max_batch_tokens: int = _setting(
        1536,
        "Most source tokens decoded at once over all replicas (bounds working memory by length, not by count); "
        "0: bound by TRANSLATOR_MAX_BATCH_SIZE sentences instead.",
        minimum=0,
    )
    max_decoding_length: int = _setting(256, "Upper bound on tokens generated for one sentence.", minimum=1)
    max_chars: int = _setting(500_000, "Largest article, in characters, accepted by translate_document.", minimum=1)
    upload_max_bytes: int = _setting(
        2 * 1024 * 1024, "Largest upload or request body, in bytes (web and API).", minimum=1
    )
    threads: int = _setting(
        8, "Request threads in the single gunicorn worker (they share one loaded model).", minimum=1
    )
    job_workers: int = _setting(1, "Background translation jobs run at once (each uses every core).", minimum=1)
    api_max_chars: int = _setting(
        20_000, "Most characters one /translate request may carry (all items together).", minimum=1
    )
    api_max_batch: int = _setting(50, "Most items in one /translate request when q is a list.", minimum=1)
    file_max_chars: int = _setting(
        100_000, "Most characters of text one file sent to /translate_file may hold.", minimum=1
    )
    file_keep_seconds: int = _setting(
        1800, "How long a translated file stays downloadable from /download_file before it is deleted.", minimum=1
    )
    api_keys_required: bool = _setting(
        False, "Refuse API requests without a valid key (manage keys: python -m translator keys)."
    )
    rate_limit: str = _setting(
        "120 per minute",
        "Requests per client (or per key) on the API; empty disables limiting.",
        check=check_rate_limit,
    )
    rate_limit_storage: str = _setting("memory://", "flask-limiter storage URI (memory:// or redis://...).")
    web_rate_limit: str = _setting(
        "600 per minute",
        "Page views, reader polls and exports per browser (signed-in key or address); empty disables limiting.",
        check=check_rate_limit,
    )
    cors_origins: str = _setting(
        "", "Comma-separated origins (https://app.example) whose pages may call the document API from a browser."
    )
    proxy_hops: int = _setting(
        0,
        "Reverse proxies in front whose X-Forwarded-For/-Proto/-Host are trusted (rate limits per real client).",
        minimum=0,
    )
    log_format: str = _setting(
        "text", "Log format: text (readable) or json (one object per line).", choices=("text", "json")
    )
    fetch_timeout: float = _setting(
        10.0,
        "Seconds to connect to a server and to wait for each read when fetching a URL; 3x this for a whole page.",
        minimum=0.1,
    )
    fetch_max_bytes: int = _setting(10 * 1024 * 1024, "Largest page or feed fetched from a URL, in bytes.", minimum=1)
    fetch_max_redirects: int = _setting(
        5, "Most redirects followed when fetching a URL (each one is checked).", minimum=0
    )
    fetch_user_agent: str = _setting(
        "article-translator/1.0 (offline translation of an article a user asked for)",
        "User-Agent header sent when fetching a URL.",
    )
    fetch_allow_private: bool = _setting(
        False, "Allow URLs on loopback, private and link-local addresses (intranets); off: only public addresses."
    )
    extract_comments: bool = _setting(
        True, "Keep readers' comments found on a web page, as comment blocks after the article."
    )
    extract_max_elements: int = _setting(
        15_000,
        "Largest web page, in HTML elements, reduced to its article (extraction: 0.25-0.6 ms per element).",
        minimum=1,
    )
    broker_url: str = _setting(
        "",
        "Celery broker (redis://host:6379/0): jobs run on `python -m translator worker` processes; empty: in-process.",
    )
    broker_visibility_timeout: int = _setting(
        3600, "Seconds before a job a worker took but never finished (killed) is given to another worker.", minimum=1
    )
    log_article_text: bool = _setting(
        False, "Include article text in debug logs (off: logs never contain article text)."
    )

    @property
    def resolved_model_dir(self) -> Path:
        return self.model_dir if self.model_dir is not None else self.data_dir / "models"

    @property
    def cache_path(self) -> Path:
        return self.data_dir / "cache.sqlite3"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``TRANSLATOR_<NAME>`` variables, then apply explicit overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in fields(cls):
            raw = env.get(env_name(spec.name))
            if raw is None or (raw == "" and _value_type(spec.name) is not str):
                continue  # an empty string setting is meaningful (e.g. no rate limit); an empty number is not
            values[spec.name] = parse_setting(spec.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def thread_layout(self, cores: int | None = None) -> tuple[int, int]:
        """(replicas, threads per replica) for CTranslate2.

        On a CPU, replicas on one core each decoding their own sub-batch beat one
        replica spreading every operation over all cores (no synchronisation per
        operation): on 2 cores, 8 merged requests ran about 20 % faster and a
        single article no slower (bench/RESULTS.md). From 4 cores, two threads
        per replica keep a single article's sub-batches from getting too narrow.
        """
        cores = cores or available_cores()
        replicas = self.inter_threads or (cores if cores < 4 else cores // 2)
        return replicas, self.intra_threads or max(cores // replicas, 1)

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    def __post_init__(self) -> None:
        self.validate()  # however settings are made (environment, options, code), they are valid

    def validate(self) -> None:
        """Every field against its limits in the table (minimum, choices, check)."""
        for spec in fields(self):
            value, variable = getattr(self, spec.name), env_name(spec.name)
            minimum, choices, check = spec.metadata["minimum"], spec.metadata["choices"], spec.metadata["check"]
            if minimum is not None and value < minimum:
                raise ConfigError(f"{variable} must be at least {minimum}, got {value}")
            if choices and value not in choices:
                raise ConfigError(f"{variable} must be {' or '.join(choices)}, got {value!r}")
            if check is not None and str(value).strip():  # an empty value means "off"
                try:
                    check(value)
                except TranslatorError as error:
                    raise ConfigError(f"{variable}: {error}") from None

    def to_env(self) -> dict[str, str]:
        """The settings as ``TRANSLATOR_*`` variables, which ``from_env`` reads back to equal settings.

        For a child process (``serve`` starts gunicorn): it gets the command line's settings too.
        """
        return {
            env_name(spec.name): format_value(value)
            for spec in fields(self)
            if (value := getattr(self, spec.name)) is not None
        }


def env_name(name: str) -> str:
    return f"TRANSLATOR_{name.upper()}"


def format_value(value: Any) -> str:
    """A setting's value as its variable would spell it (booleans as on/off)."""
    return ("on" if value else "off") if isinstance(value, bool) else str(value)


@cache
def _value_type(name: str) -> type:
    """A setting's value type from its annotation (``Path | None`` is a Path that may be left unset)."""
    hint = get_type_hints(Settings)[name]
    if isinstance(hint, types.UnionType):
        hint = next(arg for arg in hint.__args__ if arg is not type(None))
    return hint


def _parse_bool(raw: str) -> bool:
    if raw.lower() in TRUE_WORDS:
        return True
    if raw.lower() in FALSE_WORDS:
        return False
    raise ValueError("must be on or off")


def _parse_int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError("must be an integer") from None


def _parse_float(raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ValueError("must be a number") from None


PARSERS: dict[type, Callable[[str], Any]] = {
    bool: _parse_bool,
    int: _parse_int,
    float: _parse_float,
    Path: lambda raw: Path(raw).expanduser(),
    str: str,
}


def parse_setting(name: str, raw: str) -> Any:
    """A setting's value from text (environment variable or command-line option), by the field's type."""
    if name not in {spec.name for spec in fields(Settings)}:
        raise ConfigError(f"Unknown setting {name!r}.")
    try:
        return PARSERS[_value_type(name)](raw.strip())
    except ValueError as error:
        raise ConfigError(f"{env_name(name)} {error}, got {raw!r}") from None


def _default_text(spec: Field[Any]) -> str:
    if spec.metadata["default_text"] is not None:
        return str(spec.metadata["default_text"])
    return format_value(spec.default)


def settings_table() -> list[dict[str, str]]:
    """Rows (variable, default, help) for documentation and ``python -m translator settings``."""
    return [
        {"variable": env_name(spec.name), "default": _default_text(spec), "help": spec.metadata["help"]}
        for spec in fields(Settings)
    ]


def settings_markdown() -> str:
    lines = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
    lines += [f"| `{r['variable']}` | `{r['default']}` | {r['help']} |" for r in settings_table()]
    return "\n".join(lines) + "\n"
