#!/usr/bin/env bash
# Re-vendors the web pages' JavaScript from the npm registry (no CDN at run time, no build step).
# The files are committed; run this only to change a version, then commit the result and VERSIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=dispatch/web/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent htmx.org@2.0.11 htmx-ext-sse@2.2.4 >/dev/null)
tar xzf "$tmp"/htmx.org-2.0.11.tgz -C "$tmp" package/dist/htmx.min.js package/LICENSE
cp "$tmp"/package/dist/htmx.min.js "$dest"/htmx.min.js
cp "$tmp"/package/LICENSE "$dest"/htmx.LICENSE
rm -rf "$tmp"/package
tar xzf "$tmp"/htmx-ext-sse-2.2.4.tgz -C "$tmp" package/dist/sse.min.js package/LICENSE
cp "$tmp"/package/dist/sse.min.js "$dest"/htmx-ext-sse.min.js
cp "$tmp"/package/LICENSE "$dest"/htmx-ext-sse.LICENSE
(cd "$dest" && sha256sum htmx.min.js htmx-ext-sse.min.js > SHA256SUMS)
echo "htmx.org 2.0.11, htmx-ext-sse 2.2.4 -> $dest"
