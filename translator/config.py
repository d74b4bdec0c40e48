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
    beam_size: int = _setting(2, "Beam size for decoding; 1 is greedy and fastest, 4 is Argos' default.")
    compute_type: str = _setting("int8", "CTranslate2 compute type on CPU (int8, int8_float32, float32).")
    inter_threads: int = _setting(1, "CTranslate2 batches translated in parallel (one per worker thread).")
    intra_threads: int = _setting(0, "CTranslate2 threads per batch; 0 uses every core.")
    max_batch_size: int = _setting(32, "Sentences per CTranslate2 batch (sorted by length).")
    max_decoding_length: int = _setting(256, "Upper bound on tokens generated for one sentence.")
    max_chars: int = _setting(500_000, "Largest article, in characters, accepted by translate_document.")

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
            if raw is not None and raw != "":
                values[spec.name] = _parse(spec.name, spec.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.validate()
        return settings

    def with_overrides(self, **overrides: Any) -> Settings:
        updated = replace(self, **{k: v for k, v in overrides.items() if v is not None})
        updated.validate()
        return updated

    def validate(self) -> None:
        for name in ("beam_size", "max_batch_size", "max_decoding_length", "max_chars"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{env_name(name)} must be at least 1, got {getattr(self, name)}")
        for name in ("inter_threads", "intra_threads"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{env_name(name)} must not be negative")


def env_name(name: str) -> str:
    return f"TRANSLATOR_{name.upper()}"


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
