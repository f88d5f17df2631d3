"""``torch.autograd.functional``: derivatives of a Python function, built on ``autograd.grad``.

For ``func`` taking inputs x (a Tensor or a tuple of them) to outputs y, with Jacobian J = ∂y/∂x
and, for a scalar y, Hessian H = ∂²y/∂x²:

- ``vjp(func, x, v)``  = vᵀJ, one backward pass with ``v`` as the outputs' gradient;
- ``jvp(func, x, v)``  = Jv, by the double-backward trick: u ↦ uᵀJ is linear in u, so
  differentiating it with respect to u, in the direction v, gives (∂(uᵀJ)/∂u) v = Jv;
- ``jacobian(func, x)`` = J, one backward pass per output element (row by row);
- ``hessian(func, x)``  = H, the Jacobian of the gradient;
- ``vhp(func, x, v)``  = vᵀH, the backward of the gradient; ``hvp`` = Hv, by the trick again.

Every function runs ``func`` on fresh Tensors that require grad (so ``func`` can capture the
caller's own inputs without mixing them up), with grad mode on; results are detached unless
``create_graph=True``. ``strict=True`` turns "this output does not depend on that input" from a
zero into an error, in torch's words. The structure of the result follows torch exactly: a
Tensor where the caller gave a Tensor, a tuple where they gave a tuple.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.grad_mode import set_grad_enabled, state
from ..core.tensor import Tensor
from ..torch_compat.autograd_api import grad as autograd_grad
from ..torch_compat.factories import zeros_like
from ..torch_compat.functions import stack

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]

Tensors = Tensor | tuple[Tensor, ...]


# -- inputs and outputs as tuples, and back --------------------------------------------------------


def _as_tuple(value: Any, name: str, function: str) -> tuple[bool, tuple[Tensor, ...]]:
    """``value`` as a tuple of Tensors, and whether it was a tuple (torch's TypeError if not)."""
    was_tuple = isinstance(value, tuple)
    items = value if was_tuple else (value,)
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            what = f"value at index {i}" if was_tuple else f"given {name}"
            raise TypeError(
                f"The {name} given to {function} must be either a Tensor or a tuple of Tensors "
                f"but the {what} has type {type(item)}."
            )
    return was_tuple, items


def _unpack(result: tuple[Any, ...], was_tuple: bool) -> Any:
    """Undo ``_as_tuple``: the one element when the caller gave no tuple."""
    return result if was_tuple else result[0]


def _unpack2(result: tuple[tuple[Any, ...], ...], outer: bool, inner: bool) -> Any:
    """``_unpack`` of a tuple (per output) of tuples (per input)."""
    if not inner:
        result = tuple([row[0] for row in result])
    return _unpack(result, outer)


def _fresh(tensors: tuple[Tensor, ...], create_graph: bool, need_graph: bool) -> tuple[Tensor, ...]:
    """New Tensor objects for ``func`` to differentiate against: a view (still linked to the
    caller's graph) when ``create_graph`` and the tensor requires grad, else a detached copy
    that requires grad if ``need_graph``."""
    return tuple(
        [
            t.view_as(t)
            if create_graph and t.requires_grad
            else t.detach().requires_grad_(need_graph)
            for t in tensors
        ]
    )


def _finished(result: Any, create_graph: bool) -> Any:
    """The results handed back: detached unless ``create_graph`` (nested tuples too)."""
    if isinstance(result, tuple):
        return tuple([_finished(r, create_graph) for r in result])
    return result if create_graph else result.detach()


def _check_v(v: tuple[Tensor, ...], like: tuple[Tensor, ...], like_is_tuple: bool) -> None:
    """``v`` must match ``like`` (the outputs for a vjp, the inputs otherwise) in number and
    shapes."""
    if len(v) != len(like):
        if like_is_tuple:
            raise RuntimeError(
                f"v is a tuple of invalid length: should be {len(like)} but got {len(v)}."
            )
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (a, b) in enumerate(zip(v, like)):
        if a.size() != b.size():
            where = f"Entry {i} in " if like_is_tuple else ""
            raise RuntimeError(
                f"{where}v has invalid size: should be {b.size()} but got {a.size()}."
            )


def _vector(
    v: Any,
    like: tuple[Tensor, ...],
    like_is_tuple: bool,
    create_graph: bool,
    function: str,
    missing: str,
) -> tuple[Tensor, ...] | None:
    """The checked ``v`` as a tuple; None (a gradient of 1) only for a one-element ``like``."""
    if v is None:
        if len(like) != 1 or like[0].numel() != 1:
            raise RuntimeError(missing)
        return None
    _, v = _as_tuple(v, "v", function)
    v = _fresh(v, create_graph, need_graph=False)
    _check_v(v, like, like_is_tuple)
    return v


# -- strict mode: torch's errors for a result that does not depend on the inputs ----------------

_STRICT_NO_GRAD = {
    "outputs": (
        "Output {i} of the user-provided function does not require gradients. The outputs must "
        "be computed in a differentiable manner from the input when running in strict mode."
    ),
    "grad_inputs": (
        "The gradient with respect to input {i} is independent of the inputs of the "
        "user-provided function. This is not allowed in strict mode."
    ),
    "jacobian": (
        "While computing the hessian, found that the jacobian of the user-provided function with "
        "respect to input {i} is independent of the input. This is not allowed in strict mode. "
        "You should ensure that your function is twice differentiable and that the jacobian "
        "depends on the inputs (this would be violated by a linear function for example)."
    ),
    "hessian": (
        "The hessian of the user-provided function with respect to input {i} is independent of "
        "the input. This is not allowed in strict mode. You should ensure that your function is "
        "thrice differentiable and that the hessian depends on the inputs."
    ),
}

_STRICT_NONE = {
    "back": (
        "The output of the user-provided function is independent of input {i}. This is not "
        "allowed in strict mode."
    ),
    "back_trick": (
        "The gradient with respect to the input is independent of entry {i} in the grad_outputs "
        "when using the double backward trick to compute forward mode gradients. This is not "
        "allowed in strict mode."
    ),
    "double_back": (
        "The jacobian of the user-provided function is independent of input {i}. This is not "
        "allowed in strict mode."
    ),
    "double_back_trick": (
        "The hessian of the user-provided function is independent of entry {i} in the "
        "grad_jacobian. This is not allowed in strict mode as it prevents from using the double "
        "backward trick to replace forward mode AD."
    ),
}


def _require_grad(tensors: tuple[Tensor | None, ...], kind: str, strict: bool) -> None:
    """In strict mode, every one of ``tensors`` must exist and require grad."""
    if not strict:
        return
    for i, t in enumerate(tensors):
        if t is None:
            raise RuntimeError(_STRICT_NONE["back"].format(i=i))
        if not t.requires_grad:
            raise RuntimeError(_STRICT_NO_GRAD[kind].format(i=i))


def _zeros_for_none(
    grads: tuple[Tensor | None, ...],
    like: tuple[Tensor, ...],
    strict: bool,
    create_graph: bool,
    stage: str,
) -> tuple[Tensor, ...]:
    """A gradient that is None (its input was not used) is zeros, or an error in strict mode;
    with ``create_graph`` a strict result must also require grad."""
    filled = []
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                raise RuntimeError(_STRICT_NONE[stage].format(i=i))
            g = zeros_like(like[i])
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(
                f"The {what} of the user-provided function is independent of input {i}. This is "
                "not allowed in strict mode when create_graph=True."
            )
        filled.append(g)
    return tuple(filled)


def _grad(
    outputs: tuple[Tensor | None, ...],
    inputs: tuple[Tensor, ...],
    grad_outputs: tuple[Tensor | None, ...] | None = None,
    create_graph: bool = False,
    retain_graph: bool | None = None,
) -> tuple[Tensor | None, ...]:
    """``autograd.grad`` over the outputs that require grad (the others contribute nothing);
    None for an input no output depends on."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    return autograd_grad(
        [o for o, _ in pairs],
        list(inputs),
        [g for _, g in pairs],
        retain_graph=retain_graph,
        create_graph=create_graph,
        allow_unused=True,
    )


def _call(
    func: Callable[..., Any], inputs: tuple[Tensor, ...], function: str, strict: bool
) -> tuple[bool, tuple[Tensor, ...]]:
    """``func(*inputs)`` as a tuple of Tensors, and whether it returned a tuple."""
    was_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", function)
    _require_grad(outputs, "outputs", strict)
    return was_tuple, outputs


def _scalar_output(outputs: tuple[Tensor, ...], was_tuple: bool, function: str) -> None:
    """vhp, hvp and hessian need ``func`` to return one Tensor of one element."""
    if was_tuple:
        raise RuntimeError(f"The function given to {function} should return a single Tensor")
    if outputs[0].numel() != 1:
        raise RuntimeError(
            f"The Tensor returned by the function given to {function} should contain a single "
            "element"
        )


# -- the products ------------------------------------------------------------------------------


def vjp(
    func: Callable[..., Any],
    inputs: Tensors,
    v: Tensors | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), vᵀJ)``: the vector-Jacobian product, shaped as the inputs. ``v`` is
    shaped as the outputs; it may be left out when the output has one element."""
    with set_grad_enabled(True):
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _fresh(inputs, create_graph, need_graph=True)
        outputs_tuple, outputs = _call(func, inputs, "vjp", strict)
        v = _vector(v, outputs, outputs_tuple, create_graph, "vjp", _NO_V_OUTPUT)
    with set_grad_enabled(create_graph or state.grad_enabled):
        grads = _grad(outputs, inputs, v, create_graph=create_graph)
        result = _zeros_for_none(grads, inputs, strict, create_graph, "back")
    return (
        _unpack(_finished(outputs, create_graph), outputs_tuple),
        _unpack(_finished(result, create_graph), inputs_tuple),
    )


def jvp(
    func: Callable[..., Any],
    inputs: Tensors,
    v: Tensors | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), Jv)``: the Jacobian-vector product, shaped as the outputs. ``v`` is
    shaped as the inputs; it may be left out when the input has one element.

    By the double-backward trick: with u a placeholder gradient of the outputs, g(u) = uᵀJ is
    linear in u, and the vjp of g with ``v`` is vᵀ(∂g/∂u) = vᵀJᵀ = (Jv)ᵀ. u's value never
    enters the result (zeros will do); only its graph does."""
    with set_grad_enabled(True):
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _fresh(inputs, create_graph, need_graph=True)
        v = _vector(v, inputs, inputs_tuple, create_graph, "jvp", _NO_V_INPUT)
        outputs_tuple, outputs = _call(func, inputs, "jvp", strict)
        u = tuple([zeros_like(o, requires_grad=True) for o in outputs])
        uJ = _grad(outputs, inputs, u, create_graph=True)
        _require_grad(uJ, "grad_inputs", strict)
    with set_grad_enabled(create_graph or state.grad_enabled):
        grads = _grad(uJ, u, v, create_graph=create_graph)
        result = _zeros_for_none(grads, outputs, strict, create_graph, "back_trick")
    return (
        _unpack(_finished(outputs, create_graph), outputs_tuple),
        _unpack(_finished(result, create_graph), outputs_tuple),
    )


def vhp(
    func: Callable[..., Any],
    inputs: Tensors,
    v: Tensors | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), vᵀH)`` for a ``func`` with one scalar output: the backward, with ``v``,
    of its gradient."""
    with set_grad_enabled(True):
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vhp")
        inputs = _fresh(inputs, create_graph, need_graph=True)
        v = _vector(v, inputs, inputs_tuple, create_graph, "vhp", _NO_V_INPUT)
        outputs_tuple, outputs = _call(func, inputs, "vhp", strict)
        _scalar_output(outputs, outputs_tuple, "vhp")
        gradient = _grad(outputs, inputs, create_graph=True)
        _require_grad(gradient, "jacobian", strict)
    with set_grad_enabled(create_graph or state.grad_enabled):
        grads = _grad(gradient, inputs, v, create_graph=create_graph)
        result = _zeros_for_none(grads, inputs, strict, create_graph, "double_back")
    return (
        _unpack(_finished(outputs, create_graph), outputs_tuple),
        _unpack(_finished(result, create_graph), inputs_tuple),
    )


