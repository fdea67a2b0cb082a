#!/usr/bin/env python3
"""check_layers.py - the house rules of the source tree (docs/architecture.md), checked.

A module is a .c file with the header of the same name beside it (a header without a .c is a module
of its own). The script builds the graph of modules from two sources, because a circle can run
through either: the "#include" lines of src/ and training/, and the symbols the object files of a
build define and use (`nm`), so that main.c calling the subcommands while they call helpers defined
in main.c shows up even when no header says so. It fails (exit 1), naming the files and the
include line or symbol of each edge, on:
  - a cycle between modules;
  - an edge that goes up a layer (LAYERS below: a folder may use its own and the lower ones);
  - a .c file in src/ or training/ over MAX_LINES lines.
include/commentguard.h (the public contract, which every layer may include), tests/, tools/ and
examples/ are outside the graph.

Usage: tools/check_layers.py [--build DIR] [--source DIR]   (default: the build/ beside this tools/)
"""
import argparse
import os
import re
import subprocess
import sys

# Lowest first: a module may include or call modules of its own layer and of the layers before it.
LAYERS = [
    ("src", "the library: one pipeline stage per file"),
    ("training", "builds model bundles"),
    ("src/records", "JSON records shared by score, serve and import-wordpress"),
    ("src/wordpress", "reading WordPress exports"),
    ("src/serve", "the HTTP service"),
    ("src/cli", "the program: main, option parsing, one file per subcommand"),
]
MAX_LINES = 500

