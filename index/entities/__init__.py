"""Entities: mentions in one text (:func:`extract`) and entities across articles."""

from __future__ import annotations

from index.entities.spans import extract

__all__ = ["extract"]
