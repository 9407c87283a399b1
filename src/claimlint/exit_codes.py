"""Process exit statuses."""

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0  # nothing at or above --fail-on
    FINDINGS = 1  # something at or above --fail-on
    ERROR = 2  # usage, config, registry or input error
    INTERRUPTED = 130  # SIGINT (Ctrl-C), as shells report it: 128 + 2
    TERMINATED = 143  # SIGTERM: 128 + 15
