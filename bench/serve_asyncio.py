"""``dealgraph serve --no-build`` unchanged, except that uvicorn uses the stdlib asyncio loop.

The benchmark falls back to this when the real entry point (uvicorn's ``loop="auto"``, which
picks uvloop when it is installed) fails the correctness check: with uvloop, the worker pipes
become non-blocking and results over ~16 KB can fail (see docs/benchmarks.md). Everything else
(app, workers, uvicorn settings) is the real server's.
"""

from __future__ import annotations

import functools
import sys

import uvicorn

from dealgraph.cli import app

if __name__ == "__main__":
    uvicorn.run = functools.partial(uvicorn.run, loop="asyncio")
    app(["serve", "--no-build", *sys.argv[1:]])
