"""The ``pipesec`` command line.

Library warnings (deprecations from cryptography, bandit ...) are routed to the log from
the first import on, so even those raised while the command's modules load never reach
stderr; ``-v`` shows them (see ``main._setup_logging``)."""

import logging

logging.captureWarnings(True)
_warnings_log = logging.getLogger("py.warnings")
if not _warnings_log.handlers:
    _warnings_log.addHandler(logging.NullHandler())
    _warnings_log.propagate = False