def hvp(
    func: Callable[..., Any],
    inputs: Tensors,
    v: Tensors | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), Hv)`` for a ``func`` with one scalar output: the double-backward trick
    (see ``jvp``) applied to its gradient. Equal to ``vhp`` when H is symmetric."""
    with set_grad_enabled(True):
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hvp")
        inputs = _fresh(inputs, create_graph, need_graph=True)
        v = _vector(v, inputs, inputs_tuple, create_graph, "hvp", _NO_V_INPUT)
        outputs_tuple, outputs = _call(func, inputs, "hvp", strict)
        _scalar_output(outputs, outputs_tuple, "hvp")
        gradient = _grad(outputs, inputs, create_graph=True)
        _require_grad(gradient, "jacobian", strict)
        u = tuple([zeros_like(x, requires_grad=True) for x in inputs])
        uH = _grad(gradient, inputs, u, create_graph=True)
        _require_grad(gradient, "hessian", strict)  # torch checks the gradient here, not uH
    with set_grad_enabled(create_graph or state.grad_enabled):
        grads = _grad(uH, u, v, create_graph=create_graph)
        result = _zeros_for_none(grads, inputs, strict, create_graph, "double_back_trick")
    return (
        _unpack(_finished(outputs, create_graph), outputs_tuple),
        _unpack(_finished(result, create_graph), inputs_tuple),
    )


_NO_V_OUTPUT = (
    "The vector v can only be None if the user-provided function returns a single Tensor with a "
    "single element."
)
_NO_V_INPUT = (
    "The vector v can only be None if the input to the user-provided function is a single "
    "Tensor with a single element."
)


# -- whole matrices ------------------------------------------------------------------------------


def jacobian(
    func: Callable[..., Any],
    inputs: Tensors,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """The Jacobian of ``func`` at ``inputs``: for output i and input j, a Tensor of shape
    ``output_i.shape + input_j.shape``. Nested as torch nests it: a Tensor for one input and one
    output, a tuple over the inputs or the outputs, a tuple (outputs) of tuples (inputs).

    Row k (output element k) is the gradient of that element: ∂y_k/∂x, one backward pass each.
    ``vectorize=True`` computes the same rows by the same loop (torch batches them with vmap).
    ``strategy="forward-mode"`` (torch: with ``vectorize=True`` only) gives the same matrix,
    computed here in reverse mode too: this package has no forward-mode AD."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            'Otherwise, prefer to use "reverse-mode".'
        )
    if strategy == "forward-mode":
        _check_forward_mode(create_graph, strict, vectorize, inputs)
    with set_grad_enabled(True):
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _fresh(inputs, create_graph, need_graph=True)
        outputs_tuple, outputs = _call(func, inputs, "jacobian", strict)
        if vectorize and strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                "supported together. Please either set `strict=False` or `vectorize=False`."
            )
        matrices = tuple(
            [_jacobian_of(out, i, inputs, create_graph, strict) for i, out in enumerate(outputs)]
        )
        return _unpack2(_finished(matrices, create_graph), outputs_tuple, inputs_tuple)


