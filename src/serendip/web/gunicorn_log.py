"""gunicorn's own log lines (booting, workers started and stopped, time-outs) in serendip's
format, on standard output: one stream of JSON lines for the log collector, not plain text on
standard error beside it. Given to gunicorn by ``serendip serve`` (``--logger-class``)."""

from __future__ import annotations

import logging
import os
from typing import Any

from gunicorn import glogging

from serendip.web.requestlog import JsonFormatter, RequestIdFilter, StdoutHandler, TextFormatter


class Logger(glogging.Logger):  # type: ignore[misc]
    """gunicorn's logger, its error log (its own life) written as the site's logs are."""

    def setup(self, cfg: Any) -> None:
        """As gunicorn's, then the error log's handlers replaced by the site's."""
        super().setup(cfg)
        for handler in list(self.error_log.handlers):
            if getattr(handler, "_gunicorn", False):
                self.error_log.removeHandler(handler)
        handler = StdoutHandler()
        handler._gunicorn = True  # type: ignore[attr-defined]  # removed by a reload's setup
        handler.addFilter(RequestIdFilter())
        text = os.environ.get("SERENDIP_LOG_FORMAT") == "text"
        formatter: logging.Formatter = TextFormatter() if text else JsonFormatter()
        handler.setFormatter(formatter)
        self.error_log.addHandler(handler)
