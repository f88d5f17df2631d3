"""Tensor as torch shows it: ``.grad`` with torch's checks, ``shape`` as a ``Size``, the
device, conversions to NumPy, Python numbers and other dtypes (``to``, ``float``, ``type`` …),
printing, and ``backward`` with torch's arguments."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..core import ops as core_ops
from ..core.tensor import Tensor
from ..ops import basic as _basic
from .autograd_api import tensor_backward
from .checks import _check_dim
from .device import CPU, cpu_device, device, to_arguments
from .dtypes import (
    _raw,
    c10_dtype_name,
    dtype,
    tensor_type,
    tensor_type_name,
    torch_dtype,
    torch_dtype_name,
)
from .legacy import TensorType
from .messages import _NUMPY_OF_GRAD
from .printing import tensor_format, tensor_repr
from .size import Size
from .views import ALIASED, DATA, _link_of, _view

# The core's ``grad``, which these checks guard (this module is imported before they replace it).
_CORE_GRAD = Tensor.grad

# torch's warning when the empty ``.grad`` of a non-leaf is read (#20 item 16).
_NON_LEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information."
)


# The core's ``detach``, which ``TensorConversions.detach`` replaces on ``Tensor`` and builds on.
_CORE_DETACH = Tensor.detach


class TensorConversions:
    """The conversion methods of ``Tensor``."""

    backward = tensor_backward

    def detach(self) -> Tensor:
        """The core's ``detach`` (the same values and version counter, cut from the graph), as
        an alias that sees every later in-place change of this tensor, as torch's (also one
        recorded out of place)."""
        return _view(_CORE_DETACH(self), self, ALIASED, alias=True)

    def detach_(self) -> Tensor:
        """Cut this tensor from the graph in place: it becomes a leaf that needs no gradient.
        A view refuses, in torch's words (its base would still link it)."""
        if _link_of(self) is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self.grad_fn, self._requires_grad = None, False
        return self

    @property
    def grad(self) -> Tensor | None:
        """The gradient the backward passes added up for this tensor (leaves), or None.

        A non-leaf keeps none unless it asked (``retain_grad()``): reading its empty ``.grad``
        is most likely a mistake, and torch warns, as here. (Inside the package, ``_grad``.)
        """
        grad = self._grad
        if grad is None and self.grad_fn is not None and not self.grad_fn._retained:
            warnings.warn(_NON_LEAF_GRAD, UserWarning, stacklevel=2)
        return grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        # torch's checks: a gradient is a Tensor of this tensor's shape and dtype
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    "assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value is self or value.array is self.array:  # its own values would then change
                raise RuntimeError("can't assign Variable as its own grad")
            if value.array.shape != self.array.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.array.shape)}' to a "
                    f"tensor of size '{list(self.array.shape)}'. Please ensure that the gradient "
                    "and the tensor are the same size"
                )
            if value.array.dtype != self.array.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{c10_dtype_name(value.dtype)}'"
                    f" to a tensor with grad_dtype '{torch_dtype_name(self.array.dtype)}'. The "
                    "gradient must match the tensor's grad_dtype (defaults to the tensor's "
                    "dtype). You can set the tensor's grad_dtype attribute with a specific "
                    "dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging "
                    "the dtypes of a tensor and its gradient may break downstream systems that "
                    "assume they match."
                )
        _CORE_GRAD.fset(self, value)

    @grad.deleter
    def grad(self) -> None:
        _CORE_GRAD.fset(self, None)

    @property
    def data(self) -> Tensor:
        """The same values as a Tensor cut from the graph, as torch's ``.data``: it shares the
        array (a change to one is a change to the other) but not the version counter, so such a
        change is not checked against the graph (``detach()`` is the checked way)."""
        return _view(Tensor._make(self.array, None), self, DATA, alias=True)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, not {type(value).__name__}")
        if self._requires_grad and value.array.dtype.kind != "f":
            raise RuntimeError(
                "data set to a tensor that requires gradients must be floating point or complex "
                "dtype"
            )
        self.array = value.array

    @property
    def shape(self) -> Size:
        """The shape, a ``Size``: a tuple of ints printing as ``torch.Size([2, 3])``."""
        return Size.of(self.array.shape)

    def size(self, dim: int | None = None) -> Any:
        """The shape (a ``Size``), or its length along ``dim`` (as torch's ``Tensor.size``)."""
        if dim is None:
            return Size.of(self.array.shape)
        return self.array.shape[_check_dim(dim, self.array.ndim)]

    @property
    def dtype(self) -> dtype:
        """The dtype under torch's name (``torch.float32``); NumPy takes it as its own."""
        return torch_dtype(self.array.dtype)

    def is_floating_point(self) -> bool:
        return self.array.dtype.kind == "f"

    def dim(self) -> int:
        """The number of dimensions (``ndim``)."""
        return self.array.ndim

    def numel(self) -> int:
        """The number of elements: the product of the shape."""
        return int(self.array.size)

    def element_size(self) -> int:
        """The bytes one element takes (4 for float32)."""
        return self.array.itemsize

    @property
    def itemsize(self) -> int:
        """The bytes one element takes (``element_size()``)."""
        return self.array.itemsize

    @property
    def nbytes(self) -> int:
        """The bytes its elements take: numel × itemsize (of a view, its own elements only)."""
        return int(self.array.size) * self.array.itemsize

    def data_ptr(self) -> int:
        """The memory address of its first element (a view's lies inside its base's)."""
        return int(self.array.__array_interface__["data"][0])

    def storage_offset(self) -> int:
        """How many elements into the memory it shares with its base its first element lies
        (0 for a tensor that owns its memory)."""
        base = self.array
        while isinstance(base.base, np.ndarray):
            base = base.base
        start = base.__array_interface__["data"][0]
        return (self.data_ptr() - start) // self.array.itemsize

    @property
    def device(self) -> device:
        """Where the values are: ``device(type='cpu')``, always, here."""
        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def is_cpu(self) -> bool:
        return True

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The data as a NumPy array (shared, not copied); refused for a tensor that requires
        grad unless ``force`` (then a detached copy's), as in torch."""
        if self._requires_grad:
            if not force:
                raise RuntimeError(_NUMPY_OF_GRAD)
            return self.array.copy()
        return self.array

    def tolist(self) -> Any:
        return self.array.tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        """The values as a NumPy array: ``np.asarray(t)`` shares them, ``np.array(t)`` copies
        (NumPy asks with ``copy=True``), so a snapshot does not follow later in-place changes.
        A tensor that requires grad refuses, as in torch: the array would leave the graph
        without a word (``.detach()`` says so)."""
        if self._requires_grad:
            raise RuntimeError(_NUMPY_OF_GRAD)
        if copy:
            return np.array(self.array, dtype=dtype, copy=True)
        return self.array if dtype is None else self.array.astype(dtype, copy=False)

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """What a NumPy ufunc does when a Tensor is among its operands (NumPy's protocol).

        ``array + tensor`` is NumPy's operator, which calls the ufunc ``np.add(array, tensor)``
        and so this: for the operators a Tensor has, the Tensor's reflected operator computes
        it, a Tensor in the graph as ``tensor + array`` is. Any other ufunc runs on the
        Tensors' arrays and gives NumPy's result (refused, as in torch, for a Tensor that
        requires grad: it would leave the graph): ``np.exp(tensor)`` is an array, and
        ``array -= tensor`` (``np.subtract(array, tensor, out=(array,))``) changes the array
        in place. A Tensor as ``out``
        is refused (a TypeError from NumPy): a Tensor changes in place through its own methods.
        """
        if method == "__call__" and not kwargs and len(inputs) == 2 and inputs[1] is self:
            reflected = _REFLECTED.get(ufunc)
            if reflected is not None and not isinstance(inputs[0], Tensor):
                return getattr(self, reflected)(inputs[0])
        if any(isinstance(o, Tensor) for o in kwargs.get("out", ())):
            return NotImplemented
        if any(isinstance(x, Tensor) and x._requires_grad for x in inputs):
            raise RuntimeError(_NUMPY_OF_GRAD)
        return getattr(ufunc, method)(*(_raw(x) for x in inputs), **kwargs)

    def __float__(self) -> float:
        if self.array.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return float(self.array.item())

    def __int__(self) -> int:
        if self.array.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return int(self.array.item())

    def __index__(self) -> int:
        """A one-element integer tensor as an index (``items[torch.tensor(1)]``), as torch."""
        if self.array.size != 1 or self.array.dtype.kind not in "iu":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.array.item())

    def __bool__(self) -> bool:
        if self.array.size != 1:
            amount = "no values" if self.array.size == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {amount} is ambiguous")
        return bool(self.array.item())

    def __len__(self) -> int:
        if self.array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.array.shape[0]

    def __iter__(self) -> Any:
        if self.array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.array.shape[0]))

    def __format__(self, spec: str) -> str:
        return tensor_format(self, spec)

    def __repr__(self) -> str:
        return tensor_repr(self)

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """This tensor in another dtype and/or on another device, as torch's ``to``:
        ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)`` (its dtype and
        device), or the keywords ``device=`` and ``dtype=``. Itself when nothing changes
        (unless ``copy=True``).

        Into a floating dtype it is differentiable (the gradient is cast back); integers and
        booleans carry no gradient, so their copy is outside the graph. ``non_blocking`` and
        ``memory_format`` are taken and ignored.
        """
        if len(args) == 1 and isinstance(args[0], np.dtype) and not kwargs:  # the usual call
            return _cast(self, args[0])
        where, dtype, copy = to_arguments(args, kwargs)
        cpu_device(CPU if where is None else where)
        return _cast(self, self.array.dtype if dtype is None else dtype, copy)

    def cpu(self) -> Tensor:
        """Itself: the values are on the CPU already."""
        return self

    def cuda(self, device: Any = None, non_blocking: bool = False) -> Tensor:
        """torch's error: there is no GPU here."""
        return self.to("cuda")

    def float(self) -> Tensor:
        """As float32 (``to(float32)``)."""
        return _cast(self, np.dtype(np.float32))

    def double(self) -> Tensor:
        """As float64."""
        return _cast(self, np.dtype(np.float64))

    def half(self) -> Tensor:
        """As float16."""
        return _cast(self, np.dtype(np.float16))

    def long(self) -> Tensor:
        """As int64 (floats truncated toward zero), outside the graph."""
        return _cast(self, np.dtype(np.int64))

    def int(self) -> Tensor:
        """As int32 (floats truncated toward zero), outside the graph."""
        return _cast(self, np.dtype(np.int32))

    def bool(self) -> Tensor:
        """As bool: True where nonzero."""
        return _cast(self, np.dtype(np.bool_))

    def type(self, dtype: Any = None) -> Any:
        """With no argument, torch's name of this tensor's type (``'torch.FloatTensor'``);
        with a dtype, such a name or such a type (``torch.LongTensor``), the tensor in that
        dtype."""
        if dtype is None:
            return tensor_type_name(self.array.dtype)
        if isinstance(dtype, TensorType):  # x.type(torch.LongTensor)
            dtype = dtype.dtype
        return _cast(self, tensor_type(dtype) if isinstance(dtype, str) else np.dtype(dtype))

    def clone(self, *, memory_format: Any = None) -> Tensor:
        """A copy, in the graph (its gradient is the copy's)."""
        return _basic.Clone.apply(self)

    def contiguous(self, memory_format: Any = None) -> Tensor:
        """Itself if its elements lie in row-major order in memory, else such a copy (in the
        graph), as torch's: a transpose or an expand is not contiguous."""
        return self if self.array.flags.c_contiguous else _basic.Clone.apply(self)

    def is_contiguous(self, memory_format: Any = None) -> bool:
        """Do its elements lie in row-major order in memory, one after the other?"""
        return bool(self.array.flags.c_contiguous)


def _cast(t: Tensor, dtype: np.dtype, copy: bool = False) -> Tensor:
    """``t`` in ``dtype``: itself if it is already (unless ``copy``); in the graph into a
    floating dtype (the gradient is cast back), outside it into integers or bool."""
    if dtype == t.array.dtype:
        return _basic.Clone.apply(t) if copy else t
    if dtype.kind != "f":
        return Tensor._make(t.array.astype(dtype), None)
    return core_ops.Cast.apply(t, dtype=dtype)


# ``array <op> tensor`` (NumPy's ufunc, array first): the Tensor's reflected operator.
_REFLECTED = {
    np.add: "__radd__",
    np.subtract: "__rsub__",
    np.multiply: "__rmul__",
    np.true_divide: "__rtruediv__",
    np.power: "__rpow__",
    np.matmul: "__rmatmul__",
    np.less: "__gt__",  # array < tensor is tensor > array
    np.less_equal: "__ge__",
    np.greater: "__lt__",
    np.greater_equal: "__le__",
    np.equal: "__eq__",
    np.not_equal: "__ne__",
}
