"""Errors the core raises on purpose; every layer turns them into a clear message."""


class TranslatorError(Exception):
    """Base class: the message is meant for the user, not a stack trace."""


class InputError(TranslatorError):
    """The article itself is unusable (empty, too large, not text)."""


class ConfigError(TranslatorError):
    """A setting has a value the core cannot use."""


class ModelError(TranslatorError):
    """No usable model for the request: not installed, corrupt, or the pair is unsupported."""


class UnsupportedPairError(ModelError):
    """No installed model translates this language pair: the request's problem, not a broken installation."""


class StoreUnavailable(TranslatorError):
    """A storage file is damaged, or was deleted or replaced under the process: its features are off until fixed."""


class BrokerUnavailable(TranslatorError):
    """The job broker (TRANSLATOR_BROKER_URL) does not answer: jobs wait until it is back."""


class ConflictError(TranslatorError):
    """The request is valid but not now: the document is still being translated, say (HTTP 409)."""
