"""pipesec: the security gate for CI/CD pipelines."""

import time as _time

__version__ = "0.1.0"
#: before any other module of pipesec was read (see ``core.cachemac.settled``)
IMPORTED_AT = _time.time()
