"""my_project: a tiny package, documented by ssg-coord's autodoc."""

from my_project.greeting import greet

__all__ = ["greet"]
