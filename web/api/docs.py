"""/openapi.json and /docs: the spec spectree builds from the models, and an offline page listing it.

spectree's Swagger/Redoc pages load their scripts from a CDN, which an offline
server cannot; /docs is rendered here from the same document, without scripts.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template_string
from flask.typing import ResponseReturnValue

from web.api.spec import create_spec, openapi_document
from web.security import secure
from web.services import services

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ info.title }}</title>
<link rel="stylesheet" href="{{ url_for('static', filename='css/docs.css') }}"></head><body>
<h1>{{ info.title }} <small>{{ info.version }}</small></h1>
<pre class="intro">{{ info.description }}</pre>
<p>Machine-readable: <a href="{{ spec_url }}">{{ spec_url }}</a> (OpenAPI {{ openapi }}).</p>
{% for tag, operations in groups.items() %}<h2>{{ tag }}</h2>
{% for op in operations %}<div class="op" id="{{ op.id }}">
<p><span class="m">{{ op.method }}</span> <code>{{ op.path }}</code> — {{ op.summary }}</p>
{% if op.description %}<p class="description">{{ op.description }}</p>{% endif %}
{% if op.parameters %}<p>Parameters: {% for p in op.parameters -%}
<code>{{ p.name }}</code> ({{ p["in"] }}){{ ", " if not loop.last }}{% endfor %}</p>{% endif %}
{% if op.body %}<p>Body: {{ op.body|join(", ") }}</p>{% endif %}
<p>Responses: {% for code, text in op.responses -%}
<code>{{ code }}</code> {{ text }}{{ "; " if not loop.last }}{% endfor %}</p>
</div>{% endfor %}{% endfor %}
<h2>Schemas</h2>
{% for name, schema in schemas %}<details id="schema-{{ name }}">
<summary><code>{{ name }}</code></summary><pre>{{ schema }}</pre></details>
{% endfor %}</body></html>
"""


def blueprint() -> Blueprint:
    bp = Blueprint("api_docs", __name__)
    bp.add_url_rule("/openapi.json", view_func=openapi)
    bp.add_url_rule("/docs", view_func=docs)
    return bp


def openapi() -> ResponseReturnValue:
    """The OpenAPI 3 document of every API route, generated from the request and response models."""
    return jsonify(_document())


def docs() -> ResponseReturnValue:
    """A readable, script-free page built from the OpenAPI document."""
    document = _document()
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            groups.setdefault((operation.get("tags") or ["other"])[0], []).append(
                {
                    "id": operation.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "body": [
                        f"{media} ({_ref_name(item.get('schema', {}))})"
                        for media, item in operation.get("requestBody", {}).get("content", {}).items()
                    ],
                    "responses": [(code, r.get("description", "")) for code, r in operation["responses"].items()],
                }
            )
    schemas = [(name, json.dumps(s, indent=2)) for name, s in document["components"]["schemas"].items()]
    page = render_template_string(
        PAGE,
        info=document["info"],
        openapi=document["openapi"],
        spec_url="/openapi.json",
        groups=groups,
        schemas=schemas,
    )
    return secure(Response(page, mimetype="text/html"))  # the same headers as every other page


def _document() -> dict[str, Any]:
    return openapi_document(create_spec(current_app), services().settings.api_keys_required)


def _ref_name(schema: dict[str, Any]) -> str:
    return str(schema.get("$ref", "")).rsplit("/", 1)[-1] or "object"
