"""pipesec: the security gate for CI/CD pipelines."""

__version__ = "0.1.0"
