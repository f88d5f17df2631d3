"""The modules of ``tinygrad_acts.nn``.

``nn.modules.module`` is ``nn/module.py`` under torch's path, so that torch's spelling of the
global hooks, ``torch.nn.modules.module.register_module_forward_hook``, finds them.
"""

import sys

from .. import module

sys.modules[f"{__name__}.module"] = module
