"""A web worker over a real ERP loads no test tooling: `responses`, the fake, recording and conformance cost each
worker memory (bench figure 7) and are imported only by the commands and the demo that use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json, sys
from gateway.app import create_app
create_app({"PROFILE": "testing", "ERP_ADAPTER": "soap", "ERP_URL": "http://127.0.0.1:9/soap",
            "DATABASE_URL": "sqlite:///" + sys.argv[1], "OUTBOX_IN_PROCESS": False})
print(json.dumps(sorted(sys.modules)))
"""
TOOLING = ("responses", "unittest", "yaml", "adapters.testing", "fixtures", "hypothesis")


def test_a_worker_over_a_real_erp_imports_no_test_tooling(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "ibok.sqlite")], capture_output=True,
                          text=True, check=True, cwd=ROOT, timeout=60)
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    loaded = sorted({name for name in modules for prefix in TOOLING if name == prefix or name.startswith(prefix + ".")})
    assert loaded == []
