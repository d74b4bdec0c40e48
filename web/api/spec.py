"""The app's SpecTree: request validation and the OpenAPI document, both from the pydantic models.

One SpecTree per app (in ``app.extensions``), in strict mode: only routes
wrapped by it appear in /openapi.json. Two adjustments to spectree's Flask
plugin, both for LibreTranslate compatibility:

- a request that is not JSON is read from ``request.values`` (query string and
  form), as LibreTranslate reads it: some clients (deep-translator) send every
  field in the query string of a POST;
- a validation error becomes ``{"error": "..."}`` with status 400, the shape
  every LibreTranslate client understands, on every route.
"""

from __future__ import annotations

import copy
from typing import Any

from flask import Flask, Request, abort, jsonify, make_response
from spectree import SpecTree
from spectree.plugins.base import Context
from spectree.plugins.flask_plugin import FlaskPlugin
from spectree.utils import get_model_key, get_multidict_items

from web.api.models import ErrorResponse

EXTENSION = "api_spec"
SECURITY_SCHEMES = {
    "ApiKeyHeader": {"type": "apiKey", "name": "X-API-Key", "in": "header"},
    "ApiKeyQuery": {"type": "apiKey", "name": "api_key", "in": "query"},
}
KEYED_TAGS = frozenset({"translate", "documents"})  # operations that check API keys and rate limits
API_DESCRIPTION = """\
Offline article translation (Argos Translate models, nothing leaves the machine).

- LibreTranslate-compatible: `/translate`, `/detect`, `/languages`, `/frontend/settings`
  (JSON or form bodies, errors as `{"error": "..."}`).
- Native document API under `/api/v1/documents`: the aligned bilingual document; long articles run as jobs.
  A document file (.docx, .po, .srt...) sent as multipart/form-data comes back translated in its own format
  from `/api/v1/documents/{doc_id}/file`.
- API keys go in `api_key` (body or query) or the `X-API-Key` header.
"""


class LibreFlaskPlugin(FlaskPlugin):
    """spectree's Flask plugin, reading non-JSON bodies the way LibreTranslate does."""

    def request_validation(
        self, request: Request, query: Any, json: Any, form: Any, headers: Any, cookies: Any
    ) -> None:
        has_body = request.method not in ("GET", "DELETE", "HEAD")
        use_json = json is not None and has_body and (request.is_json or form is None)
        use_form = form is not None and has_body and not use_json
        body: Any = {}
        if use_json and request.is_json:
            body = request.get_json(silent=True)
            if not isinstance(body, dict):
                abort(error_response(400, "Invalid JSON format"))
        validate = self.model_adapter.validate_obj
        # Without the model: a field repeated is a list, a field sent once a string (q may be either).
        fields: dict[str, Any] = get_multidict_items(request.values) if use_form else {}
        if use_form and request.files:  # uploads only where the model has a field for them (a file, not its text)
            fields.update((name, upload) for name, upload in request.files.items() if name in form.model_fields)
        request.context = Context(  # type: ignore[attr-defined]
            validate(query, get_multidict_items(request.args, query)) if query else None,
            validate(json, body) if use_json else None,
            validate(form, fields) if use_form else None,
            None,
            None,
        )


def error_response(status: int, message: str) -> Any:
    """A JSON error response in LibreTranslate's shape."""
    return make_response(jsonify(error=message), status)


def validation_message(errors: list[dict[str, Any]]) -> str:
    """LibreTranslate's wording for a missing field; the field and pydantic's reason otherwise."""
    first = errors[0] if errors else {}
    location = [str(part) for part in first.get("loc", ())]
    name = location[0] if location else "body"
    if first.get("type") == "missing" or first.get("input") in ("", []):
        return f"Invalid request: missing {name} parameter"
    return f"Invalid request: {'.'.join(location) or name}: {first.get('msg', 'invalid value')}"


def before_validation(req: Any, resp: Any, error: Exception | None, instance: Any, adapter: Any) -> None:
    """Turn spectree's 422 list of errors into a 400 ``{"error": ...}``."""
    if error is not None:
        abort(error_response(400, validation_message(adapter.validation_errors(error))))


def schema_name(model: Any) -> str:
    """'TranslateRequest' rather than spectree's 'TranslateRequest.3a1b2c4' (all models live in one module)."""
    return get_model_key(model).split(".", 1)[0]


def nested_schema_name(parent: str, child: str) -> str:
    return child


def create_spec(app: Flask) -> SpecTree:
    """The app's SpecTree, created on first use (ops and api both decorate routes with it)."""
    existing: SpecTree | None = app.extensions.get(EXTENSION)
    if existing is not None:
        return existing
    spec = SpecTree(
        backend=LibreFlaskPlugin,
        mode="strict",
        title="Article translator API",
        description=API_DESCRIPTION,
        version="1.0.0",
        annotations=False,
        before=before_validation,
        validation_error_status=400,
        validation_error_model=ErrorResponse,
        naming_strategy=schema_name,
        nested_naming_strategy=nested_schema_name,
    )
    app.extensions[EXTENSION] = spec
    return spec


def _uploads(document: dict[str, Any], media: dict[str, Any]) -> bool:
    """Whether a form schema has a file field (a file cannot be sent URL-encoded)."""
    schema = media.get("schema", {})
    reference = schema.get("$ref", "")
    if reference.startswith("#/components/schemas/"):
        schema = document.get("components", {}).get("schemas", {}).get(reference.rsplit("/", 1)[1], {})
    fields = schema.get("properties", {}).values()
    return any(option.get("format") == "binary" for field in fields for option in field.get("anyOf", [field]))


def openapi_document(spec: SpecTree, keys_required: bool) -> dict[str, Any]:
    """spectree's document, with form bodies also offered URL-encoded and the key requirement stated."""
    document = copy.deepcopy(spec.spec)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            if "multipart/form-data" in content and not _uploads(document, content["multipart/form-data"]):
                content["application/x-www-form-urlencoded"] = copy.deepcopy(content["multipart/form-data"])
            if keys_required and KEYED_TAGS.intersection(operation.get("tags", ())):
                operation["security"] = [{"ApiKeyHeader": []}, {"ApiKeyQuery": []}]
    document.pop("security", None)
    document["components"]["securitySchemes"] = copy.deepcopy(SECURITY_SCHEMES)
    return document