def _jacobian_of(
    out: Tensor, i: int, inputs: tuple[Tensor, ...], create_graph: bool, strict: bool
) -> tuple[Tensor, ...]:
    """Per input, the Jacobian of output ``i``: its rows ∂out_k/∂x stacked, then shaped."""
    rows: list[list[Tensor]] = [[] for _ in inputs]
    flat = out.reshape(-1)
    for k in range(out.numel()):
        grads = _grad((flat[k],), inputs, retain_graph=True, create_graph=create_graph)
        for j, (g, x) in enumerate(zip(grads, inputs)):
            if g is None:
                if strict:
                    raise RuntimeError(
                        f"Output {i} of the user-provided function is independent of input "
                        f"{j}. This is not allowed in strict mode."
                    )
                g = zeros_like(x)
            elif strict and create_graph and not g.requires_grad:
                raise RuntimeError(
                    f"The jacobian of the user-provided function is independent of input {i}. "
                    "This is not allowed in strict mode when create_graph=True."
                )
            rows[j].append(g)
    # an output with no elements has no rows: torch's stack error, as in torch
    return tuple(
        [stack(r, 0).view(tuple(out.shape) + tuple(x.shape)) for r, x in zip(rows, inputs)]
    )


def _check_forward_mode(create_graph: bool, strict: bool, vectorize: bool, inputs: Any) -> None:
    """torch's errors, in its order, for what its forward-mode Jacobian does not support."""
    if create_graph:
        raise NotImplementedError(
            "torch.autograd.functional.jacobian: `create_graph=True` and "
            '`strategy="forward-mode"` are not supported together (yet). Please either set '
            '`create_graph=False` or `strategy="reverse-mode"`.'
        )
    if strict:
        raise RuntimeError(
            "torch.autograd.functional.jacobian: `strict=True` and "
            '`strategy="forward-mode"` are not supported together (yet). Please either set '
            '`strict=False` or `strategy="reverse-mode"`.'
        )
    _as_tuple(inputs, "inputs", "jacobian")
    if not vectorize:
        raise NotImplementedError(
            "Computing Jacobian using forward-AD or forward-over-reverse Hessian is"
            "only implemented for `vectorize=True`."
        )


def hessian(
    func: Callable[..., Any],
    inputs: Tensors,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """The Hessian of ``func`` (one scalar output) at ``inputs``: the Jacobian of its gradient.
    For inputs i and j a Tensor of shape ``input_i.shape + input_j.shape``; a Tensor for one
    input, a tuple of tuples for a tuple of inputs."""
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def scalar(*xs: Tensor) -> Tensor:
        out = func(*xs)
        was_tuple, outs = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _require_grad(outs, "outputs", strict)
        _scalar_output(outs, was_tuple, "hessian")
        return out.squeeze()

    def gradient(*xs: Tensor) -> tuple[Tensor, ...]:
        g = jacobian(scalar, xs, create_graph=True)
        _require_grad(g, "jacobian", strict)
        return g

    matrix = jacobian(
        gradient,
        inputs,
        create_graph=create_graph,
        strict=strict,
        vectorize=vectorize,
        strategy=outer_jacobian_strategy,
    )
    return _unpack2(matrix, inputs_tuple, inputs_tuple)
