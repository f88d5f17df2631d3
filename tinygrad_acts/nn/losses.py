"""The loss functions of ``torch.nn.functional``: how far a prediction is from its target.

Each returns the loss per element (``reduction='none'``), its sum (``'sum'``) or its mean
(``'mean'``, the default). They are built from ops that are stable at extreme inputs:

- ``cross_entropy`` is ``nll_loss`` of ``log_softmax`` — never log of a softmax that has
  underflowed to 0 — so logits of ±1e4 give finite losses and gradients (softmax - onehot).
- ``binary_cross_entropy_with_logits`` is (1 - y)·x - log σ(x), with ``logsigmoid`` stable at
  both ends, instead of the BCE of a sigmoid that has rounded to 0 or 1.
- ``binary_cross_entropy`` takes probabilities, so it clamps each log at -100 as torch does:
  a prediction of exactly 0 or 1 costs 100, not infinity.
- ``smooth_l1_loss`` and ``huber_loss`` square the difference only where it is small, so an
  infinite one has the gradient of the linear part (±1 or ±δ), not 0·inf.

Argument checks raise torch's errors, in torch's words.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ..core.function import NODE_NAMES, Function, Node
from ..core.ops import Log
from ..core.tensor import Tensor
from ..ops.basic import Clamp, TakeAlong, where
from ..torch_compat.dtypes import cast_refusal, result_type, torch_dtype_name
from ..torch_compat.nodes import name_node
from .activations import log_softmax, logsigmoid

_REDUCTIONS = ("none", "mean", "sum")

# The floor of x(1 - x) in BCE's gradient: torch's 1e-12, which it stores as a float32.
_BCE_EPSILON = float(np.float32(1e-12))

# -- argument checks ---------------------------------------------------------------------------


def _reduction(
    size_average: bool | None, reduce: bool | None, reduction: str, weighted: bool = False
) -> str:
    """The reduction, from ``reduction`` or torch's deprecated ``size_average``/``reduce``.
    With per-element weights torch checks it later, in other words."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = ("mean" if size_average else "sum") if reduce else "none"
        warnings.warn(
            "size_average and reduce args will be deprecated, please use "
            f"reduction='{reduction}' instead.",
            UserWarning,
            stacklevel=3,
        )
    if reduction not in _REDUCTIONS:
        if weighted:
            raise ValueError(
                f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'."
            )
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _tensor(name: str, arg: str, position: int, value: Any) -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{name}(): argument '{arg}' (position {position}) must be Tensor, "
            f"not {type(value).__name__}"
        )
    return value


def _optional_tensor(name: str, arg: str, position: int, value: Any) -> Tensor | None:
    """``None`` or a Tensor (weights), with torch's words for anything else."""
    return None if value is None else _tensor(name, arg, position, value)


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _same_size_warning(input: Tensor, target: Tensor) -> None:
    if target.array.shape != input.array.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )


def _weighted(loss: Tensor, weight: Tensor | None, input: Tensor, reduction: str) -> Tensor:
    """mse/l1 with per-element weights: Σ w·ℓ / Σ w for 'mean', as torch."""
    if weight is None:
        return _reduce(loss, reduction)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    if reduction == "mean":
        return loss.sum() / weight.sum()
    return _reduce(loss, reduction)


# -- regression --------------------------------------------------------------------------------


