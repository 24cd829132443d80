#!/usr/bin/env python3
"""Validates teamsfix's winget manifest set and Scoop manifest.

Each file is checked against its published JSON schema (copies in packaging/manifests/schemas/,
with their licences), then against what the schemas cannot express: the files of the winget set
agree with each other (identifier, version, locales, file names), and, given the release zip,
both manifests carry its SHA-256 and name files that really are in it.

Usage: validate.py --winget DIR --scoop FILE [--zip ZIP]
Needs python3-jsonschema and python3-yaml (Debian) or `pip install jsonschema pyyaml`.
Prints one line per problem; exit 0 valid, 1 invalid, 2 usage error.
"""

import argparse
import hashlib
import json
import sys
import zipfile
from pathlib import Path

try:
    import jsonschema
    import yaml
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"validate.py: {e.name} missing; as root: apt-get install -y python3-jsonschema python3-yaml",
          file=sys.stderr)
    sys.exit(2)

SCHEMAS = Path(__file__).resolve().parent / "schemas"
WINGET_VERSION = "1.12.0"
MAX_MANIFEST_BYTES = 1 << 20  # a manifest is a few KB; refuse anything silly
WINGET_TYPES = {"version": "version", "installer": "installer",
                "defaultLocale": "defaultLocale", "locale": "locale"}


class ManifestLoader(yaml.SafeLoader):
    """YAML as winget reads it: a date such as `ReleaseDate: 2026-11-24` stays a string (PyYAML's
    YAML 1.1 rules would make it a date object, which the schema rejects)."""


ManifestLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_schema(path: Path) -> dict:
    # utf-8-sig: some of the published schema files start with a byte-order mark.
    return json.loads(path.read_text(encoding="utf-8-sig"))


def schema_errors(document, schema: dict, where: str) -> list[str]:
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    checker = getattr(cls, "FORMAT_CHECKER", None) or jsonschema.FormatChecker()
    validator = cls(schema, format_checker=checker)
    out = []
    for err in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in err.absolute_path) or "(top)"
        out.append(f"{where}: {path}: {err.message}")
    return out


def read_text(path: Path) -> str:
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise ValueError(f"{path}: larger than {MAX_MANIFEST_BYTES} bytes")
    return path.read_text(encoding="utf-8")


def zip_entries(zip_path: Path | None) -> tuple[str | None, set[str]]:
    if zip_path is None:
        return None, set()
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    with zipfile.ZipFile(zip_path) as z:
        names = {n.rstrip("/") for n in z.namelist()}
    return digest, names


def check_winget(folder: Path, sha: str | None, entries: set[str]) -> tuple[list[str], dict]:
    problems: list[str] = []
    files = sorted(folder.glob("*.yaml"))
    if not files:
        return [f"{folder}: no winget manifests (*.yaml)"], {}
    docs: dict[str, list[tuple[Path, dict]]] = {}
    for f in files:
        try:
            doc = yaml.load(read_text(f), Loader=ManifestLoader)
        except (yaml.YAMLError, ValueError) as e:
            problems.append(f"{f.name}: not valid YAML: {e}")
            continue
        if not isinstance(doc, dict):
            problems.append(f"{f.name}: not a YAML mapping")
            continue
        kind = doc.get("ManifestType")
        if kind not in WINGET_TYPES:
            problems.append(f"{f.name}: ManifestType {kind!r} is none of {sorted(WINGET_TYPES)}")
            continue
        version = doc.get("ManifestVersion")
        if version != WINGET_VERSION:
            problems.append(f"{f.name}: ManifestVersion {version!r}, the schemas here are {WINGET_VERSION}")
            continue
        schema = load_schema(SCHEMAS / f"winget-{WINGET_VERSION}" / f"manifest.{kind}.{WINGET_VERSION}.json")
        problems += schema_errors(doc, schema, f.name)
        docs.setdefault(kind, []).append((f, doc))

    for kind in ("version", "installer", "defaultLocale"):
        if len(docs.get(kind, [])) != 1:
            problems.append(f"{folder}: expected one {kind} manifest, found {len(docs.get(kind, []))}")
    if problems:
        return problems, {}

    all_docs = [d for group in docs.values() for d in group]
    ids = {doc.get("PackageIdentifier") for _, doc in all_docs}
    versions = {doc.get("PackageVersion") for _, doc in all_docs}
    if len(ids) != 1:
        problems.append(f"PackageIdentifier differs between the files: {sorted(map(str, ids))}")
    if len(versions) != 1:
        problems.append(f"PackageVersion differs between the files: {sorted(map(str, versions))}")
    pkg_id = next(iter(ids))
    pkg_version = next(iter(versions))
    if folder.name != str(pkg_version):
        problems.append(f"{folder}: the folder must be named after the version {pkg_version}")
    (vf, vdoc), = docs["version"]
    (inf, idoc), = docs["installer"]
    (lf, ldoc), = docs["defaultLocale"]
    if vf.name != f"{pkg_id}.yaml":
        problems.append(f"{vf.name}: the version manifest must be named {pkg_id}.yaml")
    if inf.name != f"{pkg_id}.installer.yaml":
        problems.append(f"{inf.name}: the installer manifest must be named {pkg_id}.installer.yaml")
    if vdoc.get("DefaultLocale") != ldoc.get("PackageLocale"):
        problems.append(f"DefaultLocale {vdoc.get('DefaultLocale')!r} of {vf.name} is not the "
                        f"PackageLocale {ldoc.get('PackageLocale')!r} of {lf.name}")
    for f, doc in docs["defaultLocale"] + docs.get("locale", []):
        expected = f"{pkg_id}.locale.{doc.get('PackageLocale')}.yaml"
        if f.name != expected:
            problems.append(f"{f.name}: a locale manifest must be named {expected}")

    installers = idoc.get("Installers") or []
    nested = idoc.get("NestedInstallerFiles") or []
    for inst in installers:
        nested_here = inst.get("NestedInstallerFiles") or nested
        kind = inst.get("InstallerType", idoc.get("InstallerType"))
        nested_kind = inst.get("NestedInstallerType", idoc.get("NestedInstallerType"))
        if kind == "zip" and (not nested_kind or not nested_here):
            problems.append(f"{inf.name}: a zip installer needs NestedInstallerType and NestedInstallerFiles")
        if sha is not None and str(inst.get("InstallerSha256", "")).lower() != sha:
            problems.append(f"{inf.name}: InstallerSha256 {inst.get('InstallerSha256')} is not the "
                            f"zip's SHA-256 {sha.upper()}")
        if entries:
            for n in nested_here:
                rel = str(n.get("RelativeFilePath", "")).replace("\\", "/")
                if rel not in entries:
                    problems.append(f"{inf.name}: RelativeFilePath {n.get('RelativeFilePath')} is not in the zip")
    return problems, {"version": pkg_version}


