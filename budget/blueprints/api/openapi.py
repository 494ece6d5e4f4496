"""The OpenAPI 3.1 description of the read-only API (served at /api/v1/openapi.json)."""

_MONEY = {"type": "integer", "minimum": 0, "description": "whole euros"}
_NOT_FOUND = {"description": "No such cycle (or, for results, not published yet)",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(schema_ref: str) -> dict:
    return {"description": "OK", "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}


_CYCLE_ID = [{"name": "cycle_id", "in": "path", "required": True,
              "schema": {"type": "integer"}}]


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


_PROPOSAL_FILTERS = [
    _query("q", {"type": "string", "maxLength": 200},
           "Words searched in titles and descriptions, in French: accents and case do not "
           "matter, each word matches the start of a word (velo finds Vélos)."),
    _query("theme", {"type": "integer"}, "A theme id of the cycle (see a proposal's themes)."),
    _query("commune", {"type": "integer"},
           "A commune id: its envelope's proposals and the intercommunal ones."),
    _query("status", {"enum": ["submitted", "in_review", "on_ballot", "rejected", "merged",
                               "unsupported", "won"]},
           "One of the statuses the public may read in the cycle's current phase (from "
           "the vote on, the ballot is listed by default, the proposals not kept on "
           "request); once its results are published, won: the projects funded by the "
           "published tally run."),
    _query("sort", {"enum": ["random", "newest", "most_supported", "cost_asc", "cost_desc"],
                    "default": "random"},
           "The order: random (a fixed shuffle, the same for every request), newest first, "
           "most supported first, cost (the final cost once set) ascending or descending."),
]
_BAD_REQUEST = {"description": "A query parameter cannot be read (its name is in the message)",
                "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Error"}}}}

