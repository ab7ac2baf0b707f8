#!/usr/bin/env python3
"""Trunk post-build hook: makes the built site work offline and locks it down.

- Writes `sw.js`: a service worker that precaches every file of this build (the list and
  a version made from the files' contents), so after one visit the site loads with no network.
- Adds a Content-Security-Policy meta tag to `index.html` allowing scripts only from the
  site itself plus the hash of Trunk's inline loader (computed here, per build).
- In a release build, minifies the site's JavaScript with terser (which `cargo xtask`
  installs; Trunk does not minify wasm-bindgen's glue) and updates the glue's integrity
  hash in `index.html` to match. Without terser on PATH it says so and leaves them as built.
"""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

staging = os.environ.get("TRUNK_STAGING_DIR") or sys.exit("TRUNK_STAGING_DIR is not set: run through trunk")
here = os.path.dirname(os.path.abspath(__file__))

index_path = os.path.join(staging, "index.html")
with open(index_path, encoding="utf-8") as f:
    index = f.read()

def minify_scripts(index):
    """Minifies every script of the site in place; returns `index` with new integrity hashes."""
    terser = shutil.which("terser")
    if terser is None:
        print("post_build: terser is not on PATH; the JavaScript is left as built", file=sys.stderr)
        return index
    for name in sorted(os.listdir(staging)):
        if not name.endswith(".js"):
            continue
        path = os.path.join(staging, name)
        # wasm-bindgen's glue is an ES module, whose top-level names may be shortened too.
        module = ("/" + name) in re.findall(r'import init, \* as bindings from \'([^\']+)\'', index)
        subprocess.run(
            [terser, path, "--compress", "--mangle", "--output", path] + (["--module"] if module else []),
            check=True,
        )
        with open(path, "rb") as f:
            integrity = "sha384-" + base64.b64encode(hashlib.sha384(f.read()).digest()).decode()
        index = re.sub(
            r'(href="/%s"[^>]*integrity=")[^"]*(")' % re.escape(name), lambda m: m.group(1) + integrity + m.group(2), index
        )
    return index


if os.environ.get("TRUNK_PROFILE") == "release":
    index = minify_scripts(index)

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
