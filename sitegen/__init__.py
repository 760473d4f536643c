"""sitegen: build a multilingual static fact-sheet site from YAML fact files."""

__version__ = "0.1.0"
