#!/usr/bin/env bash
# Source this file: it installs the pinned Node.js 24 LTS from the npm registry into .tools/
# (ignored by git) when the machine's Node is older, and puts it first on PATH.
RUTA_NODE_VERSION="${RUTA_NODE_VERSION:-$(tr -d 'v \n' < "$(dirname "${BASH_SOURCE[0]}")/../.nvmrc")}"
_ruta_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_ruta_node_dir="$_ruta_root/.tools/node-$RUTA_NODE_VERSION"
_ruta_major="${RUTA_NODE_VERSION%%.*}"
if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" = "$_ruta_major" ]; then
  : # the machine's Node is already the right major version
else
  if [ ! -x "$_ruta_node_dir/node_modules/.bin/node" ]; then
    echo "ruta: installing Node.js $RUTA_NODE_VERSION into .tools/ (from the npm registry)" >&2
    npm install --prefix "$_ruta_node_dir" --no-save --no-audit --no-fund --loglevel=error \
      "node@$RUTA_NODE_VERSION" >&2 || { echo "ruta: could not install node@$RUTA_NODE_VERSION" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_ruta_node_dir/node_modules/.bin:$PATH"
fi
unset _ruta_root _ruta_node_dir _ruta_major
