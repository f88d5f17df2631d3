"""``torch.optim``: optimizers with torch's update rules, step for step, and ``lr_scheduler``.

An optimizer holds *parameter groups* — dicts with a ``"params"`` list and the
hyper-parameters for those parameters (``lr``, ``momentum``, …) — and a ``state`` per
parameter (momentum buffers, moment estimates). ``step()`` reads each parameter's ``.grad``
and writes the new values into the parameter's own array, in place as torch does. Each
optimizer's docstring gives its update rule.

Typical loop, as in torch::

    opt = optim.Adam(model.parameters(), lr=1e-2)
    scheduler = optim.lr_scheduler.StepLR(opt, step_size=100, gamma=0.5)
    for x, y in data:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        scheduler.step()
"""

from __future__ import annotations

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .optimizer import Optimizer, required
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = [
    "SGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Optimizer",
    "RMSprop",
    "lr_scheduler",
    "required",
]
