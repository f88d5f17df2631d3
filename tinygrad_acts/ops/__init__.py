"""The ops: one ``Function`` subclass per differentiable operation."""
