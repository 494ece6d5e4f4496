"""The OpenAPI 3.1 description of the read-only API (served at /api/v1/openapi.json)."""

_MONEY = {"type": "integer", "minimum": 0, "description": "whole euros"}
_NOT_FOUND = {"description": "No such cycle (or, for results, not published yet)",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(schema_ref: str) -> dict:
    return {"description": "OK", "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}


_CYCLE_ID = [{"name": "cycle_id", "in": "path", "required": True,
              "schema": {"type": "integer"}}]

OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "budget — participatory budgeting API", "version": "1.0.0",
             "description": "Read-only public data: budget cycles, their proposals, and their "
                            "results once published. No personal data."},
    "paths": {
        "/api/v1/cycles": {"get": {"summary": "Every budget cycle",
                                   "responses": {"200": _ok("CycleList")}}},
        "/api/v1/cycles/{cycle_id}": {"get": {
            "summary": "One budget cycle", "parameters": _CYCLE_ID,
            "responses": {"200": _ok("Cycle"), "404": _NOT_FOUND}}},
        "/api/v1/cycles/{cycle_id}/proposals": {"get": {
            "summary": "The proposals the public can see in the cycle's current phase",
            "parameters": _CYCLE_ID,
            "responses": {"200": _ok("ProposalList"), "404": _NOT_FOUND}}},
        "/api/v1/cycles/{cycle_id}/results": {"get": {
            "summary": "Published results (404 before publication)", "parameters": _CYCLE_ID,
            "responses": {"200": _ok("Results"), "404": _NOT_FOUND}}},
    },
    "components": {"schemas": {
        "Error": {"type": "object", "required": ["error", "message"],
                  "properties": {"error": {"type": "string",
                                           "description": "a stable code: not found, ..."},
                                 "message": {"type": "string",
                                             "description": "for people, in French (English "
                                                            "with Accept-Language: en)"}}},
        "Envelope": {"type": "object", "required": ["id", "amount_eur", "commune"],
                     "properties": {
                         "id": {"type": "integer"}, "amount_eur": _MONEY,
                         "commune": {"oneOf": [{"type": "null"}, {
                             "type": "object", "required": ["name", "insee_code"],
                             "properties": {"name": {"type": "string"},
                                            "insee_code": {"type": "string",
                                                           "pattern": "^.{5}$"}}}]}}},
        "Cycle": {"type": "object", "required": [
            "id", "title", "phase", "territory", "schedule", "vote_format", "tally_rule",
            "envelopes", "results_published"], "properties": {
            "id": {"type": "integer"}, "title": {"type": "string"},
            "description": {"type": "string"},
            "phase": {"enum": ["upcoming", "proposals", "review", "vote", "counting",
                               "results"]},
            "territory": {"type": "object", "properties": {
                "name": {"type": "string"}, "siren": {"type": "string"}}},
            "schedule": {"type": "object", "additionalProperties": {
                "type": "string", "format": "date-time"}},
            "vote_format": {"type": "object", "properties": {"name": {"type": "string"}}},
            "tally_rule": {"type": "string"},
            "envelopes": {"type": "array", "items": {"$ref": "#/components/schemas/Envelope"}},
            "results_published": {"type": "boolean"}}},
        "CycleList": {"type": "object", "required": ["cycles"], "properties": {
            "cycles": {"type": "array", "items": {"$ref": "#/components/schemas/Cycle"}}}},
        "Proposal": {"type": "object", "required": ["id", "title", "status", "envelope_id"],
                     "properties": {
                         "id": {"type": "integer"}, "title": {"type": "string"},
                         "description": {"type": "string"},
                         "status": {"enum": ["submitted", "in_review", "on_ballot",
                                             "rejected", "merged", "withdrawn"]},
                         "envelope_id": {"type": "integer"},
                         "estimated_cost_eur": _MONEY,
                         "final_cost_eur": {"oneOf": [{"type": "null"}, _MONEY]},
                         "rejection_reason": {"type": ["string", "null"]},
                         "comment_count": {"type": "integer", "minimum": 0,
                                           "description": "Comments shown on its page "
                                                          "(hidden ones are not counted)"},
                         "location": {"oneOf": [{"type": "null"}, {
                             "type": "object", "required": ["latitude", "longitude"],
                             "description": "WGS 84 decimal degrees",
                             "properties": {
                                 "latitude": {"type": "number", "minimum": -90,
                                              "maximum": 90},
                                 "longitude": {"type": "number", "minimum": -180,
                                               "maximum": 180}}}]},
                         "photos": {"type": "array",
                                    "items": {"$ref": "#/components/schemas/Photo"}}}},
        "Photo": {"type": "object", "required": ["url", "thumbnail_url", "alt_text", "licence"],
                  "properties": {
                      "url": {"type": "string", "format": "uri",
                              "description": "JPEG, at most 1600 px a side, no metadata"},
                      "thumbnail_url": {"type": "string", "format": "uri"},
                      "alt_text": {"type": "string",
                                   "description": "what the photo shows, by its author"},
                      "width": {"type": "integer"}, "height": {"type": "integer"},
                      "licence": {"type": "object", "required": ["id", "url"], "properties": {
                          "name": {"type": "string"}, "id": {"type": "string"},
                          "url": {"type": "string", "format": "uri"}}}}},
        "ProposalList": {"type": "object", "required": ["cycle_id", "proposals"],
                         "properties": {"cycle_id": {"type": "integer"}, "proposals": {
                             "type": "array",
                             "items": {"$ref": "#/components/schemas/Proposal"}}}},
        "Results": {"type": "object", "required": [
            "cycle_id", "rule", "fingerprint", "ballots", "envelopes"], "properties": {
            "cycle_id": {"type": "integer"}, "rule": {"type": "string"},
            "tie_break": {"type": "string"},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "published_at": {"type": "string", "format": "date-time"},
            "ballots": {"type": "integer"}, "amount_eur": _MONEY, "spent_eur": _MONEY,
            "envelopes": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "integer"}, "commune_id": {"type": ["integer", "null"]},
                "amount_eur": _MONEY, "spent_eur": _MONEY, "ballots": {"type": "integer"},
                "fingerprint": {"type": "string"},
                "projects": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "title": {"type": "string"},
                    "cost_eur": _MONEY, "votes": {"type": "integer"},
                    "funded": {"type": "boolean"}}}}}}}}},
    }},
}
