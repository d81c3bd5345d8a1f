"""The Jinja environment of the site and reports: the plan's templates run in a sandbox.

A plan's ``templates/`` folder is written by whoever can commit to the plan's repository,
and the site is published by CI that holds publishing rights: a template is untrusted code.
So when the plan has templates of its own, all templates (the plan's and the built-in ones
they extend or import) run in Jinja's ``ImmutableSandboxedEnvironment``, with a stricter
attribute rule on top of it:

- no attribute starting with ``_`` (Jinja's rule: ``__class__``, ``__globals__``,
  ``_TemplateReference__context``...), no ``str.format`` escape (Jinja's rule);
- no change to a list, dict or set (the immutable sandbox: pages cannot affect each other);
- on feuille's own objects, only their data and their own methods (not pydantic's
  ``model_*``/``parse_file``...); on any other library's object, nothing;
- nothing that is a path, a module, a class or an open file is ever handed to a template,
  and no class other than Jinja's own helpers (``namespace``, ``cycler``...) can be called.

A plan without a templates folder is rendered by feuille's own templates alone: they are part of
feuille (trusted like its code), the plan's data reaches them only as values (escaped, never run
as a template), so they run in a plain ``Environment`` with the same filters, autoescape and
strict undefined, and the same output byte for byte (tests/test_render_fast.py), about a fifth faster:
the sandbox checks every attribute and every call (render of 1,000 actions: 1.23 -> 0.99 s).

Plan templates are read from their folder without following symbolic links (a link to
``/proc/self/environ`` or a key would otherwise be published); the folder must exist.

Any error raised while a template runs becomes a :class:`TemplateProblem` (a catalogue message,
shown in the user's language) naming the template file and line.
"""

from __future__ import annotations

import enum
import importlib.resources
import io
import os
import re
import stat
import traceback
import types
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import Any

from feuille.core.errors import UserError
from feuille.core.i18n import Msg, msg

_SAFE_TYPE_MODULES = ("builtins", "datetime", "decimal", "markupsafe", "jinja2.runtime", "jinja2.utils", "jinja2.sandbox", "collections")
_CALLABLE_CLASS_MODULES = ("builtins", "jinja2.runtime", "jinja2.utils", "jinja2.sandbox")
_DANGEROUS = (PurePath, types.ModuleType, type, io.IOBase, os.DirEntry)


class TemplateProblem(UserError):
    """A template that cannot be used.  ``msg`` and ``hint_msg`` as given (a :class:`Msg` is shown in
    the user's language); ``message`` and ``hint`` their French (``str(exc)`` is the French message)."""

    code = "template"


CHECK_TEMPLATES = msg("Check the templates of the plan's templates/ folder (docs/templates.md).")


def _feuille_class(cls: type) -> bool:
    return (getattr(cls, "__module__", "") or "").split(".")[0] == "feuille"


def _dangerous(value: Any) -> bool:
    if isinstance(value, _DANGEROUS):
        return True
    owner = getattr(value, "__self__", None)  # a bound method: judged by its object
    return owner is not None and not isinstance(owner, types.ModuleType) and isinstance(owner, _DANGEROUS)


def _own_attribute(obj: Any, attr: str) -> bool:
    """``attr`` is data of ``obj`` or defined by one of feuille's classes (not inherited from a library)."""
    cls = type(obj)
    fields = getattr(cls, "model_fields", None)
    if isinstance(fields, dict) and attr in fields:
        return True
    computed = getattr(cls, "model_computed_fields", None)
    if isinstance(computed, dict) and attr in computed:
        return True
    if isinstance(obj, enum.Enum) and attr in ("value", "name"):
        return True
    if attr in getattr(obj, "__dict__", {}):
        return True
    return any(_feuille_class(c) and attr in vars(c) for c in cls.__mro__)


