"""torch's messages for the mistakes the torch layer refuses, in its words."""

_NUMPY_OF_GRAD = (
    "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
)


_LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation."


_VIEW_OF_LEAF_IN_PLACE = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)


_VIEW_IN_PLACE = (
    "an in-place operation recorded on a view of another tensor is not supported here (the "
    "view's base would keep its old value): use the out-of-place form, or .clone() the view "
    "first"
)


_STALE_VIEW = (
    "this view was taken before its base changed in place, and here it does not see that "
    "change (torch's would): changing it in place would undo it; take the view again"
)


_OVERLAP_IN_PLACE = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)


_VIEW_MADE_WITHOUT_GRAD = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
    "your code by moving both the view and the inplace either both inside the no_grad block "
    "(if you don't want the inplace to be tracked) or both outside (if you want the inplace to "
    "be tracked)."
)