def check_scoop(path: Path, sha: str | None, entries: set[str], version) -> list[str]:
    try:
        doc = json.loads(read_text(path))
    except (json.JSONDecodeError, ValueError) as e:
        return [f"{path.name}: not valid JSON: {e}"]
    problems = schema_errors(doc, load_schema(SCHEMAS / "scoop" / "schema.json"), path.name)
    if problems or not isinstance(doc, dict):
        return problems
    if version is not None and doc.get("version") != version:
        problems.append(f"{path.name}: version {doc.get('version')!r} is not the winget set's {version!r}")
    arch = (doc.get("architecture") or {}).get("64bit") or {}
    hash_ = arch.get("hash", doc.get("hash"))
    if not arch.get("url", doc.get("url")):
        problems.append(f"{path.name}: no download url")
    if sha is not None and str(hash_).lower().removeprefix("sha256:") != sha:
        problems.append(f"{path.name}: hash {hash_} is not the zip's SHA-256 {sha}")
    if entries:
        top = doc.get("extract_dir", "")
        if top and top not in entries:
            problems.append(f"{path.name}: extract_dir {top} is not a folder in the zip")
        bins = doc.get("bin", [])
        bins = [bins] if isinstance(bins, str) else bins
        targets = [b if isinstance(b, str) else b[0] for b in bins]
        targets += [s[0] for s in doc.get("shortcuts", [])]
        for t in targets:
            inside = f"{top}/{t}" if top else t
            if inside.replace("\\", "/") not in entries:
                problems.append(f"{path.name}: {t} is not in the zip (looked for {inside})")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--winget", type=Path, required=True, help="folder of one version's winget manifests")
    ap.add_argument("--scoop", type=Path, required=True, help="the Scoop manifest (.json)")
    ap.add_argument("--zip", type=Path, help="the release zip the manifests describe")
    a = ap.parse_args()
    for p in [a.winget, a.scoop] + ([a.zip] if a.zip else []):
        if not p.exists():
            print(f"validate.py: {p} not found", file=sys.stderr)
            return 2
    sha, entries = zip_entries(a.zip)
    problems, info = check_winget(a.winget, sha, entries)
    problems += check_scoop(a.scoop, sha, entries, info.get("version"))
    for p in problems:
        print(f"INVALID {p}")
    if problems:
        print(f"manifests: {len(problems)} problem(s)")
        return 1
    print(f"manifests valid: winget {WINGET_VERSION} set in {a.winget} "
          f"({len(list(a.winget.glob('*.yaml')))} files), Scoop {a.scoop.name}"
          + (f", both match {a.zip.name}" if a.zip else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
