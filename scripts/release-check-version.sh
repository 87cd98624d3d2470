#!/usr/bin/env bash
# Refuses a release whose VERSION is not X.Y.Z, differs from package.json, or is already tagged.
set -euo pipefail
[[ "${VERSION:-}" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "::error::version must be X.Y.Z, got '${VERSION:-}'"; exit 1; }
pkg=$(node -p 'require("./package.json").version')
[ "$pkg" = "$VERSION" ] || { echo "::error::package.json says $pkg, not $VERSION: bump it first"; exit 1; }
if git rev-parse -q --verify "refs/tags/v$VERSION" >/dev/null; then
  echo "::error::v$VERSION is already tagged"; exit 1
fi
