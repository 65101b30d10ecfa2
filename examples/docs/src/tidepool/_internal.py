"""Private helpers: hidden unless include_private is set."""


def _secret() -> None:
    pass
