"""Text processing: offline sentence embedders shipped as package data (see embedders.py)."""
