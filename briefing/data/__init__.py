"""Data: the checked corpus as files others can consume, published beside the site.

facts.json (every record, with a JSON Schema) and annotations.jsonld (a W3C Web Annotation
collection, one annotation per statement, pointing into the published archived texts).
Reads the linked corpus and the source texts (check), and the site's places (present);
the pipeline writes what it returns.
"""
