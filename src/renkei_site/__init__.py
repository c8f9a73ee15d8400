"""renkei-site: a static catalogue of Tokyo's collaboration projects with the rest of Japan."""

__version__ = "0.1.0"
