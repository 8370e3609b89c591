#!/usr/bin/env python3
"""Module imports of the library, file by file: prints every import cycle
between source files (a module that imports from a module that imports it,
directly or not). A parent module and the modules inside it are not held to
this (a folder's mod.rs declares its files and owns the trait they
implement); a file importing from the folder it stands in is counted as
`up` and listed with --verbose.

Reads `use` declarations and inline `crate::`/`super::` paths of src/, test
code (`#[cfg(test)] mod tests { ... }`, tests.rs, testutil.rs) left out.
Usage: python3 scripts/check_imports.py [SRC_DIR] [--verbose]   (exit 1 on a cycle)
"""
import os
import re
import sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
SRC = args[0] if args else "src"
TEST_FILES = {"tests.rs", "testutil.rs"}


def module_of(path):
    rel = os.path.relpath(path, SRC)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return tuple(rel)


files = {}
for root, _, names in os.walk(SRC):
    for n in names:
        if n.endswith(".rs") and n not in TEST_FILES:
            p = os.path.join(root, n)
            if os.path.basename(p) == "main.rs":
                continue
            files[module_of(p)] = p


def strip_tests(text):
    m = re.search(r"#\[cfg\(test\)\]\s*(pub(\(crate\))?\s+)?mod \w+\s*\{", text)
    return text[: m.start()] if m else text


def strip_comments(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"'(\\.|[^'\\])'", "' '", text)
    return re.sub(r'"(\\.|[^"\\])*"', '""', text)


def expand(tree):
    """`a::{b, c::{d}}` -> [a::b, a::c::d]"""
    tree = tree.replace(" ", "").replace("\n", "")
    depth, start, parts = 0, 0, []
    i = tree.find("{")
    if i < 0:
        return [tree]
    head, body = tree[:i], tree[i + 1 : tree.rfind("}")]
    for j, c in enumerate(body + ","):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth == 0:
            if body[start:j]:
                parts.append(body[start:j])
            start = j + 1
    out = []
    for p in parts:
        for e in expand(p):
            out.append(head + e if e != "self" else head.rstrip(":"))
    return out


def resolve(mod, path):
    segs = [s for s in re.split(r"::", path) if s]
    segs = [s.split(" as ")[0] for s in segs]
    if not segs:
        return None
    base = list(mod)
    if segs[0] == "crate":
        base, segs = [], segs[1:]
    elif segs[0] == "self":
        segs = segs[1:]
    elif segs[0] == "super":
        while segs and segs[0] == "super":
            base, segs = base[:-1], segs[1:]
    elif tuple(base + segs[:1]) not in files:
        return None  # an outside crate or a name in scope
    full = base + segs
    for k in range(len(full), -1, -1):
        if tuple(full[:k]) in files:
            return tuple(full[:k])
    return None


edges = {m: set() for m in files}
for mod, path in files.items():
    text = strip_comments(strip_tests(open(path, encoding="utf-8").read()))
    refs = []
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        refs += expand(m.group(1))
    refs += re.findall(r"\b((?:crate|super)(?:::\w+)+)", text)
    for r in refs:
        t = resolve(mod, r)
        if t is not None and t != mod:
            edges[mod].add(t)

nested = lambda a, b: a[: len(b)] == b or b[: len(a)] == a
up = sorted((a, b) for a in edges for b in edges[a] if len(b) < len(a) and a[: len(b)] == b)
edges = {a: {b for b in bs if not nested(a, b)} for a, bs in edges.items()}

# Tarjan's strongly connected components.
index, low, stack, on, sccs, n = {}, {}, [], set(), [], [0]


def visit(v):
    index[v] = low[v] = n[0]
    n[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        c = []
        while True:
            w = stack.pop()
            on.discard(w)
            c.append(w)
            if w == v:
                break
        if len(c) > 1:
            sccs.append(c)


sys.setrecursionlimit(10000)
for v in edges:
    if v not in index:
        visit(v)
file_sccs = sccs

# The same between the crate's top-level modules (folders and files of src/).
top = {(): set()}
for a, bs in edges.items():
    top.setdefault(a[:1], set()).update(b[:1] for b in bs if b[:1] != a[:1])
edges = top
index, low, stack, on, sccs, n = {}, {}, [], set(), [], [0]
for v in edges:
    if v not in index:
        visit(v)
top_sccs = sccs

name = lambda m: "::".join(m) or "crate"
for c in file_sccs:
    print("cycle between files:", " <-> ".join(sorted(name(m) for m in c)))
for c in top_sccs:
    print("cycle between top-level modules:", " <-> ".join(sorted(name(m) for m in c)))
if "--verbose" in sys.argv:
    for a, b in up:
        print(f"up: {name(a)} -> {name(b)} (the folder it stands in)")
print(
    f"{len(file_sccs)} cycles between files, {len(top_sccs)} between top-level modules; "
    f"{len(up)} imports from an enclosing module"
)
sys.exit(1 if file_sccs or top_sccs else 0)