def sandbox_class() -> type:
    from jinja2.sandbox import ImmutableSandboxedEnvironment  # noqa: PLC0415 (heavy, loaded when first needed)

    class FeuilleSandbox(ImmutableSandboxedEnvironment):
        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            # The verdict depends on the types involved, not on the values: decided once per
            # (object type, attribute, value type, bound method's owner type), since a site
            # asks the same question hundreds of thousands of times (render of 10,000 actions: 2.3x).
            key = (type(obj), attr, type(value), type(getattr(value, "__self__", None)))
            cache = self.__dict__.setdefault("_verdicts", {})
            verdict = cache.get(key)
            if verdict is None:
                verdict = cache[key] = self._judge(obj, attr, value)
            return verdict

        def _judge(self, obj: Any, attr: str, value: Any) -> bool:
            if not super().is_safe_attribute(obj, attr, value):
                return False
            if _dangerous(obj) or _dangerous(value):
                return False
            module = (getattr(type(obj), "__module__", "") or "")
            if module.split(".")[0] == "feuille":
                return _own_attribute(obj, attr)
            return module in _SAFE_TYPE_MODULES

        def is_safe_callable(self, obj: Any) -> bool:
            if not super().is_safe_callable(obj) or _dangerous(obj) and not isinstance(obj, type):
                return False
            if isinstance(obj, type):
                return obj.__module__ in _CALLABLE_CLASS_MODULES
            return True

    return FeuilleSandbox


#: The context key under which a site page carries its :class:`ImportScope` (not a name a template can write).
IMPORT_SCOPE = "feuille:import-scope"


class ImportScope:
    """The macros a site's pages import ``with context``, made once per page folder instead of once per page.

    ``{% from "html/_macros.html" import progress with context %}`` makes the whole macro module again for
    every page (render of 10,000 actions: ~10 % of the time).  With feuille's own templates, a page's context
    is the site's values (the same objects for every page of a folder: ``t``, ``url``, ``person``...) plus the
    page's own (``page``, ``action``...); the macros are given ``values``, the site's values alone, so they
    cannot depend on the page they are called from: a macro that read a page's own variable would fail loudly
    (strict undefined), never show another page's value.
    """

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self._modules: dict[str, Any] = {}

    def module(self, template: Any) -> Any:
        made = self._modules.get(template.name)
        if made is None:
            made = self._modules[template.name] = template.make_module(self.values)  # (values hold no scope)
        return made


def trusted_class() -> type:
    """Jinja's plain ``Environment`` whose templates' ``{% from … import … with context %}`` take their macros from
    the page's :class:`ImportScope` when it has one (feuille's own templates alone: see the module docstring)."""
    from jinja2 import Environment, Template  # noqa: PLC0415 (heavy, loaded when first needed)
    from jinja2.utils import missing  # noqa: PLC0415 (heavy, loaded when first needed)

    class FeuilleTemplate(Template):
        def make_module(self, vars: Any = None, shared: bool = False, locals: Any = None) -> Any:  # noqa: A002 (Jinja's names)
            scope = vars.get(IMPORT_SCOPE) if vars else None
            if scope is None or (locals and any(v is not missing for v in locals.values())):
                return super().make_module(vars, shared, locals)
            return scope.module(self)

    class FeuilleEnvironment(Environment):
        template_class = FeuilleTemplate

    return FeuilleEnvironment


