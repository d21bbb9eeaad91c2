"""The JSON Schema of the project file, for editors (yaml-language-server) and `kitgen schema`."""
from __future__ import annotations

import json

from .models import Project


def project_schema() -> dict:
    """JSON Schema (draft 2020-12) of the project file."""
    schema = Project.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kitgen project file"
    return schema


def schema_text() -> str:
    """The schema as indented JSON text, ending with a newline."""
    return json.dumps(project_schema(), indent=2, ensure_ascii=False) + "\n"