# Edges allowed to close a cycle for now, each with the reason and when it goes. Keep this empty.
KNOWN_CYCLE_EDGES = {
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(module):
    folder = os.path.dirname(module)
    for i, (name, _) in enumerate(LAYERS):
        if folder == name:
            return i
    return None


def source_files(root):
    files = []
    for name, _ in LAYERS:
        folder = os.path.join(root, name)
        for f in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            if f.endswith((".c", ".h")):
                files.append(os.path.join(name, f))
    return files


def module_of(path):
    return os.path.splitext(path)[0]


def include_edges(root, files, problems):
    """(from module, to module) -> reason, from the #include lines."""
    headers = {}
    for f in files:
        if f.endswith(".h"):
            headers.setdefault(os.path.basename(f), []).append(f)
    edges = {}
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            text = fh.read()
        for name in INCLUDE.findall(text):
            if name == "commentguard.h":
                continue
            here = os.path.join(os.path.dirname(f), name)
            if here in headers.get(os.path.basename(name), []):
                target = here
            elif len(headers.get(name, [])) == 1:
                target = headers[name][0]
            elif name in headers:
                problems.append("%s: #include \"%s\" is ambiguous: %s" % (f, name, ", ".join(headers[name])))
                continue
            else:
                continue  # a system or library header
            a, b = module_of(f), module_of(target)
            if a != b:
                edges.setdefault((a, b), "%s includes %s" % (f, target))
    return edges


def object_source(root, build, obj):
    """The source file (relative to root) an object file of the build was compiled from, or None."""
    path = os.path.relpath(obj, build).replace(os.sep, "/")
    # Objects of the tests, tools and examples (which also compile some src/ files) are left out.
    if path.split("/")[0] in ("tests", "tools", "examples"):
        return None
    m = re.search(r"\.dir/(.+)\.o$", path)
    if not m:
        return None
    rel = m.group(1).replace("__/", "")
    for name, _ in LAYERS:
        if rel.startswith(name + "/") and rel.endswith(".c") and os.path.exists(os.path.join(root, rel)):
            return rel
    return None


def symbol_edges(root, build, problems):
    """(from module, to module) -> reason, from the symbols the objects define and use."""
    objects = {}
    for dirpath, _, names in os.walk(build):
        for n in names:
            if n.endswith(".o"):
                obj = os.path.join(dirpath, n)
                src = object_source(root, build, obj)
                # A source compiled into two targets, or left from an older layout: the newest object.
                if src and (src not in objects or os.path.getmtime(obj) > os.path.getmtime(objects[src])):
                    objects[src] = obj
    if not objects:
        problems.append("no object files of src/ or training/ under %s: build first" % build)
        return {}, 0
    defined, used = {}, {}
    for src, obj in sorted(objects.items()):
        out = subprocess.run(["nm", "-P", obj], check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            sym, kind = parts[0], parts[1]
            if kind == "U":
                used.setdefault(module_of(src), set()).add(sym)
            elif kind.isupper() and kind not in "VW":
                if sym in defined and defined[sym] != module_of(src):
                    problems.append("symbol %s is defined in both %s and %s" % (sym, defined[sym], module_of(src)))
                defined[sym] = module_of(src)
    edges = {}
    for a, syms in used.items():
        for sym in sorted(syms):
            b = defined.get(sym)
            if b and b != a:
                edges.setdefault((a, b), "%s calls %s (%s)" % (a + ".c", sym, b + ".c"))
    return edges, len(objects)


def cycles(nodes, graph):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def one_cycle(comp, graph):
    """A shortest path around the component, from its first module back to it."""
    members = set(comp)
    start = comp[0]
    prev, frontier = {start: None}, [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph.get(v, ())):
                if w not in members:
                    continue
                if w == start:
                    path = [v]
                    while prev[path[-1]] is not None:
                        path.append(prev[path[-1]])
                    return list(reversed(path)) + [start]
                if w not in prev:
                    prev[w] = v
                    nxt.append(w)
        frontier = nxt
    return comp


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", default=os.path.dirname(here), help="the source tree (default: this checkout)")
    ap.add_argument("--build", default=None, help="the build tree whose objects to read (default: SOURCE/build)")
    args = ap.parse_args()
    root = args.source
    build = args.build or os.path.join(root, "build")

    problems = []
    files = source_files(root)
    edges = include_edges(root, files, problems)
    sym, nobjects = symbol_edges(root, build, problems)
    for e, why in sym.items():
        edges.setdefault(e, why)

    for f in files:
        if f.endswith(".c"):
            with open(os.path.join(root, f), encoding="utf-8") as fh:
                n = sum(1 for _ in fh)
            if n > MAX_LINES:
                problems.append("%s has %d lines, more than %d: split it along its jobs" % (f, n, MAX_LINES))

    for (a, b), why in sorted(edges.items()):
        la, lb = layer_of(a), layer_of(b)
        if la is not None and lb is not None and lb > la:
            problems.append("upward edge: %s (%s) uses %s (%s): %s" % (a, LAYERS[la][0], b, LAYERS[lb][0], why))

    graph = {}
    nodes = {module_of(f) for f in files}
    for (a, b) in edges:
        if (a, b) not in KNOWN_CYCLE_EDGES:
            graph.setdefault(a, set()).add(b)
    for comp in cycles(nodes, graph):
        path = one_cycle(comp, graph)
        steps = ["  " + edges[(path[i], path[i + 1])] for i in range(len(path) - 1)]
        problems.append("cycle between %d modules (%s); one way round:\n%s"
                        % (len(comp), ", ".join(comp), "\n".join(steps)))
    for (a, b), why in sorted(KNOWN_CYCLE_EDGES.items()):
        if (a, b) in edges:
            print("check_layers: known exception, not counted in cycles: %s -> %s (%s)" % (a, b, why))
        else:
            print("check_layers: the known exception %s -> %s is gone: remove it from KNOWN_CYCLE_EDGES" % (a, b))

    if problems:
        for p in problems:
            print("check_layers: " + p)
        print("check_layers: FAILED (%d problems; the rules: docs/architecture.md)" % len(problems))
        return 1
    print("check_layers: %d modules, %d edges (%d object files read), no cycle, no upward edge, no .c over %d lines"
          % (len(nodes), len(edges), nobjects, MAX_LINES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
