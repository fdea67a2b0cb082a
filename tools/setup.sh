#!/usr/bin/env bash
# Install what commentguard needs from Debian (only what is missing) and build it into build/.
# Usage: tools/setup.sh [--test-deps] [--bench-deps] [--print-packages]   (run as root, or with sudo available)
# The tests are built when Criterion is installed; --test-deps installs it and makes them required.
# --print-packages prints the packages the other options need, one a line, and does nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libsvm-dev liblinear-dev libpcre2-dev libutf8proc-dev libxxhash-dev libjansson-dev
  libmicrohttpd-dev libsqlite3-dev libxml2-dev
  python3-matplotlib) # the plots of eval --report and of train's cross-validation report
tests=(-DCG_REQUIRE_TESTS=OFF)
print_only=0
for arg in "$@"; do
  case "$arg" in
    --test-deps) tests=(-DBUILD_TESTING=ON -DCG_REQUIRE_TESTS=ON)
      packages+=(libcriterion-dev libsvm-tools liblinear-tools python3 clang libclang-rt-14-dev curl sqlite3
        chromium libnet-akismet-perl)
      # tests/akismet_test.sh runs an Akismet client from npm; a Node.js not from Debian brings its own npm.
      command -v npm >/dev/null || packages+=(nodejs npm) ;;
    --bench-deps) packages+=(fasttext libsvm-tools python3 python3-sklearn hyperfine wrk curl time valgrind) ;;
    --print-packages) print_only=1 ;;
    *) echo "usage: tools/setup.sh [--test-deps] [--bench-deps] [--print-packages]" >&2; exit 2 ;;
  esac
done
if ((print_only)); then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "installing: ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${tests[@]}" >/dev/null
cmake --build build -j"$(nproc)" >&2
