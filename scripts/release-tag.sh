#!/usr/bin/env bash
# Tags HEAD as vX.Y.Z (annotated) and moves vX (the major tag users pin) to the same commit.
set -euo pipefail
major="v${VERSION%%.*}"
git config user.name "${GIT_AUTHOR_NAME:-github-actions[bot]}"
git config user.email "${GIT_AUTHOR_EMAIL:-41898282+github-actions[bot]@users.noreply.github.com}"
git tag -a "v$VERSION" -m "v$VERSION"
git tag -f -a "$major" -m "$major → v$VERSION"
git push origin "refs/tags/v$VERSION"
git push --force origin "refs/tags/$major"
echo "tagged v$VERSION and moved $major to $(git rev-parse --short HEAD)"
