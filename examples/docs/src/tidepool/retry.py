"""Retry policies (Sphinx-style docstrings)."""

import random
from enum import Enum


class Backoff(Enum):
    """How the delay grows between attempts."""

    CONSTANT = "constant"
    LINEAR = "linear"
    EXPONENTIAL = "exponential"


class RetryPolicy[E: Exception = Exception]:
    """When and how often to retry a task.

    :param attempts: Total attempts, the first included.
    :type attempts: int
    :param backoff: Growth of the delay.
    :param base: First delay in seconds.
    :raises ValueError: If ``attempts`` is less than one.
    """

    def __init__(self, attempts: int = 3, backoff: Backoff = Backoff.EXPONENTIAL, base: float = 0.5) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.attempts = attempts
        self.backoff = backoff
        self.base = base

    def delay(self, attempt: int, *, jitter: bool = True) -> float:
        """Seconds to wait before ``attempt``.

        :param attempt: Attempt number, starting at 1.
        :param jitter: Randomise the delay to spread retries out.
        :returns: The delay in seconds.
        :rtype: float
        """
        match self.backoff:
            case Backoff.CONSTANT:
                delay = self.base
            case Backoff.LINEAR:
                delay = self.base * attempt
            case _:
                delay = self.base * 2 ** (attempt - 1)
        return random.uniform(0, delay) if jitter else delay

    def should_retry(self, error: E, attempt: int) -> bool:
        """Whether ``error`` on ``attempt`` deserves another try.

        :param error: What the task raised.
        :param attempt: The attempt that failed.
        :return: True to retry.
        """
        try:
            return attempt < int(self.attempts)
        except TypeError, ValueError:
            return False