def plan_loader(root: Path) -> Any:
    from jinja2 import BaseLoader, TemplateNotFound  # noqa: PLC0415 (heavy, loaded when first needed)
    from jinja2.loaders import split_template_path  # noqa: PLC0415 (heavy, loaded when first needed)

    class _Loader(BaseLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            pieces = split_template_path(template)  # refuses ".."
            path = root
            for piece in pieces:
                path = path / piece
                try:
                    st = os.lstat(path)
                except OSError:
                    raise TemplateNotFound(template) from None
                if stat.S_ISLNK(st.st_mode):
                    raise TemplateProblem(
                        msg("the template '{path}' is a symbolic link: feuille does not follow links in the plan's templates.", path=str(path)),
                        msg("Replace the link with a copy of the file (a link could publish a file from outside the plan)."))
            if not stat.S_ISREG(st.st_mode):
                raise TemplateNotFound(template)
            try:
                source = path.read_bytes().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise TemplateProblem(msg("the template '{path}' is not in UTF-8 (byte {byte}).", path=str(path), byte=exc.start),
                                      msg("Save it in UTF-8.")) from None
            mtime = st.st_mtime
            return source, str(path), lambda: os.path.exists(path) and os.stat(path).st_mtime == mtime

        def list_templates(self) -> list[str]:
            return []

    return _Loader()


def make_env(plan_templates: Path | None, fmt: str, *, required: bool, compiled: Any = None) -> Any:
    """The environment: ``plan_templates`` first (when it exists: then every template runs in the sandbox), then the
    built-in templates (alone, they run without the sandbox).

    ``required``: the folder was named by the user (``--templates``), so it must exist.  ``compiled``: where feuille's
    own templates are kept compiled across runs (a Jinja bytecode cache, io/rows.py), used when they are alone.
    """

    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, select_autoescape  # noqa: PLC0415 (heavy, loaded when first needed)

    builtin = FileSystemLoader(str(importlib.resources.files("feuille.templates")))
    loaders: list[Any] = []
    if plan_templates is not None:
        if os.path.islink(plan_templates) and not required:
            raise TemplateProblem(msg("the templates folder '{path}' is a symbolic link: it is not followed.", path=str(plan_templates)),
                                  msg("Replace the link with a real folder, or give the folder you want with --templates."))
        if plan_templates.is_dir():
            loaders.append(plan_loader(plan_templates.resolve() if required else plan_templates))
        elif required:
            raise TemplateProblem(msg("the templates folder '{path}' does not exist.", path=str(plan_templates)),
                                  msg("Check the path given to --templates (a folder that holds html/, md/ or static/)."))
    if loaders:
        environment = sandbox_class()
    else:  # feuille's own templates alone: trusted, no sandbox (see the module docstring)
        environment = trusted_class()
    env = environment(
        loader=ChoiceLoader([*loaders, PrefixLoader({"default": builtin}, delimiter=":"), builtin]),
        autoescape=select_autoescape(enabled_extensions=("html", "svg"), default_for_string=fmt == "html", default=fmt == "html"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=bool(loaders),  # feuille's own templates do not change during a render: not checked on every page
        bytecode_cache=None if loaders else compiled,
    )
    return env


def _where(exc: BaseException, fallback: str) -> tuple[str, int | None]:
    """The template file and line an error happened in (Jinja puts template frames in the traceback)."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if name and line:
        return str(name), int(line)
    found: tuple[str, int | None] | None = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if not frame.filename.endswith(".py") and not frame.filename.startswith("<"):
            found = (frame.filename, frame.lineno)
    return found or (str(name or fallback), line)


def run(env: Any, name: str, context: dict[str, Any]) -> str:
    """Render the template ``name``; any failure is a :class:`TemplateProblem` naming file and line."""
    return "".join(run_chunks(env, name, context))


def run_chunks(env: Any, name: str, context: dict[str, Any]) -> Iterator[str]:
    """:func:`run`, the text given piece by piece as the template makes it (Jinja's ``generate``: a page is written
    as it is made, never held whole); any failure, even after the first pieces, is a :class:`TemplateProblem`."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError  # noqa: PLC0415 (heavy, loaded when first needed)
    from jinja2.sandbox import SecurityError  # noqa: PLC0415 (heavy, loaded when first needed)

    try:
        yield from env.get_template(name).generate(context)
    except TemplateProblem:
        raise
    except TemplateNotFound as exc:
        raise TemplateProblem(msg("template not found: {name}.", name=str(exc.name)),
                              msg("Check the template's name (docs/templates.md lists the templates and their blocks).")) from None
    except RecursionError:
        raise TemplateProblem(msg("the template '{name}' calls itself without end (extends or include in a loop).", name=name),
                              msg("Check its {extends} and {include}.", extends="{% extends %}", include="{% include %}")) from None
    except Exception as exc:  # noqa: BLE001 - template code is untrusted: every failure is explained, none shown as a traceback
        file, line = _where(exc, name)
        at = msg("'{file}' (line {line})", file=file, line=line) if line else msg("'{file}'", file=file)
        if isinstance(exc, SecurityError) or (isinstance(exc, UndefinedError) and "unsafe" in str(exc)):
            m = re.search(r"attribute '([^']*)' of '([^']*)'", str(exc))
            what: str | Msg = msg("to the attribute '{attr}' of a '{type}' object", attr=m.group(1), type=m.group(2)) if m else f"({exc})"
            raise TemplateProblem(
                msg("the template {at} attempts a forbidden access {what}: it was stopped, nothing was written.", at=at, what=what),
                msg("A template only has access to the plan's data described in docs/templates.md (not to '_' attributes, "
                    "files, modules or classes); see docs/security.md.")) from None
        kind: str | Msg = msg("syntax") if isinstance(exc, TemplateSyntaxError) else type(exc).__name__
        message = getattr(exc, "message", None) or str(exc)
        raise TemplateProblem(msg("error in the template {at} ({kind}): {message}", at=at, kind=kind, message=message), CHECK_TEMPLATES) from None
