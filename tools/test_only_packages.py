#!/usr/bin/python3
"""test_only_packages.py - what tools/fresh_machine_check.sh hides to play a machine without the test-only packages.

    test_only_packages.py packages --plain P,P,... --extra E,E,...
        the installed packages that only the extra ones need: the installed dependency closure
        (Depends and Pre-Depends, every installed alternative, virtual packages through their
        installed providers) of the extra packages, minus that of the plain packages and of every
        Essential or Priority: required package (which any Debian 12 machine has)
    test_only_packages.py paths PKG...
        the paths to hide for those packages, from `dpkg -L`, with /bin, /lib ... resolved to /usr:
        every file or symbolic link they ship, and every directory they ship that no other
        installed package ships (hiding it also hides what was generated inside, such as caches)
    test_only_packages.py status PKG...
        /var/lib/dpkg/status without those packages' entries, so that dpkg-query agrees with the
        hidden files
    test_only_packages.py whiteouts LAYERS < PATHS
        for each path /TOP/REST read from stdin, an overlayfs whiteout (a 0/0 character device) at
        LAYERS/TOP/upper/REST, its missing directories created with the owner and mode of the
        real ones; LAYERS/TOP/upper is then the upper directory of an overlay over /TOP

Except for whiteouts' LAYERS, reads the dpkg database and the file system only; changes nothing.
"""
import argparse
import os
import re
import stat
import subprocess
import sys

STATUS = "/var/lib/dpkg/status"


def read_status():
    """The stanzas of the dpkg status file, as (text, fields) in file order."""
    with open(STATUS, encoding="utf-8") as f:
        chunks = [c for c in f.read().split("\n\n") if c.strip()]
    stanzas = []
    for chunk in chunks:
        fields, key = {}, None
        for line in chunk.splitlines():
            if line[:1] in (" ", "\t") and key:
                fields[key] += "\n" + line
            elif ":" in line:
                key, value = line.split(":", 1)
                fields[key] = value.strip()
        stanzas.append((chunk, fields))
    return stanzas


def installed(stanzas):
    return [f for _, f in stanzas if f.get("Status", "").endswith(" installed")]


def dependency_names(field):
    """Every package name of a Depends-style field, alternatives included, without versions or :arch."""
    names = []
    for alternative in re.split(r"[,|]", field or ""):
        name = re.sub(r"\(.*?\)|\[.*?\]|<.*?>", "", alternative).strip().split(":")[0]
        if name:
            names.append(name)
    return names


def closure(roots, packages):
    """The installed packages reachable from roots through Depends and Pre-Depends."""
    by_name = {f["Package"]: f for f in packages}
    providers = {}
    for f in packages:
        for name in dependency_names(f.get("Provides")):
            providers.setdefault(name, set()).add(f["Package"])
    seen, todo = set(), [r for r in roots if r in by_name]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        fields = by_name[name]
        for dep in dependency_names(fields.get("Depends")) + dependency_names(fields.get("Pre-Depends")):
            todo.extend(p for p in {dep} | providers.get(dep, set()) if p in by_name and p not in seen)
    return seen


def test_only(plain, extra):
    packages = installed(read_status())
    base = [f["Package"] for f in packages if f.get("Essential") == "yes" or f.get("Priority") == "required"]
    return sorted(closure(extra, packages) - closure(plain + base, packages))


def listed_paths(packages):
    """The canonical paths `dpkg -L` lists for the packages (an empty list gives an empty set)."""
    if not packages:
        return set()
    run = subprocess.run(["dpkg", "-L", *packages], capture_output=True, text=True, check=False)
    listed = {line for line in run.stdout.splitlines() if line.startswith("/") and line != "/."}
    directories = {os.path.dirname(line) for line in listed}
    paths = set()
    for line in listed:
        if line in directories:
            paths.add(os.path.realpath(line))  # a directory of the package: /lib is /usr/lib
        else:
            # A file or link: resolve its directory only (/lib/x/libfoo.so is /usr/lib/x/libfoo.so),
            # since a listed symbolic link is hidden itself, not its target.
            parent, base = os.path.split(line)
            paths.add(os.path.join(os.path.realpath(parent), base))
    return paths


def paths_to_hide(hidden):
    hidden_set = set(hidden)
    others = [f["Package"] for f in installed(read_status()) if f["Package"] not in hidden_set]
    kept = listed_paths(others)
    result, hidden_dirs = [], set()
    for path in sorted(listed_paths(hidden)):
        if not os.path.lexists(path):
            continue
        ancestors = [path[:i] for i in range(1, len(path)) if path[i] == "/"]
        if hidden_dirs.intersection(ancestors):
            continue  # already hidden with its directory
        if os.path.isdir(path) and not os.path.islink(path):
            if path in kept:
                continue  # shared with a kept package: hide only the hidden packages' entries inside
            hidden_dirs.add(path)
        result.append(path)
    return result


def make_whiteouts(layers, paths):
    for path in paths:
        top, *rest = path.strip("/").split("/")
        if not rest or os.path.islink("/" + top) or not os.path.isdir("/" + top):
            sys.exit(f"test_only_packages.py: cannot hide {path}: not inside a real top-level directory")
        upper, real = os.path.join(layers, top, "upper"), "/" + top
        for part in rest[:-1]:
            upper, real = os.path.join(upper, part), os.path.join(real, part)
            if not os.path.isdir(upper):
                info = os.stat(real)
                os.mkdir(upper)
                os.chown(upper, info.st_uid, info.st_gid)
                os.chmod(upper, stat.S_IMODE(info.st_mode))
        os.mknod(os.path.join(upper, rest[-1]), stat.S_IFCHR, os.makedev(0, 0))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    packages = commands.add_parser("packages")
    packages.add_argument("--plain", required=True)
    packages.add_argument("--extra", required=True)
    commands.add_parser("paths").add_argument("package", nargs="+")
    commands.add_parser("status").add_argument("package", nargs="+")
    commands.add_parser("whiteouts").add_argument("layers")
    args = parser.parse_args()

    if args.command == "packages":
        print("\n".join(test_only(args.plain.split(","), args.extra.split(","))))
    elif args.command == "paths":
        print("\n".join(paths_to_hide(args.package)))
    elif args.command == "whiteouts":
        make_whiteouts(args.layers, [line for line in sys.stdin.read().splitlines() if line])
    else:
        drop = set(args.package)
        kept = [text for text, fields in read_status() if fields.get("Package") not in drop]
        sys.stdout.write("\n\n".join(kept) + "\n\n")


if __name__ == "__main__":
    main()
