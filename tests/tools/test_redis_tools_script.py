"""``scripts/test`` without redis-server / redis-cli: installs them (root with apt-get) or says
in one line what to install and exits 2, before anything long runs.

The scripts run under a PATH of a temporary directory holding only the commands each case
gives it, so nothing is installed: an ``apt-get`` there is a stand-in that records its
arguments (and, when told, puts stand-in redis commands on that PATH)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASH = shutil.which("bash")
CHMOD = shutil.which("chmod") or "/bin/chmod"

pytestmark = pytest.mark.skipif(BASH is None, reason="needs bash")


def command(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!{BASH}\n{body}\n")
    path.chmod(0o755)


def run(bin_dir: Path, script: str) -> subprocess.CompletedProcess[str]:
    assert BASH is not None
    return subprocess.run(
        [BASH, "-c", script],
        cwd=ROOT,
        env={"PATH": str(bin_dir), "HOME": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=60,
    )


ENSURE = "source scripts/_redis_tools.sh; ensure_redis_tools"


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    path = tmp_path / "bin"
    path.mkdir()
    return path


def test_without_redis_and_not_root_it_says_in_one_line_what_to_install(bin_dir: Path) -> None:
    command(bin_dir, "apt-get", f'echo "$@" >> {bin_dir}/apt-get.log')
    command(bin_dir, "id", "echo 1000")
    done = run(bin_dir, ENSURE)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    assert "redis-server" in lines[0] and "redis-cli" in lines[0]
    assert "apt-get install redis-server" in lines[0]
    assert not (bin_dir / "apt-get.log").exists()  # not root: nothing installed


def test_scripts_test_stops_at_once_with_that_line(bin_dir: Path) -> None:
    dirname = shutil.which("dirname") or "/usr/bin/dirname"
    os.symlink(dirname, bin_dir / "dirname")  # what scripts/test runs before the check
    done = run(bin_dir, f"exec {BASH} scripts/test")
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert "needs redis-server and redis-cli" in done.stderr
    assert "==>" not in done.stdout  # no venv, no lint: nothing long ran


def test_as_root_with_apt_get_it_installs_redis_server(bin_dir: Path) -> None:
    command(bin_dir, "id", "echo 0")
    installs = (
        f'echo "$@" >> {bin_dir}/apt-get.log\n'
        f'printf "#!{BASH}\\n" > {bin_dir}/redis-server\n'
        f'printf "#!{BASH}\\n" > {bin_dir}/redis-cli\n'
        f"{CHMOD} +x {bin_dir}/redis-server {bin_dir}/redis-cli"
    )
    command(bin_dir, "apt-get", installs)
    done = run(bin_dir, ENSURE)
    assert done.returncode == 0, done.stderr
    assert (bin_dir / "apt-get.log").read_text() == "install -y redis-server\n"
    assert "apt-get install -y redis-server" in done.stdout


def test_when_apt_get_cannot_install_it_updates_once_then_says_what_to_install(
    bin_dir: Path,
) -> None:
    command(bin_dir, "id", "echo 0")
    command(bin_dir, "apt-get", f'echo "$@" >> {bin_dir}/apt-get.log; exit 100')
    done = run(bin_dir, ENSURE)
    assert done.returncode == 2
    assert (bin_dir / "apt-get.log").read_text() == "install -y redis-server\nupdate\n"
    assert len(done.stderr.splitlines()) == 1


def test_with_redis_server_and_cli_present_it_does_nothing(bin_dir: Path) -> None:
    for name in ("redis-server", "redis-cli"):
        command(bin_dir, name, "exit 0")
    command(bin_dir, "apt-get", f'echo "$@" >> {bin_dir}/apt-get.log')
    done = run(bin_dir, ENSURE)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert not (bin_dir / "apt-get.log").exists()
