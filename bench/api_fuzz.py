"""Fuzz the REST API against its own OpenAPI document (issue 16, acceptance): schemathesis as an office
user, a cell secretary and a member of the demo world, counting requests, server errors (5xx) and status
codes the document does not declare.

Run (a fresh database is made from the demo world; the server is the real app under gunicorn, DEBUG off):
    .venv/bin/python bench/api_fuzz.py [--database-url sqlite:////tmp/fuzz/db.sqlite3 | postgres://…/dangvu_fuzz]
        [--max-examples 25] [--roles office,cell_secretary,member] [--seed 1]

schemathesis (bench/requirements-fuzz.txt) is installed into bench/.venv-fuzz on first use. Its phases
(examples, coverage, fuzzing) send valid and invalid bodies, parameters and headers to every operation of
/api/v1/openapi.json with the role's bearer token; the checks are `not_a_server_error` and
`status_code_conformance`. `/auth/revoke` is left out (it would end the run's own token). The run writes
bench/results/api_fuzz.json and exits non-zero when any server error or undocumented status was seen.
Figures: docs/security.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
RESULTS = ROOT / "bench" / "results"
FUZZ_VENV = ROOT / "bench" / ".venv-fuzz"

from meeting_load import start_server, stop_server  # noqa: E402


def schemathesis() -> Path:
    exe = FUZZ_VENV / "bin" / "schemathesis"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(FUZZ_VENV)], check=True)
        pip = [str(FUZZ_VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "-r", str(ROOT / "bench" / "requirements-fuzz.txt")], check=True)
    return exe


def dangvu(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DANGVU_TWO_FACTOR": "0", "DANGVU_HTTPS": "0", "DEBUG": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "dangvu", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def token(base: str, username: str, password: str) -> str:
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["token"]


def _templates(spec: dict) -> list[tuple[re.Pattern, str]]:
    base = (spec.get("servers") or [{}])[0].get("url", "").rstrip("/")
    out = []
    for template in spec["paths"]:
        pattern = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template))
        out.append((re.compile(f"^{re.escape(base)}{pattern}$"), template))
    return out


def path_template(spec: dict, path: str) -> str | None:
    for pattern, template in spec["_templates"]:
        if pattern.match(path):
            return template
    return None


def documented_statuses(spec: dict, method: str, path: str) -> set[str] | None:
    template = path_template(spec, path)
    if template is None:
        return None  # a path outside the document (schemathesis sends none)
    operation = spec["paths"][template].get(method)
    return set(operation["responses"]) if operation else {"405"}


def run_role(exe: Path, base: str, role: str, bearer: str, args, out: Path, spec: dict) -> dict:
    har = out / f"{role}.har"
    report = out / f"{role}.json"
    command = [
        str(exe),
        "run",
        f"{base}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {bearer}",
        "--checks",
        "not_a_server_error,status_code_conformance",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(args.max_examples),
        "--seed",
        str(args.seed),
        "--workers",
        "2",
        "--exclude-path",
        "/api/v1/auth/revoke",
        "--generation-database",
        "none",
        "--continue-on-failure",
        "--no-color",
        "--report",
        "har,json",
        "--report-har-path",
        str(har),
        "--report-json-path",
        str(report),
    ]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.monotonic() - started
    (out / f"{role}.log").write_text(done.stdout + done.stderr)
    entries = json.loads(har.read_text())["log"]["entries"] if har.exists() else []
    statuses = Counter(e["response"]["status"] for e in entries)
    undocumented = Counter()
    for entry in entries:  # our own count, independent of schemathesis's check
        method = entry["request"]["method"].lower()
        path = urllib.parse.urlsplit(entry["request"]["url"]).path
        documented = documented_statuses(spec, method, path)
        status = str(entry["response"]["status"])
        if documented is not None and status not in documented and "default" not in documented:
            undocumented[f"{method.upper()} {path_template(spec, path)} {status}"] += 1
    summary = json.loads(report.read_text()) if report.exists() else {}
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    return {
        "role": role,
        "requests": len(entries),
        "statuses": dict(sorted(statuses.items())),
        "server_errors": server_errors,
        "undocumented": dict(undocumented),
        "schemathesis_failures": len(summary.get("failures", [])),
        "schemathesis_errors": len(summary.get("errors", [])),
        "test_cases": summary.get("test_cases", {}),
        "exit_code": done.returncode,
        "seconds": round(seconds, 1),
        "log": str(out / f"{role}.log"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--roles", default="office,cell_secretary,member")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dangvu-fuzz-"))
    os.environ.setdefault("DANGVU_DATA_DIR", str(work))
    os.environ.setdefault("DANGVU_LOG_LEVEL", "WARNING")
    url = args.database_url or f"sqlite:///{work}/fuzz.sqlite3"
    exe = schemathesis()
    dangvu(url, "migrate", "--noinput", "-v0")
    logins = json.loads(dangvu(url, "seed_demo", "--if-empty", "--json").splitlines()[-1])
    by_role = {}
    for login in logins:
        by_role.setdefault(login["role"], login)
    server, base = start_server(url, workers=2, threads=4, log=work / "gunicorn.log")
    results = []
    try:
        with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=30) as response:
            spec = json.load(response)
        spec["_templates"] = _templates(spec)
        for role in args.roles.split(","):
            login = by_role[role]
            bearer = token(base, login["username"], login["password"])
            results.append(run_role(exe, base, role, bearer, args, work, spec))
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    finally:
        stop_server(server)
    summary = {
        "database": url.split(":", 1)[0],
        "max_examples": args.max_examples,
        "seed": args.seed,
        "requests": sum(r["requests"] for r in results),
        "server_errors": sum(r["server_errors"] for r in results),
        "undocumented": sum(sum(r["undocumented"].values()) for r in results),
        "schemathesis_failures": sum(r["schemathesis_failures"] + r["schemathesis_errors"] for r in results),
        "roles": results,
        "work_dir": str(work),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "api_fuzz.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "roles"}, ensure_ascii=False))
    return 1 if summary["server_errors"] or summary["undocumented"] or summary["schemathesis_failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
