"""The benchmark's synthetic data generator (bench/synthetic.py), imported for the tests."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from project_support import REPO_ROOT


def synthetic_module() -> ModuleType:
    """bench/synthetic.py as a module (bench/ is not a package)."""
    name = "dealgraph_bench_synthetic"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "bench" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
