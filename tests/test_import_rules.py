"""The layers' import rules (docs/architecture.md), read from the source with ``ast``.

engines ← domain apps ← shell (web pages, API, commands):

- nothing outside ``serendip.engines`` imports an engine's modules: only the engine
  packages (``serendip.engines.meetings``...), whose ``__all__`` is their public face;
- an engine imports neither Django nor anything of serendip outside ``serendip.engines``,
  and neither do the Django-free modules the engine commands run on;
- no module of a domain app imports the web pages (``serendip.web``), its own pages included;
  a domain module (not its own views, forms, urls, pdf) imports no API (``serendip.api``) either;
- pages and API operations write nothing themselves: no ``.save()``, ``.delete()``,
  ``.create()``... outside the domain services, except the listed few, each with its reason.
  The list only shrinks: an entry that no longer writes must go.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import serendip

PACKAGE = Path(serendip.__file__).parent
ENGINES = PACKAGE / "engines"
ENGINE_PACKAGES = frozenset(p.name for p in ENGINES.iterdir() if (p / "__init__.py").exists())
DOMAIN_APPS = ("members", "events", "programme", "meals", "network", "outcomes", "reports")
SHELL = ("web", "api")
# The modules ``serendip meetings`` / ``serendip mixer`` run on, before Django is imported.
DJANGO_FREE = ("engine_commands.py", "engine_files.py", "engine_ids.py")


@dataclass(frozen=True)
class Import:
    """One import statement: the module, and the names taken from it (``from m import a, b``)."""

    source: Path
    line: int
    module: str
    names: tuple[str, ...] = ()

    def __str__(self) -> str:
        taken = f" ({', '.join(self.names)})" if self.names else ""
        return f"{self.source.relative_to(PACKAGE.parent)}:{self.line} imports {self.module}{taken}"

    def modules(self) -> Iterator[str]:
        """The module, and for ``from package import name`` each name as a possible module."""
        yield self.module
        for name in self.names:
            yield f"{self.module}.{name}"


def python_files(folder: Path) -> list[Path]:
    """Every Python file under ``folder``, migrations included."""
    return sorted(folder.rglob("*.py"))


def imports_of(path: Path) -> Iterator[Import]:
    """Every import statement of the file, wherever it stands (inside functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the file's package
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield Import(path, node.lineno, base, tuple(a.name for a in node.names))


def _reaches_inside_an_engine(i: Import) -> bool:
    """Whether the import takes anything of ``serendip.engines`` but an engine's package."""
    parts = i.module.split(".")
    if parts[:2] != ["serendip", "engines"]:
        return False
    if len(parts) == 2:  # from serendip.engines import meetings: packages only
        return any(name not in ENGINE_PACKAGES for name in i.names)
    return len(parts) > 3 or parts[2] not in ENGINE_PACKAGES


def test_nothing_outside_the_engines_imports_their_modules() -> None:
    found = [
        str(i)
        for path in python_files(PACKAGE)
        if ENGINES not in path.parents
        for i in imports_of(path)
        if _reaches_inside_an_engine(i)
    ]
    assert not found, "import the engine package (its __all__) instead:\n" + "\n".join(found)


def _face(engine: str) -> set[str]:
    """The names an engine package lists in its ``__all__``."""
    tree = ast.parse((ENGINES / engine / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return set(ast.literal_eval(node.value))
    return set()


@pytest.mark.parametrize("engine", sorted(ENGINE_PACKAGES))
def test_every_engine_has_a_face(engine: str) -> None:
    face = _face(engine)
    assert face, f"serendip.engines.{engine} lists its public names in __all__"
    module = __import__(f"serendip.engines.{engine}", fromlist=["__all__"])
    assert not [name for name in face if not hasattr(module, name)]


def test_names_taken_from_an_engine_are_in_its_face() -> None:
    found = [
        f"{i}: {name} is not in __all__"
        for path in python_files(PACKAGE)
        if ENGINES not in path.parents
        for i in imports_of(path)
        if i.module.split(".")[:2] == ["serendip", "engines"] and len(i.module.split(".")) == 3
        for name in i.names
        if i.module.split(".")[2] in ENGINE_PACKAGES and name not in _face(i.module.split(".")[2])
    ]
    assert not found, "export it from the engine package first:\n" + "\n".join(found)


def _outside_the_engines(module: str) -> bool:
    top = module.split(".")[0]
    return top == "django" or (top == "serendip" and not module.startswith("serendip.engines"))


def test_engines_import_no_django_and_nothing_of_the_club() -> None:
    found = [
        str(i)
        for path in python_files(ENGINES)
        for i in imports_of(path)
        for module in i.modules()
        if _outside_the_engines(module)
    ]
    assert not found, "the engines ship alone:\n" + "\n".join(found)


def test_the_engine_commands_import_no_django() -> None:
    allowed = ("serendip.engines", "serendip.engine_files", "serendip.engine_ids")
    found = [
        str(i)
        for name in DJANGO_FREE
        for i in imports_of(PACKAGE / name)
        if i.module.split(".")[0] == "django"
        or (i.module.startswith("serendip") and not i.module.startswith(allowed))
        or (
            i.module == "serendip" and not all(f"serendip.{n}".startswith(allowed) for n in i.names)
        )
    ]
    assert not found, "serendip meetings / mixer run without Django:\n" + "\n".join(found)


# An app's own pages (views, forms, urls, pdf, templatetags) are shell, but no module of an app
# reaches into the web package, its pages included. What the web and the apps' pages share (the
# ISO date fields, the PDF fonts) lives beside the apps: ``serendip/iso_inputs.py``, ``pdf.py``.
APP_PAGES = frozenset({"views.py", "forms.py", "urls.py", "pdf.py"})


def _domain_module(path: Path) -> bool:
    return path.name not in APP_PAGES and "templatetags" not in path.parts


def _takes(i: Import, package: str) -> bool:
    """Whether the import reaches ``serendip.<package>`` (``from serendip import web`` too)."""
    return any(m.split(".")[:2] == ["serendip", package] for m in i.modules())


def test_no_domain_app_imports_the_web_package() -> None:
    found = [
        str(i)
        for app in DOMAIN_APPS
        if (PACKAGE / app).exists()
        for path in python_files(PACKAGE / app)
        for i in imports_of(path)
        if _takes(i, "web")
    ]
    assert not found, "move what the app needs out of serendip.web:\n" + "\n".join(found)


def test_domain_apps_import_neither_pages_nor_api() -> None:
    found = [
        str(i)
        for app in DOMAIN_APPS
        if (PACKAGE / app).exists()
        for path in python_files(PACKAGE / app)
        if _domain_module(path)
        for i in imports_of(path)
        if _takes(i, "web") or _takes(i, "api")
    ]
    assert not found, "move the code the domain needs into its app:\n" + "\n".join(found)


# Pages and API operations that still write by themselves, "module:function" -> why. This
# list only shrinks: move the write into a domain service, then delete the entry.
WRITES_ALLOWED = {
    "web/lost_jobs.py:give_up_lost_jobs": "the job runner's own bookkeeping (task rows, "
    "PeriodicRun claims), not the club's data",
    "web/periodic.py:claim": "the periodic runner's claim on a period (PeriodicRun), not club data",
    "web/periodic.py:_once": "the periodic runner gives its claim back or marks it done",
}
# Model and queryset methods that write. ``.update()`` and ``.create()`` count on a manager or
# a queryset expression, with keyword arguments only (a dict's or a hash's ``update`` does not
# write); ``.save(commit=False)`` of a form writes nothing; ``router.delete("/path")`` declares
# an operation. A queryset first put in a local variable escapes the check: review catches it.
WRITES = frozenset({"save", "delete", "update", "create", "bulk_create", "bulk_update"})
WRITES |= {"get_or_create", "update_or_create"}


def _is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute) or call.func.attr not in WRITES:
        return False
    if any(k.arg == "commit" for k in call.keywords):
        return False
    if call.func.attr in ("save", "delete"):
        return not call.args
    if call.func.attr in ("update", "create"):
        # A manager or a queryset (``X.objects.create``, ``....filter(...).update``), not a
        # local dict's ``data.update(key=...)``.
        receiver = call.func.value
        return not isinstance(receiver, ast.Name) and not call.args and bool(call.keywords)
    return True


def writes_in(path: Path) -> Iterator[tuple[str, int]]:
    """Each write call of the module: the function it is in (``Class.method``) and its line."""

    def walk(node: ast.AST, where: str) -> Iterator[tuple[str, int]]:
        for child in ast.iter_child_nodes(node):
            inner = where
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = f"{where}.{child.name}" if where else child.name
            if isinstance(child, ast.Call) and _is_write(child):
                yield inner or "<module>", child.lineno
            yield from walk(child, inner)

    yield from walk(ast.parse(path.read_text(encoding="utf-8")), "")


def _shell_writes() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for folder in SHELL:
        for path in python_files(PACKAGE / folder):
            if "migrations" in path.parts:
                continue
            name = path.relative_to(PACKAGE).as_posix()
            for where, line in writes_in(path):
                found.setdefault(f"{name}:{where}", []).append(line)
    return found


def test_pages_and_api_write_only_through_services() -> None:
    found = _shell_writes()
    new = [f"{key} (line {', '.join(map(str, lines))})" for key, lines in found.items()]
    new = [entry for entry in new if entry.split(" (")[0] not in WRITES_ALLOWED]
    assert not new, "write through a domain service instead:\n" + "\n".join(new)


def test_the_list_of_pages_that_write_only_shrinks() -> None:
    stale = sorted(set(WRITES_ALLOWED) - set(_shell_writes()))
    assert not stale, "these no longer write: remove them from WRITES_ALLOWED\n" + "\n".join(stale)
