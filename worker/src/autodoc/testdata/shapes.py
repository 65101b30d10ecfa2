"""Shapes and their areas.

A small module that uses most of what autodoc reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, overload

from .units import Unit

__all__ = ["Shape", "Circle", "area", "scale", "DEFAULT_UNIT", "Number", "Unit"]

type Number = int | float
"""A real number."""

#: Unit used when none is given.
DEFAULT_UNIT: str = "cm"


class Shape:
    """Base class of all shapes.

    Attributes:
        name: Human-readable name.
    """

    name: ClassVar[str] = "shape"

    def __init__(self, label: str, /, *, unit: str = DEFAULT_UNIT) -> None:
        self.label = label
        self.unit = unit

    @property
    def area(self) -> float:
        """The area, in square units."""
        raise NotImplementedError

    @classmethod
    def unit_square(cls) -> Shape:
        """A square of side 1."""
        return cls("square")


@dataclass(frozen=True)
class Circle[T: Number = float](Shape):
    """A circle.

    Parameters
    ----------
    radius : T
        Distance from the centre to the edge.
    """

    radius: T
    tags: list[str] = field(default_factory=list)


@overload
def area(shape: Circle) -> float: ...
@overload
def area(shape: Shape) -> float | None: ...
def area(shape):
    """Compute the area of `shape`.

    :param shape: Any shape.
    :returns: The area, if the shape knows it.
    :raises ValueError: When the shape is degenerate.

    >>> area(Circle(1.0))
    3.14159...
    """
    return shape.area


async def scale(shape: Shape, factor: Number = 2, *args: Shape, **options: object) -> Shape:
    """Scale a shape <in place> & return it."""
    return shape


def _internal() -> None:
    """Hidden: not in __all__."""
