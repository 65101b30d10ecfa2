"""An in-memory broker for tests and development."""

from collections import deque


class MemoryBroker:
    """Holds tasks in a deque; nothing survives a restart.

    Args:
        maxlen: Most tasks kept; older ones are dropped.
    """

    def __init__(self, maxlen: int | None = None) -> None:
        self._tasks: deque[bytes] = deque(maxlen=maxlen)

    def push(self, payload: bytes) -> None:
        """Append a serialized task."""
        self._tasks.append(payload)

    def pop(self) -> bytes | None:
        """Remove and return the oldest task, or None when empty."""
        return self._tasks.popleft() if self._tasks else None