class MseLoss(Function):
    """ℓ = Σ (x - y)² over the elements, divided by their number n for 'mean', or each
    (x - y)² for 'none' (the reduction decides c: c = 2/n for 'mean', else 2).

    ∂ℓ/∂x = c·(x - y)·g,   ∂ℓ/∂y = c·(y - x)·g   (torch's ``mse_loss_backward``)

    Saves both inputs, as torch's ``MseLossBackward0``: one node for the loss, not a
    subtraction, a square and a mean.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, y: np.ndarray, *, reduction: str) -> np.ndarray:
        ctx.save_for_backward(x, y)
        ctx.scale = 2.0 / max(x.size, 1) if reduction == "mean" else 2.0
        squares = np.subtract(x, y)
        squares *= squares  # in place: the difference is a new array
        if reduction == "none":
            return squares
        total = squares.sum()
        return np.asarray(total / squares.size if reduction == "mean" else total, x.dtype)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        need_x, need_y = ctx.needs_input_grad
        c = ctx.scale
        return (c * (x - y) * grad if need_x else None, c * (y - x) * grad if need_y else None)


NODE_NAMES[MseLoss] = lambda node: "MseLossBackward0"  # torch's one name, for every reduction


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """ℓ = (x - y)².   ∂ℓ/∂x = 2(x - y), divided by the number of elements for 'mean'.

    A target of another shape is broadcast, with torch's warning.
    """
    input = _tensor("mse_loss", "input", 1, input)
    target = _tensor("mse_loss", "target", 2, target)
    weight = _optional_tensor("mse_loss", "weight", 6, weight)
    _same_size_warning(input, target)
    reduction = _reduction(size_average, reduce, reduction, weighted=weight is not None)
    x, y = input.array, target.array
    if weight is None and x.shape == y.shape and x.dtype == y.dtype and x.dtype.char in "fd":
        return MseLoss.apply(input, target, reduction=reduction)
    # broadcasting, promotion, float16 (summed in float32) and weights: the general ops
    loss = _weighted((input - target) ** 2, weight, input, reduction)
    return loss if weight is not None else name_node(loss, "MseLossBackward0")


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """ℓ = |x - y|.   ∂ℓ/∂x = sign(x - y), and 0 where x = y (torch's convention)."""
    input = _tensor("l1_loss", "input", 1, input)
    target = _tensor("l1_loss", "target", 2, target)
    weight = _optional_tensor("l1_loss", "weight", 6, weight)
    _same_size_warning(input, target)
    reduction = _reduction(size_average, reduce, reduction, weighted=weight is not None)
    return _weighted((input - target).abs(), weight, input, reduction)


def _huber_terms(d: Tensor, delta: float, scale: float = 1.0) -> Tensor:
    """½d² where |d| < δ, δ(|d| - ½δ) elsewhere, each divided by ``scale``.

    ∂/∂d = d/scale inside, δ·sign(d)/scale outside: the two agree at |d| = δ, and there the
    second derivative is 0, as in torch (|d| < δ is strict). The square is taken of d only
    inside (0 elsewhere), so at d = ±inf the gradient is δ·sign(d), not 0·inf.
    """
    inside = np.abs(d.array) < delta
    small = where(inside, d, 0.0)
    return where(inside, 0.5 * small * small / scale, (d.abs() - 0.5 * delta) * (delta / scale))


def _floating_loss(kernel: str, input: Tensor, target: Tensor) -> np.dtype:
    """The dtype the loss is computed in; torch's refusal when it is not a float."""
    dtype = result_type(input, target)
    if dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{torch_dtype_name(dtype)}'")
    return dtype


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """ℓ = ½(x - y)²/β where |x - y| < β, |x - y| - ½β elsewhere (l1 for β = 0).

    ∂ℓ/∂x = (x - y)/β inside, sign(x - y) outside (continuous at |x - y| = β).
    """
    input = _tensor("smooth_l1_loss", "input", 1, input)
    target = _tensor("smooth_l1_loss", "target", 2, target)
    _same_size_warning(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if beta == 0.0:
        return l1_loss(input, target, reduction=reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    _floating_loss("smooth_l1_cpu", input, target)
    loss = _reduce(_huber_terms(input - target, beta, scale=beta), reduction)
    return name_node(loss, "SmoothL1LossBackward0")


def huber_loss(
    input: Tensor,
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    """ℓ = ½(x - y)² where |x - y| < δ, δ(|x - y| - ½δ) elsewhere: δ·smooth_l1 with β = δ.

    ∂ℓ/∂x = x - y inside, δ·sign(x - y) outside. The loss has the input's dtype, as torch's.
    With ``weight``, each term is multiplied by it and 'mean' is the mean of the products.
    """
    input = _tensor("huber_loss", "input", 1, input)
    target = _tensor("huber_loss", "target", 2, target)
    weight = _optional_tensor("huber_loss", "weight", 5, weight)
    _same_size_warning(input, target)
    reduction = _reduction(None, None, reduction, weighted=weight is not None)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    dtype = _floating_loss("huber_cpu", input, target)
    if input.dtype.kind != "f":
        raise cast_refusal(dtype, input.dtype)
    loss = _huber_terms(input - target, delta)
    loss = loss if loss.dtype == input.dtype else loss.to(input.dtype)
    if weight is not None:
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        loss = loss * weight
    return name_node(_reduce(loss, reduction), "HuberLossBackward0")


# -- binary classification ---------------------------------------------------------------------


class BinaryCrossEntropy(Function):
    """ℓ(x, y) = -(y·log x + (1 - y)·log(1 - x)) for a probability x, each log clamped ≥ -100.

    ∂ℓ/∂x = (x - y) / max(x(1 - x), ε)   (torch's formula, ε ≈ 1e-12: finite at x = 0 and 1)
    ∂ℓ/∂y = log(1 - x) - log x

    Saves both inputs.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x, y)
        # log 0 = -inf, then clamped to -100
        log_x = np.maximum(np.log(x), -100.0)
        log_1mx = np.maximum(np.log1p(-x), -100.0)
        return (y - 1) * log_1mx - y * log_x

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        x, y = ctx.saved_tensors
        need_x, need_y = ctx.needs_input_grad
        grad_x = grad * (x - y) / Clamp.apply(x * (1 - x), min=_BCE_EPSILON) if need_x else None
        grad_y = grad * (Log.apply(1 - x) - Log.apply(x)) if need_y else None
        return grad_x, grad_y


def _not_differentiable(function: str, **arguments: Tensor | None) -> None:
    """torch's refusal of a weight that requires grad where its loss has no gradient for it."""
    for name, value in arguments.items():
        if value is not None and value.requires_grad:
            raise RuntimeError(
                f"The function '{function}' is not differentiable with respect to argument "
                f"'{name}'. This input cannot have requires_grad True."
            )


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """ℓ = -w·(y·log x + (1 - y)·log(1 - x)) for probabilities x ∈ [0, 1] (see the op)."""
    input = _tensor("binary_cross_entropy", "input", 1, input)
    target = _tensor("binary_cross_entropy", "target", 2, target)
    weight = _optional_tensor("binary_cross_entropy", "weight", 3, weight)
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size."
        )
    if target.dtype != input.dtype:  # no promotion here, as torch
        expected, found = torch_dtype_name(input.dtype), torch_dtype_name(target.dtype)
        raise RuntimeError(f"Found dtype {found} but expected {expected}")
    # "not inside" rather than "outside": a NaN is refused too, as torch does
    if not np.all((input.array >= 0) & (input.array <= 1)):
        raise RuntimeError("all elements of input should be between 0 and 1")
    if not np.all((target.array >= 0) & (target.array <= 1)):
        raise RuntimeError("all elements of target should be between 0 and 1")
    _not_differentiable("binary_cross_entropy", weight=weight)
    loss = BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        loss = loss * weight
    return name_node(_reduce(loss, reduction), "BinaryCrossEntropyBackward0")


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """BCE of σ(x), computed from the logit x without forming σ(x):

    ℓ = (1 - y)·x - log σ(x)                 (= -(y log σ(x) + (1 - y) log σ(-x)))
    ℓ = (1 - y)·x - (1 + (p - 1)y)·log σ(x)  with ``pos_weight`` p (weighs the positives)
    ∂ℓ/∂x = σ(x) - y                         (without pos_weight)
    """
    input = _tensor("binary_cross_entropy_with_logits", "input", 1, input)
    target = _tensor("binary_cross_entropy_with_logits", "target", 2, target)
    weight = _optional_tensor("binary_cross_entropy_with_logits", "weight", 3, weight)
    pos_weight = _optional_tensor("binary_cross_entropy_with_logits", "pos_weight", 7, pos_weight)
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape})"
        )
    if target.dtype.kind != "f":  # torch computes into the target's type, and refuses ints
        raise cast_refusal(input.dtype, target.dtype)
    _not_differentiable("binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight)
    log_sigmoid = logsigmoid(input)
    if pos_weight is not None:
        log_sigmoid = (1 + (pos_weight - 1) * target) * log_sigmoid
    loss = (1 - target) * input - log_sigmoid
    if weight is not None:
        loss = loss * weight
    return name_node(_reduce(loss, reduction), "BinaryCrossEntropyWithLogitsBackward0")


# -- classification over C classes -------------------------------------------------------------


def _check_class_target(input: Tensor, target: Tensor) -> None:
    """torch's checks of class-index targets against an input of shape (C,), (N, C, d1, ...)."""
    if input.ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    if input.ndim == 1:
        if target.ndim > 1 or (target.ndim == 1 and target.shape[0] != 1):
            raise ValueError(
                "For 1D input, 1D target must have size 1, but got target size: "
                f"{target.shape[0] if target.ndim == 1 else list(target.shape)}"
            )
    elif input.ndim == 2 and target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    else:
        batch = target.shape[0] if target.ndim else 1
        if input.shape[0] != batch:
            raise ValueError(
                f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                f"({batch})."
            )
        expected = (input.shape[0], *input.shape[2:])
        if target.shape != expected:
            raise RuntimeError(f"Expected target size {list(expected)}, got {list(target.shape)}")
    if target.dtype not in (np.int64, np.uint8):
        name = torch_dtype_name(target.dtype)
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {name}")


def _one_sample(input: Tensor, target: Tensor) -> Tensor:
    """A (C,) input's class given as a 1-element vector: one sample, as torch takes it."""
    return target.reshape(()) if input.ndim == 1 and target.shape == (1,) else target


def _check_class_weight(weight: Tensor | None, n_classes: int) -> None:
    if weight is not None and weight.shape != (n_classes,):
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no "
            f"classes but got weight tensor of shape: {list(weight.shape)}"
        )


