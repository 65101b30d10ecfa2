"""Tidepool: a small, typed task queue.

Enqueue work from your service and let a pool of workers run it::

    queue = Queue("emails")

    @queue.task(retries=3)
    async def send(user_id: int) -> None: ...
"""

from .queue import Queue, Task
from .retry import Backoff, RetryPolicy

__all__ = ["Queue", "Task", "Backoff", "RetryPolicy", "__version__"]

__version__: str = "0.4.0"
"""The installed version, as a PEP 440 string."""
