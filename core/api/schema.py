"""The drf-spectacular post-processing hook that documents the error envelope on every operation.

In ``core`` next to the envelope it documents (``core.api.errors``); named in settings
(``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``) and imports no project app.
"""

from typing import Any

__all__ = ["ERROR_DESCRIPTIONS", "ERROR_EXAMPLES", "postprocess_error_responses"]

ERROR_EXAMPLES = {
    "400": {
        "status": 400,
        "code": "invalid",
        "detail": "The request has errors; see “errors” per field.",
        "errors": {"hours_per_week": ["Ensure this value is less than or equal to 60."]},
    },
    "401": {"status": 401, "code": "authentication_failed", "detail": "Invalid, expired or revoked token."},
    "403": {"status": 403, "code": "permission_denied", "detail": "You do not have permission to perform this action."},
    "404": {"status": 404, "code": "not_found", "detail": "Not found."},
    "409": {
        "status": 409,
        "code": "invalid_transition",
        "detail": "An application cannot go from “Received” to “Hired”.",
        "errors": {"non_field_errors": ["An application cannot go from “Received” to “Hired”."]},
    },
    "500": {
        "status": 500,
        "code": "server_error",
        "detail": "Something went wrong on our side. Please try again later.",
    },
    "429": {"status": 429, "code": "throttled", "detail": "Request was throttled. Expected available in 12 seconds."},
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input: field errors in `errors`.",
    "401": "No valid credentials: the token is unknown, expired or revoked.",
    "403": "Authenticated, but the role or the token's scopes do not allow this.",
    "404": "Not found, or not yours (another's object is never revealed).",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "409": "Conflict with the object's current state (code: invalid_transition, already_applied, …; docs/api.md).",
    "413": "The request body or upload is too large.",
    "415": "Unsupported media type.",
    "429": "Too many requests: see Retry-After.",
    "500": "An unexpected server error (the details are in the server's log).",
}


def postprocess_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular hook: document the error body on every operation (schema-conformant errors)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "description": "The body of every error response.",
        "properties": {
            "status": {"type": "integer"},
            "code": {"type": "string"},
            "detail": {"type": "string"},
            "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
        "required": ["status", "code", "detail"],
    }
    for _path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "405", "406", "429", "500"]
            if method in ("post", "put", "patch"):
                codes.extend(["409", "413", "415"])
            if method == "get" and "304" not in responses:
                responses["304"] = {"description": "Not modified: the If-None-Match header matched the ETag."}
            for code in codes:
                if code in responses:
                    continue
                content: dict[str, Any] = {"schema": {"$ref": "#/components/schemas/Error"}}
                if code in ERROR_EXAMPLES:
                    content["examples"] = {"error": {"value": ERROR_EXAMPLES[code]}}
                responses[code] = {"description": ERROR_DESCRIPTIONS[code], "content": {"application/json": content}}
    return result
