"""The dependency direction, read from the source with ast: field_app -> api_client <- dispatch.

The phone bundle holds field_app and api_client only; the contract imports neither side.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = {"api_client", "field_app", "dispatch", "field_demo", "tests", "bench"}
MAY_IMPORT = {
    "api_client": set(),
    "field_app": {"api_client"},
    "dispatch": {"api_client"},
}


def imported_packages(path: Path, package: str) -> set[str]:
    """Top-level names imported by one module, relative imports resolved against its package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module_parts = [package, *path.relative_to(ROOT / package).with_suffix("").parts]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.add((node.module or "").split(".")[0])
            else:
                base = module_parts[: len(module_parts) - node.level]
                names.add(base[0] if base else "")
    return names


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_each_package_imports_only_what_the_direction_allows(package):
    allowed = MAY_IMPORT[package] | {package}
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules(package)
        for name in imported_packages(path, package)
        if name in OURS and name not in allowed
    }
    assert not wrong, sorted(wrong)


def test_field_app_needs_nothing_but_the_contract_stdlib_and_its_declared_packages():
    """The phone bundle: every import of field_app is ours (api_client), stdlib, or a core dependency."""
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    declared = {d.split("[")[0].split("=")[0].split(">")[0].split("<")[0].strip().replace("-", "_") for d in deps}
    # Distribution names that import under another name, and what the declared ones bring with them.
    declared |= {"flet_geolocator", "flet_secure_storage", "png", "pydantic_core", "typing_extensions"}
    allowed = {"api_client", "field_app"} | declared | set(sys.stdlib_module_names)
    for package in ("field_app", "api_client"):
        stray = {
            f"{path.relative_to(ROOT)} imports {name}"
            for path in modules(package)
            for name in imported_packages(path, package)
            if name not in allowed
        }
        assert not stray, sorted(stray)


def test_the_reader_resolves_absolute_and_relative_imports():
    """The check above can fail: the reader sees both kinds of import."""
    assert imported_packages(ROOT / "field_app" / "state.py", "field_app") >= {"api_client", "field_app", "flet"}
    assert "dispatch" in imported_packages(ROOT / "field_demo" / "__init__.py", "field_demo")
