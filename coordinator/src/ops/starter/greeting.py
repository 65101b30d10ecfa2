"""Greetings."""


def greet(name: str, punctuation: str = "!") -> str:
    """Return a greeting.

    Args:
        name: Who to greet.
        punctuation: What ends the sentence.

    Returns:
        The greeting, such as ``"Hello, world!"``.
    """
    return f"Hello, {name}{punctuation}"
