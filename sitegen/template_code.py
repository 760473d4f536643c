"""The Python code templates compile to: Jinja's, with two shorter paths.

A fact sheet reads some four hundred attributes and makes some three hundred calls, and
Jinja's code routes each through a Python function of the environment or the context
(``environment.getattr``, ``context.call``). Both paths here give exactly Jinja's
results and errors; they only skip the function where it would do nothing:

- ``a.b`` reads the attribute with the built-in ``getattr(a, "b", missing)``; only when
  there is no such attribute does it go to ``environment.getattr`` (which then tries
  ``a["b"]`` and else gives an undefined value, as always).
- ``f(x)``, where ``f`` is a macro, one of the helpers sitegen installs as globals, or a
  method of one of sitegen's classes, and takes no context (:func:`namespace`), calls
  ``f`` itself; any other callable goes to ``context.call`` as before, with the same
  arguments. Call blocks (``{% call %}``) keep Jinja's code.

The walrus names (``_sg_*``) are locals of the compiled functions. Python evaluates a
call's callee before its arguments and an attribute's object before the attribute, so
nested uses of the same name never see each other's values.
"""

from __future__ import annotations

import functools
import io
import types
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.runtime import Macro

# Compiled code depends on this module: a change here must change CODE_VERSION, which
# is part of the compiled-template cache's key.
CODE_VERSION = 1

MARKABLE = (types.FunctionType, partial)
# Past this many attribute reads in one expression, Jinja's code is kept: the shorter
# path nests three brackets deep per read, and Python's parser allows 200.
MAX_READS = 20


def is_plain(obj: Any) -> bool:
    """Whether Jinja's ``Context.call`` would call ``obj`` as it is: a function, partial,
    bound method or built-in without the ``pass_context`` (or eval context, or
    environment) mark. Such callables carry the mark, if at all, in their own
    ``__dict__`` (a bound method in its function's)."""
    target = obj.__func__ if type(obj) is types.MethodType else obj
    if type(target) is types.BuiltinFunctionType:
        return True
    return isinstance(target, MARKABLE) and "jinja_pass_arg" not in target.__dict__


def namespace(values: Mapping[str, Any], modules: Iterable[types.ModuleType]) -> dict[str, Any]:
    """What the compiled code of a template refers to, for its environment's globals
    (``values``) and the classes of ``modules`` whose methods templates call.

    ``_sg_direct`` holds, by identity, the plain callables among the globals and the
    plain functions of those classes: each object is held there, so no other object can
    take its ``id`` while the compiled code looks it up."""
    direct = {id(value): value for value in values.values() if is_plain(value)}
    for module in modules:
        direct.update(_plain_methods(module))
    return {"_sg_direct": direct, "_sg_method": types.MethodType, "_sg_macro": Macro,
            "_sg_partial": partial}


@functools.cache  # every template of every language asks for the same modules
def _plain_methods(module: types.ModuleType) -> dict[int, Any]:
    """The plain functions of the classes defined in ``module``, by identity."""
    found = {}
    for cls in vars(module).values():
        if isinstance(cls, type) and cls.__module__ == module.__name__:
            for member in vars(cls).values():
                function = getattr(member, "__func__", member)  # static, class methods
                if type(function) is types.FunctionType and is_plain(function):
                    found[id(function)] = function
    return found


class SiteCodeGenerator(CodeGenerator):
    """Jinja's code generator with the two shorter paths of the module docstring."""

    def _plain_code(self) -> bool:
        return not (self.environment.is_async or self.environment.sandboxed)

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        if not self._plain_code() or _count(node, nodes.Getattr) > MAX_READS:
            CodeGenerator.visit_Getattr(self, node, frame)
            return
        self.write("(_sg_a if (_sg_a := getattr(_sg_o := ")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r}, missing)) is not missing else "
                   f"environment.getattr(_sg_o, {node.attr!r}))")

    @optimizeconst
    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        if forward_caller or not self._plain_code():
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        # The callee, then the arguments: (f if f is known plain else bound(f))(args)
        self.write("(_sg_f if id(_sg_f := ")
        self.visit(node.node, frame)
        self.write(") in _sg_direct or type(_sg_f) is _sg_method and id(_sg_f.__func__) in "
                   "_sg_direct or type(_sg_f) is _sg_macro else _sg_partial(context.call, _sg_f")
        if frame.loop_frame:
            self.write(", _loop_vars=_loop_vars")
        if frame.block_frame:
            self.write(", _block_vars=_block_vars")
        self.write("))(")
        self.write(self._captured(lambda: self.signature(node, frame))[2:])
        self.write(")")

    def _captured(self, write: Callable[[], None]) -> str:
        """What ``write()`` writes, as text, rather than into the code."""
        stream, self.stream = self.stream, io.StringIO()
        try:
            write()
            return self.stream.getvalue()
        finally:
            self.stream = stream


def _count(node: nodes.Node, kind: type[nodes.Node]) -> int:
    """How many nodes of ``kind`` ``node`` is or holds."""
    return isinstance(node, kind) + sum(1 for _ in node.find_all(kind))
