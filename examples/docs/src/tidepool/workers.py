"""Worker pools (NumPy-style docstrings)."""

import asyncio
from typing import Literal, overload

Mode = Literal["async", "thread"]


class WorkerPool:
    """Run tasks from one or more queues.

    Parameters
    ----------
    queues : list of str
        Names of the queues to consume.
    concurrency : int, optional
        Tasks run at once (default 4).

    Attributes
    ----------
    running : bool
        True between `start` and `stop`.
    """

    running: bool = False

    def __init__(self, queues: list[str], concurrency: int = 4) -> None:
        self.queues = queues
        self.concurrency = concurrency

    async def start(self) -> None:
        """Start consuming.

        Raises
        ------
        RuntimeError
            If the pool is already running.
        """
        if self.running:
            raise RuntimeError("already running")
        self.running = True
        await asyncio.sleep(0)

    @overload
    def scale(self, workers: int) -> int: ...
    @overload
    def scale(self, workers: str) -> int: ...
    def scale(self, workers):
        """Change the number of concurrent tasks.

        Parameters
        ----------
        workers : int or str
            New concurrency, or ``"auto"`` for one per core.

        Returns
        -------
        int
            The concurrency now in effect.
        """
        self.concurrency = 8 if workers == "auto" else int(workers)
        return self.concurrency


def run(*queues: str, mode: Mode = "async", **options: object) -> WorkerPool:
    """Build and start a pool in one call.

    Parameters
    ----------
    *queues : str
        Queue names.
    mode : {"async", "thread"}
        How tasks are executed.
    **options
        Passed to `WorkerPool`.

    Returns
    -------
    WorkerPool
        The started pool.

    Examples
    --------
    >>> pool = run("emails", mode="thread")
    """
    pool = WorkerPool(list(queues), **options)
    print(f"starting {len(queues)} queue{'s' if len(queues) != 1 else ''}: {", ".join(queues)}")
    return pool
