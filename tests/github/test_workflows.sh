#!/usr/bin/env bash
# ctest case github_workflows: installs python3-yaml if missing (ci_need),
# then checks ci/github/*.yml (check_workflows.py says what it checks).
set -euo pipefail
cd "$(dirname "$0")/../.."
. ci/lib.sh
ci_need python3 python3 /usr/lib/python3/dist-packages/yaml/__init__.py python3-yaml
exec python3 tests/github/check_workflows.py "$@"
