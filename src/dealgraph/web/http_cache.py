"""HTTP caching tied to the published build: ETag, Last-Modified and 304 answers."""

from __future__ import annotations

import zlib
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import Response

from .published import Published


def validators(published: Published, variant: str = "") -> dict[str, str]:
    """ETag and Last-Modified headers for a representation of the current build.

    The ETag is weak (gzip may change the bytes) and names the build plus the variant
    (e.g. the Accept header) so each negotiated representation has its own tag.
    """
    return dict(_validators(published.info.build_id, published.info.built_at, variant))


@lru_cache(maxsize=1024)  # computed on every request to /sparql: keep it off the hot path
def _validators(build_id: str, built_at: str, variant: str) -> tuple[tuple[str, str], ...]:
    tag = f'W/"{build_id}-{zlib.crc32(variant.encode()):08x}"'
    built = datetime.fromisoformat(built_at)
    return (("ETag", tag), ("Last-Modified", format_datetime(built, usegmt=True)))


def not_modified(request: Request, headers: dict[str, str]) -> Response | None:
    """A 304 response when the client's copy is current (GET/HEAD only), else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        if "*" in tags or headers["ETag"].removeprefix("W/") in tags:
            return Response(status_code=304, headers=headers)
        return None
    since = request.headers.get("if-modified-since")
    if since:
        try:
            if parsedate_to_datetime(headers["Last-Modified"]) <= parsedate_to_datetime(since):
                return Response(status_code=304, headers=headers)
        except (TypeError, ValueError, IndexError):
            return None  # an unreadable date is ignored, as RFC 9110 says
    return None
