from collections.abc import Mapping
from datetime import datetime
from typing import Any

def parse(
    date_string: str,
    date_formats: list[str] | None = None,
    languages: list[str] | None = None,
    locales: list[str] | None = None,
    region: str | None = None,
    settings: Mapping[str, Any] | None = None,
) -> datetime | None: ...
