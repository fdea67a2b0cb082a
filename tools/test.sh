#!/usr/bin/env bash
# Install what the tests need, build, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --test-deps
ctest --test-dir build --output-on-failure
