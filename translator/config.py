"""Settings: one table, read from ``TRANSLATOR_*`` environment variables.

Every setting has a default and a line of help; the README's configuration
section is checked against this table by a test, so the two cannot drift.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from translator.errors import ConfigError

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}
CACHE_URL_SCHEMES = ("redis://", "rediss://", "unix://")


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "article-translator"


def _setting(default: Any, help: str, **extra: Any) -> Any:
    metadata = {"help": help, **extra}
    if callable(default):
        return field(default_factory=default, metadata=metadata)
    return field(default=default, metadata=metadata)


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
    )
    beam_size: int = _setting(2, "Beam size for decoding; 1 is greedy and fastest, 4 is Argos' default.")
    compute_type: str = _setting("int8", "CTranslate2 compute type on CPU (int8, int8_float32, float32).")
    inter_threads: int = _setting(
        0, "CTranslate2 replicas decoding sub-batches in parallel (shared weights); 0: one per core, cores/2 from 4."
    )
    intra_threads: int = _setting(0, "CTranslate2 threads per replica; 0 divides the cores between the replicas.")
    max_batch_size: int = _setting(
        32, "Most sentences decoded at once over all replicas, when TRANSLATOR_MAX_BATCH_TOKENS is 0."
    )
    max_batch_tokens: int = _setting(
        1024,
        "Most source tokens decoded at once over all replicas (bounds working memory by length, not by count); "
        "0: bound by TRANSLATOR_MAX_BATCH_SIZE sentences instead.",
    )
    max_decoding_length: int = _setting(256, "Upper bound on tokens generated for one sentence.")
    max_chars: int = _setting(500_000, "Largest article, in characters, accepted by translate_document.")
    upload_max_bytes: int = _setting(2 * 1024 * 1024, "Largest upload or request body, in bytes (web and API).")
    threads: int = _setting(8, "Request threads in the single gunicorn worker (they share one loaded model).")
    job_workers: int = _setting(1, "Background translation jobs run at once (each uses every core).")
    api_max_chars: int = _setting(20_000, "Most characters one /translate request may carry (all items together).")
    api_max_batch: int = _setting(50, "Most items in one /translate request when q is a list.")
    api_keys_required: bool = _setting(
        False, "Refuse API requests without a valid key (manage keys: python -m translator keys)."
    )
    rate_limit: str = _setting(
        "120 per minute", "Requests per client (or per key) on the API; empty disables limiting."
    )
    rate_limit_storage: str = _setting("memory://", "flask-limiter storage URI (memory:// or redis://...).")
    web_rate_limit: str = _setting(
        "600 per minute",
        "Page views, reader polls and exports per browser (signed-in key or address); empty disables limiting.",
    )
    cors_origins: str = _setting(
        "", "Comma-separated origins (https://app.example) whose pages may call the document API from a browser."
    )
    proxy_hops: int = _setting(
        0, "Reverse proxies in front whose X-Forwarded-For/-Proto/-Host are trusted (rate limits per real client)."
    )
    log_format: str = _setting("text", "Log format: text (readable) or json (one object per line).")
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
            if raw is None or (raw == "" and spec.type != "str"):
                continue  # an empty string setting is meaningful (e.g. no rate limit); an empty number is not
            values[spec.name] = _parse(spec.name, spec.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.validate()
        return settings

    def thread_layout(self, cores: int | None = None) -> tuple[int, int]:
        """(replicas, threads per replica) for CTranslate2.

        On a CPU, replicas on one core each decoding their own sub-batch beat one
        replica spreading every operation over all cores (no synchronisation per
        operation): on 2 cores, 8 merged requests ran about 20 % faster and a
        single article no slower (bench/RESULTS.md). From 4 cores, two threads
        per replica keep a single article's sub-batches from getting too narrow.
        """
        cores = cores or os.cpu_count() or 1
        replicas = self.inter_threads or (cores if cores < 4 else cores // 2)
        return replicas, self.intra_threads or max(cores // replicas, 1)

    def with_overrides(self, **overrides: Any) -> Settings:
        updated = replace(self, **{k: v for k, v in overrides.items() if v is not None})
        updated.validate()
        return updated

    def validate(self) -> None:
        for name in ("beam_size", "max_batch_size", "max_decoding_length", "max_chars", "upload_max_bytes",
                     "threads", "job_workers", "api_max_chars", "api_max_batch"):  # fmt: skip
            if getattr(self, name) < 1:
                raise ConfigError(f"{env_name(name)} must be at least 1, got {getattr(self, name)}")
        for name in ("inter_threads", "intra_threads", "proxy_hops", "max_batch_tokens"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{env_name(name)} must not be negative")
        if self.cache_url and not self.cache_url.startswith(CACHE_URL_SCHEMES):
            raise ConfigError(
                f"TRANSLATOR_CACHE_URL must start with one of {', '.join(CACHE_URL_SCHEMES)} (or be empty for SQLite)"
            )
        if self.log_format not in ("text", "json"):
            raise ConfigError(f"TRANSLATOR_LOG_FORMAT must be text or json, got {self.log_format!r}")


def env_name(name: str) -> str:
    return f"TRANSLATOR_{name.upper()}"


def parse_setting(name: str, raw: str) -> Any:
    """A setting's value from text (environment variable or command-line option)."""
    spec = next((f for f in fields(Settings) if f.name == name), None)
    if spec is None:
        raise ConfigError(f"Unknown setting {name!r}.")
    return _parse(name, spec.type, raw)


def _parse(name: str, type_name: Any, raw: str) -> Any:
    kind = str(type_name)
    value = raw.strip()
    if "bool" in kind:
        if value.lower() in TRUE_WORDS:
            return True
        if value.lower() in FALSE_WORDS:
            return False
        raise ConfigError(f"{env_name(name)} must be on or off, got {raw!r}")
    if "int" in kind:
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{env_name(name)} must be an integer, got {raw!r}") from None
    if "Path" in kind:
        return Path(value).expanduser()
    return value


def settings_table() -> list[dict[str, str]]:
    """Rows (variable, default, help) for documentation and ``python -m translator settings``."""
    rows = []
    for spec in fields(Settings):
        default = spec.metadata.get("default_text")
        if default is None:
            default = spec.default
            if isinstance(default, bool):
                default = "on" if default else "off"
        rows.append({"variable": env_name(spec.name), "default": str(default), "help": spec.metadata["help"]})
    return rows


def settings_markdown() -> str:
    lines = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
    lines += [f"| `{r['variable']}` | `{r['default']}` | {r['help']} |" for r in settings_table()]
    return "\n".join(lines) + "\n"
