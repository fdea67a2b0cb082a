#!/usr/bin/env bash
# Install what the tests need, build, and run the whole test suite. setup.sh --test-deps makes the tests
# required (a missing Criterion fails the configuration) and ctest fails if it finds no test.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --test-deps
ctest --test-dir build --output-on-failure --no-tests=error
