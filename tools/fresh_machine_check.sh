#!/usr/bin/env bash
# fresh_machine_check.sh - the README's first command works on a machine without the test-only packages.
#
#   tools/fresh_machine_check.sh      (as root; needs git, python3, unshare and overlayfs)
#
# Clones the committed HEAD into a temporary directory and runs the README's first command (the
# first indented line of its "Quick start") there, in a private mount namespace where the test-only
# packages are gone: every installed package that only `tools/setup.sh --test-deps --bench-deps`
# needs (tools/test_only_packages.py: Criterion, clang, python3, fastText, ... and what only they
# depend on) has its files hidden by overlayfs whiteouts over /usr, /etc and /var, and its entry
# removed from the namespace's view of the dpkg status. /var/lib/dpkg is read-only there, so an
# attempt to install anything fails instead of touching the machine. Passes (exit 0) when the
# command exits 0 and prints three lines labelled on-topic, abusive, off-topic, the build configured
# no test, and the machine is unchanged afterwards (installed packages, dpkg status, mounts).
set -euo pipefail

die() { echo "fresh_machine_check.sh: FAILED: $*" >&2; exit 1; }
expected_labels="on-topic abusive off-topic"

# ---- Inside the namespace: $0 --inside WORK ----
if [ "${1:-}" = --inside ]; then
    work=$2
    layers=$work/layers
    mkdir -p "$layers"
    mount -t tmpfs cg-fresh-layers "$layers"
    tops=$(cut -d/ -f2 "$work/paths" | sort -u)
    for top in $tops; do mkdir -p "$layers/$top/upper" "$layers/$top/work"; done
    # Before the overlays: python3 is one of the packages they hide.
    /usr/bin/python3 "$(dirname "$0")/test_only_packages.py" whiteouts "$layers" <"$work/paths"
    for top in $tops; do
        mount -t overlay "cg-fresh-$top" -o "lowerdir=/$top,upperdir=$layers/$top/upper,workdir=$layers/$top/work" "/$top"
    done
    mount --bind /var/lib/dpkg /var/lib/dpkg
    mount -o remount,bind,ro /var/lib/dpkg
    mount --bind "$work/status" /var/lib/dpkg/status
    mount -o remount,bind,ro /var/lib/dpkg/status

    visible=0
    while IFS= read -r path; do
        if [ -e "$path" ] || [ -L "$path" ]; then visible=$((visible + 1)); fi
    done <"$work/paths"
    [ "$visible" -eq 0 ] || die "$visible hidden paths are still visible"
    ls /usr/include/criterion >/dev/null 2>&1 && die "/usr/include/criterion is visible"
    dpkg-query -W -f='${Status}' libcriterion-dev 2>/dev/null | grep -q installed &&
        die "dpkg-query still says libcriterion-dev is installed"
    echo "hidden: $(wc -l <"$work/packages") packages, $(wc -l <"$work/paths") paths;" \
        "/usr/include/criterion: $(ls /usr/include/criterion 2>&1 || true)"

    cd "$work/repo"
    status=0
    bash -c "$(cat "$work/command")" >"$work/out" 2>"$work/err" || status=$?
    ctest --test-dir build -N 2>/dev/null | grep -q '^Total Tests: 0$' || die "the build configured tests"
    echo "$status" >"$work/status_code"
    exit 0
fi

# ---- Outside: prepare, run the namespace, compare ----
[ "$(id -u)" -eq 0 ] || { echo "fresh_machine_check.sh: run as root" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
self=$root/tools/$(basename "$0")
start=$(date +%s)
work=$(mktemp -d /tmp/cg-fresh.XXXXXX)
trap 'rm -rf "$work"' EXIT

git clone -q "$root" "$work/repo"
echo "clone of $(git -C "$work/repo" rev-parse --short HEAD) in $work/repo"
awk '/^## Quick start/ { quick = 1 } quick && /^    / { sub(/^    /, ""); print; exit }' \
    "$work/repo/README.md" >"$work/command"
[ -s "$work/command" ] || die "no command in the README's Quick start"
echo "command: $(cat "$work/command")"

helper=$root/tools/test_only_packages.py
plain=$("$work/repo/tools/setup.sh" --print-packages | paste -sd,)
extra=$("$work/repo/tools/setup.sh" --print-packages --test-deps --bench-deps | paste -sd,)
/usr/bin/python3 "$helper" packages --plain "$plain" --extra "$extra" >"$work/packages"
mapfile -t hidden <"$work/packages"
if ! grep -qx libcriterion-dev "$work/packages" || ! grep -qx libcriterion3 "$work/packages"; then
    die "Criterion is not installed or not test-only, so hiding it proves nothing (run tools/setup.sh --test-deps)"
fi
/usr/bin/python3 "$helper" paths "${hidden[@]}" >"$work/paths"
/usr/bin/python3 "$helper" status "${hidden[@]}" >"$work/status"

snapshot() {
    dpkg-query -W -f='${Package} ${Version} ${Status}\n'
    sha256sum /var/lib/dpkg/status
    findmnt -rn -o TARGET,FSTYPE
    ls /usr/include/criterion
}
snapshot >"$work/before"

unshare --mount --propagation private "$self" --inside "$work"

snapshot >"$work/after"
diff "$work/before" "$work/after" >&2 || die "the machine changed"

status=$(cat "$work/status_code")
[ "$status" -eq 0 ] || { cat "$work/err" >&2; die "the command exited with status $status"; }
grep -q '^installing:' "$work/err" && die "setup.sh installed packages: $(grep '^installing:' "$work/err")"
cat "$work/out"
labels=$(cut -f1 "$work/out" | paste -sd' ')
[ "$labels" = "$expected_labels" ] || die "labels '$labels', expected '$expected_labels'"
echo "fresh_machine_check.sh: passed in $(($(date +%s) - start)) s (no test-only package; machine unchanged)"