def _class_weights(
    target: np.ndarray, weight: Tensor | None, ignore_index: int, n_classes: int, dtype: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Each target's class (0 where ignored) and its weight w[y] (0 where ignored).

    Raises torch's IndexError for the first class index outside 0 … C-1.
    """
    keep = target != ignore_index
    bad = keep & ((target < 0) | (target >= n_classes))
    if np.any(bad):
        raise IndexError(f"Target {target[bad].flat[0]} is out of bounds.")
    classes = np.where(keep, target, 0).astype(np.int64)
    w = np.ones(n_classes, dtype=dtype) if weight is None else weight.array.astype(dtype)
    return classes, w[classes] * keep


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of class indices: ℓ_n = -w[y_n]·x[n, y_n].

    ``input`` holds log-probabilities, shape (C,), (N, C) or (N, C, d1, ...); ``target`` the
    class of each sample, shape (), (N,) or (N, d1, ...). Targets equal to ``ignore_index``
    contribute 0 and are left out of the mean, which is Σ ℓ_n / Σ w[y_n].
    ∂ℓ_n/∂x[n, c] = -w[y_n] if c = y_n else 0.
    """
    input = _tensor("nll_loss", "input", 1, input)
    target = _tensor("nll_loss", "target", 2, target)
    weight = _optional_tensor("nll_loss", "weight", 3, weight)
    reduction = _reduction(size_average, reduce, reduction)
    _check_class_target(input, target)
    target = _one_sample(input, target)
    class_dim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[class_dim]
    _check_class_weight(weight, n_classes)
    if weight is not None and weight.dtype != input.dtype:  # no promotion here, as torch
        expected, found = torch_dtype_name(input.dtype), torch_dtype_name(weight.dtype)
        raise RuntimeError(f"expected scalar type {expected} but found {found}")
    classes, w = _class_weights(target.array, weight, ignore_index, n_classes, input.dtype)
    picked = TakeAlong.apply(input, indices=np.expand_dims(classes, class_dim), dim=class_dim)
    # picked·(0 - w), not -(picked·w): where a target is ignored (w = 0) its gradient is +0,
    # not -0 (which prints as "-0.").
    loss = _skip_ignored(picked.reshape(classes.shape) * (0.0 - w), target.array, ignore_index)
    if reduction == "mean":
        loss = _weighted_mean(loss, w, bool((target.array == ignore_index).all()))
    else:
        loss = _reduce(loss, reduction)
    return name_node(loss, "NllLossBackward0")


def _skip_ignored(loss: Tensor, target: np.ndarray, ignore_index: int) -> Tensor:
    """The per-target loss with exactly 0 (and a zero gradient) for ignored targets, as torch
    skips them: a padding row may hold nan or -inf, and its weight 0 would make 0·nan = nan."""
    keep = target != ignore_index
    return loss if keep.all() else where(keep, loss, 0.0)


def _weighted_mean(loss: Tensor, w: np.ndarray, every_target_ignored: bool) -> Tensor:
    """Σ ℓ_n / Σ w_n. When every target is ignored it is 0/0 = nan, as in torch, and so would
    be its gradient through the division, where torch's is 0 (it skips ignored targets): the
    nan is added as a constant instead, whose gradient the zero weights then stop. (Targets of
    zero-weight classes are not skipped: there torch's gradient is nan too, and so is ours.)"""
    total = w.sum()
    if every_target_ignored:
        return loss.sum() + math.nan
    return loss.sum() / Tensor._make(np.asarray(total), None)


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Cross-entropy of logits: ``nll_loss(log_softmax(x, dim=1), y)``.

    ℓ_n = -w[y_n]·(x[n, y_n] - log Σ_c e^{x[n, c]})
    ∂ℓ_n/∂x[n, c] = w[y_n]·(softmax(x[n])_c - [c = y_n])

    ``target`` is either class indices (integers, shape (N,)) or class probabilities (floats,
    the shape of ``input``): then ℓ_n = -Σ_c w_c·y[n, c]·log softmax_c, and 'mean' divides by
    N. ``label_smoothing`` ε mixes the target with the uniform distribution: (1-ε)·y + ε/C.
    """
    input = _tensor("cross_entropy", "input", 1, input)
    target = _tensor("cross_entropy", "target", 2, target)
    weight = _optional_tensor("cross_entropy", "weight", 3, weight)
    reduction = _reduction(size_average, reduce, reduction)
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, (int, float)):
        raise TypeError(
            "cross_entropy(): argument 'label_smoothing' (position 8) must be float, not "
            f"{type(label_smoothing).__name__}"
        )
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.ndim == 1 else 1
    if input.ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    n_classes = input.shape[class_dim]
    log_p = log_softmax(input, dim=class_dim)
    if target.shape == input.shape and target.dtype.kind != "f":  # probabilities must be floats
        raise RuntimeError(
            "Expected floating point type for target with class probabilities, got "
            f"{torch_dtype_name(target.dtype)}"
        )
    if target.dtype.kind == "f" and target.shape == input.shape:
        if ignore_index != -100:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _soft_cross_entropy(log_p, target, weight, reduction, label_smoothing, class_dim)
    target = _one_sample(input, target)
    loss = nll_loss(log_p, target, weight, None, ignore_index, None, reduction)
    if label_smoothing == 0.0:
        return loss
    # Smoothing adds ε/C times the loss against every class: -Σ_c w_c·log p_c per sample.
    _, w = _class_weights(target.array, weight, ignore_index, n_classes, input.dtype)
    shape = [1] * input.ndim
    shape[class_dim] = n_classes
    w_c = 1.0 if weight is None else weight.array.reshape(shape)
    smooth = _skip_ignored(-(log_p * w_c).sum(dim=class_dim), target.array, ignore_index)
    if reduction == "mean":
        smooth = _weighted_mean(smooth, w, bool((target.array == ignore_index).all()))
    else:
        smooth = _reduce(smooth, reduction)
    return (1 - label_smoothing) * loss + smooth * (label_smoothing / n_classes)


def _soft_cross_entropy(
    log_p: Tensor,
    target: Tensor,
    weight: Tensor | None,
    reduction: str,
    label_smoothing: float,
    class_dim: int,
) -> Tensor:
    """Cross-entropy against class probabilities (the target has the input's shape)."""
    n_classes = log_p.shape[class_dim]
    _check_class_weight(weight, n_classes)
    # No classes (C = 0): torch's mean is 0/0 = nan, the sum -0.
    samples = log_p.array.size // n_classes if n_classes else math.nan
    if label_smoothing > 0 and n_classes:
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    terms = log_p * target
    if weight is not None:
        shape = [1] * log_p.ndim
        shape[class_dim] = n_classes
        terms = terms * weight.reshape(shape)
    if reduction == "mean":
        return -terms.sum() / samples
    if reduction == "sum":
        return -terms.sum()
    return -terms.sum(dim=class_dim)


__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "huber_loss",
    "l1_loss",
    "mse_loss",
    "nll_loss",
    "smooth_l1_loss",
]
