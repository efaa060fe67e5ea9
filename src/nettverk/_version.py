"""The installed package's version, for the facade and the writers."""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("nettverk")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"
