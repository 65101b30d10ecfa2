"""Queues and tasks (Google-style docstrings)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, ParamSpec, TypeVar

type TaskId = str
"""Opaque identifier of an enqueued task."""

DEFAULT_RETRIES: int = 3


class Queue:
    """A named queue of tasks.

    Args:
        name: Queue name; workers subscribe to queues by name.
        broker_url (str): Where tasks are stored. Defaults to the in-memory broker.
        concurrency: Tasks a worker runs at once from this queue.

    Raises:
        ValueError: If `name` is empty.

    Example:
        >>> queue = Queue("emails", concurrency=8)
        >>> queue.name
        'emails'
    """

    def __init__(self, name: str, /, broker_url: str = "memory://", *, concurrency: int = 4) -> None:
        if not name:
            raise ValueError("queue name must not be empty")
        self.name = name
        self._broker_url = broker_url
        self._concurrency = concurrency

    @property
    def concurrency(self) -> int:
        """How many tasks run at once."""
        return self._concurrency

    @concurrency.setter
    def concurrency(self, value: int) -> None:
        self._concurrency = value

    def task[**P, R](self, *, retries: int = DEFAULT_RETRIES) -> Callable[[Callable[P, Awaitable[R]]], Task[P, R]]:
        """Turn an async function into a task of this queue.

        Args:
            retries: How many times a failing task is retried.

        Returns:
            A decorator that wraps the function in a `Task`.
        """

        def wrap(fn: Callable[P, Awaitable[R]]) -> Task[P, R]:
            return Task(self, fn, retries=retries)

        return wrap

    async def dead_letters(self, limit: int = 100) -> list[TaskId]:
        """Tasks that failed every retry, oldest first.

        Args:
            limit: Most ids to return.

        Yields:
            Nothing; this is a coroutine returning a list.
        """
        return []

    def _lease(self) -> None:
        """Internal: not part of the public API."""


P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Task(Generic[P, R]):
    """A function bound to a queue.

    Attributes:
        queue: The queue the task runs on.
        fn: The wrapped coroutine function.
        retries: Retries before the task is dead-lettered.
    """

    queue: Queue
    fn: Callable[P, Awaitable[R]]
    retries: int = DEFAULT_RETRIES
    tags: list[str] = field(default_factory=list)

    async def enqueue(self, *args: P.args, **kwargs: P.kwargs) -> TaskId:
        """Schedule the task.

        Returns:
            TaskId: The id of the enqueued task.
        """
        return f"{self.queue.name}:{self.fn.__name__}"
