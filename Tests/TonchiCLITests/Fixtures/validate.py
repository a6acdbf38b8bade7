#!/usr/bin/env python3
"""validate.py SCHEMA [DEFINITION|-] FILE [--ndjson]: exit 0 when valid, 1 with the errors, 3 when jsonschema is missing."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python module jsonschema is not installed", file=sys.stderr)
    sys.exit(3)

schema_path, definition, data_path = sys.argv[1:4]
ndjson = "--ndjson" in sys.argv[4:]
schema = json.load(open(schema_path, encoding="utf-8"))
if definition != "-":
    schema = dict(schema)
    schema.pop("oneOf", None)
    schema["$ref"] = "#/definitions/" + definition
cls = jsonschema.validators.validator_for(schema)
validator = cls(schema, format_checker=jsonschema.FormatChecker())
with open(data_path, encoding="utf-8") as f:
    documents = [json.loads(line) for line in f if line.strip()] if ndjson else [json.load(f)]
errors = 0
for n, doc in enumerate(documents, 1):
    for error in validator.iter_errors(doc):
        errors += 1
        if errors <= 20:
            print(f"document {n}: {'/'.join(map(str, error.absolute_path))}: {error.message[:300]}")
print(f"{len(documents)} document(s), {errors} error(s)")
sys.exit(1 if errors else 0)