_CATALOGUE_FILTERS = [
    _query("q", {"type": "string", "maxLength": 200},
           "Words searched in titles and descriptions, in French, as for proposals."),
    _query("theme", {"type": "string"}, "A theme's name, as an entry's `themes` give it."),
    _query("status", {"enum": ["selected", "not_selected", "in_progress", "delivered",
                               "abandoned"]},
           "Funded or not by its vote; being delivered, delivered or abandoned."),
    _query("page", {"type": "integer", "minimum": 1, "default": 1}, "100 entries a page."),
]
_CATALOGUE_ENTRY = {"type": "object", "required": ["id", "title", "cost", "currency", "source"],
                    "properties": {
    "id": {"type": "integer"}, "title": {"type": "string"}, "description": {"type": "string"},
    "cost": {"type": "integer", "minimum": 0, "description": "whole units of `currency`"},
    "currency": {"type": "string"}, "themes": {"type": "array", "items": {"type": "string"}},
    "territory": {"type": "object", "properties": {
        "name": {"type": "string"}, "code": {"type": ["string", "null"],
                                             "description": "INSEE code or SIREN"},
        "population_band": {"enum": [None, "under_2000", "2000_10000", "10000_50000",
                                     "over_50000"]}}},
    "year": {"type": ["integer", "null"]}, "selected": {"type": ["boolean", "null"]},
    "stage": {"enum": [None, "studies", "procurement", "works", "delivered", "abandoned"]},
    "delivered_on": {"type": ["string", "null"], "format": "date"},
    "source": {"type": ["string", "null"],
               "description": "an installation's address or a Pabulib file; null: this one"},
    "external_id": {"type": "string"}, "licence": {"type": ["string", "null"]},
    "url": {"type": "string"}}}

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
            "parameters": _CYCLE_ID + _PROPOSAL_FILTERS,
            "responses": {"200": _ok("ProposalList"), "400": _BAD_REQUEST,
                          "404": _NOT_FOUND}}},
        "/api/v1/cycles/{cycle_id}/results": {"get": {
            "summary": "Published results (404 before publication)", "parameters": _CYCLE_ID,
            "responses": {"200": _ok("Results"), "404": _NOT_FOUND}}},
        "/api/v1/cycles/{cycle_id}/tracking": {"get": {
            "summary": "The delivery of each winning project (404 before publication)",
            "parameters": _CYCLE_ID,
            "responses": {"200": _ok("TrackingList"), "404": _NOT_FOUND}}},
        "/api/v1/catalogue": {"get": {
            "summary": "The catalogue of funded projects: this platform's winners and other "
                       "territories' projects (reference data, with their source and licence)",
            "parameters": _CATALOGUE_FILTERS,
            "responses": {"200": _ok("CatalogueList"), "400": _BAD_REQUEST}}},
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
            "phase": {"enum": ["upcoming", "proposals", "supports", "review", "vote",
                               "counting", "results"]},
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
                                             "rejected", "merged", "withdrawn",
                                             "unsupported"]},
                         "envelope_id": {"type": "integer"},
                         "estimated_cost_eur": _MONEY,
                         "final_cost_eur": {"oneOf": [{"type": "null"}, _MONEY]},
                         "rejection_reason": {"type": ["string", "null"]},
                         "comment_count": {"type": "integer", "minimum": 0,
                                           "description": "Comments shown on its page "
                                                          "(hidden ones are not counted)"},
                         "support_count": {"type": "integer", "minimum": 0,
                                           "description": "Residents who support it (never "
                                                          "who they are)"},
                         "location": {"oneOf": [{"type": "null"}, {
                             "type": "object", "required": ["latitude", "longitude"],
                             "description": "WGS 84 decimal degrees",
                             "properties": {
                                 "latitude": {"type": "number", "minimum": -90,
                                              "maximum": 90},
                                 "longitude": {"type": "number", "minimum": -180,
                                               "maximum": 180}}}]},
                         "photos": {"type": "array",
                                    "items": {"$ref": "#/components/schemas/Photo"}},
                         "themes": {"type": "array",
                                    "items": {"$ref": "#/components/schemas/Theme"}}}},
        "Theme": {"type": "object", "required": ["id", "name", "icon"], "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "description": {"type": "string"},
            "icon": {"type": "string", "description": "the name of one of the shipped icons, "
                                                      "/static/themes/<icon>.svg"}}},
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
        "Tracking": {"type": "object", "required": [
            "proposal_id", "title", "stage", "progress", "voted_eur", "committed_eur",
            "spent_eur", "planned_delivery", "delivered_on", "milestones"], "properties": {
            "proposal_id": {"type": "integer"}, "title": {"type": "string"},
            "envelope_id": {"type": "integer"},
            "commune": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
                "name": {"type": "string"}, "insee_code": {"type": "string"}}}],
                "description": "the envelope's commune; null: the intercommunal envelope"},
            "delivered_by": {"type": "object", "required": ["kind", "name"], "properties": {
                "kind": {"enum": ["commune", "intercommunality"]}, "name": {"type": "string"},
                "insee_code": {"type": "string"}, "siren": {"type": "string"}}},
            "service": {"type": "string"},
            "stage": {"enum": ["studies", "procurement", "works", "delivered", "abandoned",
                               "merged"],
                      "description": "études, marchés publics, travaux, livré, abandonné, "
                                     "fusionné (see merged_into_proposal_id)"},
            "merged_into_proposal_id": {
                "type": ["integer", "null"],
                "description": "when merged: the winning project it went into; else null"},
            "progress": {"type": "integer", "minimum": 0, "maximum": 100,
                         "description": "percent"},
            "abandon_reason": {"type": ["string", "null"]},
            "voted_eur": _MONEY, "committed_eur": _MONEY, "spent_eur": _MONEY,
            "planned_delivery": {"type": ["string", "null"], "format": "date"},
            "planned_delivery_history": {
                "type": "array", "items": {"type": "string", "format": "date"},
                "description": "every planned delivery date announced, first to current"},
            "delivered_on": {"type": ["string", "null"], "format": "date"},
            "milestones": {"type": "array", "items": {"type": "object", "properties": {
                "date": {"type": "string", "format": "date"}, "text": {"type": "string"},
                "photos": {"type": "array",
                           "items": {"$ref": "#/components/schemas/Photo"}}}}}}},
        "CatalogueList": {"type": "object", "required": ["total", "page", "entries"],
                          "properties": {"total": {"type": "integer"},
                                         "page": {"type": "integer"},
                                         "pages": {"type": "integer"},
                                         "entries": {"type": "array",
                                                     "items": _CATALOGUE_ENTRY}}},
        "TrackingList": {"type": "object", "required": ["cycle_id", "projects"], "properties": {
            "cycle_id": {"type": "integer"},
            "projects": {"type": "array", "items": {"$ref": "#/components/schemas/Tracking"}}}},
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
