#!/usr/bin/env bash
# Rebuild the query page's SPARQL editor (CodeMirror 6, pinned in scripts/editor/package.json
# and package-lock.json) into src/dealgraph/web/static/editor.js, with the licences of every
# bundled package in static/editor-licenses.txt. Needs node and npm (npm registry); the built
# bundle is committed, so serving and the tests never need them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
static="$here/../src/dealgraph/web/static"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/editor/package.json" "$here/editor/editor.js" "$work/"
if [ -f "$here/editor/package-lock.json" ]; then
  cp "$here/editor/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
else
  (cd "$work" && npm install --no-audit --no-fund --loglevel=error)
  cp "$work/package-lock.json" "$here/editor/package-lock.json"
fi
(cd "$work" && npx esbuild editor.js --bundle --minify --format=iife --target=es2020 \
  --legal-comments=none --metafile=meta.json --outfile="$static/editor.js")
# The licence of each package that went into the bundle (all MIT), from the metafile.
node - "$work" > "$static/editor-licenses.txt" <<'JS'
const fs = require("fs"), path = require("path");
const work = process.argv[2];
const meta = JSON.parse(fs.readFileSync(path.join(work, "meta.json"), "utf8"));
const packages = new Set();
for (const input of Object.keys(meta.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) packages.add(m[1]);
}
console.log("The query page's editor (static/editor.js) bundles these npm packages, each under its own licence:\n");
for (const name of [...packages].sort()) {
  const dir = path.join(work, "node_modules", name);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const file = fs.readdirSync(dir).find(f => /^licen[sc]e/i.test(f));
  console.log("=".repeat(78));
  console.log(`${name} ${pkg.version} (${pkg.license})`);
  console.log("=".repeat(78));
  console.log(file ? fs.readFileSync(path.join(dir, file), "utf8").trim() : `License: ${pkg.license}`);
  console.log();
}
JS
echo "built $static/editor.js ($(wc -c < "$static/editor.js") bytes)"
