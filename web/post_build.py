#!/usr/bin/env python3
"""Trunk post-build hook: makes the built site work offline and locks it down.

- Writes `sw.js`: a service worker that precaches every file of this build (the list and
  a version made from the files' contents), so after one visit the site loads with no network.
- Adds a Content-Security-Policy meta tag to `index.html` allowing scripts only from the
  site itself plus the hash of Trunk's inline loader (computed here, per build).
"""
import base64
import hashlib
import json
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR") or sys.exit("TRUNK_STAGING_DIR is not set: run through trunk")
here = os.path.dirname(os.path.abspath(__file__))

index_path = os.path.join(staging, "index.html")
with open(index_path, encoding="utf-8") as f:
    index = f.read()

inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", index, flags=re.S)
hashes = " ".join(
    "'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in inline_scripts
)
policy = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' " + hashes,
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
])
meta = '<meta http-equiv="Content-Security-Policy" content="%s" />' % policy
index = index.replace('<meta charset="utf-8" />', '<meta charset="utf-8" />\n    ' + meta, 1)
with open(index_path, "w", encoding="utf-8") as f:
    f.write(index)

files = []
digest = hashlib.sha256()
for root, _, names in os.walk(staging):
    for name in sorted(names):
        path = os.path.join(root, name)
        relative = os.path.relpath(path, staging).replace(os.sep, "/")
        if relative == "sw.js":
            continue
        files.append("/" + relative)
        with open(path, "rb") as f:
            digest.update(relative.encode() + b"\0" + f.read())
files.sort()
with open(os.path.join(here, "sw.template.js"), encoding="utf-8") as f:
    worker = f.read()
worker = worker.replace("__VERSION__", digest.hexdigest()[:16]).replace("__FILES__", json.dumps(["/"] + files))
with open(os.path.join(staging, "sw.js"), "w", encoding="utf-8") as f:
    f.write(worker)
