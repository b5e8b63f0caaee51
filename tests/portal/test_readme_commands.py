"""The README's staff and IT commands work as written, from a plain shell in the project folder: each is run here
the way a newcomer pastes it (no activated virtualenv, no FLASK_APP), with `--help` or on a throwaway database."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
FLASK = ".venv/bin/flask"
# Commands in the README's sh blocks and in its inline code, with backslash continuations joined.
SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)
INLINE = re.compile(r"`([^`\n]*\.venv/bin/flask[^`]*)`")


def readme_commands() -> list[list[str]]:
    """Each command that runs .venv/bin/flask, as shell words: environment assignments first, comments dropped."""
    text = README.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line for block in SH_BLOCK.findall(text) for line in block.splitlines()]
    prose = re.sub(r"```.*?```", "", text, flags=re.S).replace("\n", " ")
    lines += [" ".join(code.split()) for code in INLINE.findall(prose)]
    commands = []
    for line in lines:
        words = shlex.split(line, comments=True)
        if FLASK in words and not line.lstrip().startswith(("15 3", "ExecStart")):
            commands.append(words)
    return commands


def flask_words(command: list[str]) -> tuple[dict[str, str], list[str]]:
    """The environment the command sets and the words after `flask` (without a `--app gateway`)."""
    at = command.index(FLASK)
    environment = dict(word.split("=", 1) for word in command[:at])
    rest = command[at + 1:]
    if rest[:2] == ["--app", "gateway"]:
        rest = rest[2:]
    return environment, rest


def run(words: list[str], environment: dict[str, str], home: Path) -> subprocess.CompletedProcess[str]:
    """As from a plain shell: the system PATH only, no FLASK_APP, nothing of this test process's environment."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", **environment}
    return subprocess.run([str(ROOT / FLASK), *words], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_readme_names_the_commands_staff_and_it_need():
    named = {tuple(flask_words(command)[1][:2]) for command in readme_commands()}
    assert {("accounts", "create"), ("accounts", "reset-password"), ("accounts", "demo"), ("accounts", "list"),
            ("db", "upgrade"), ("outbox", "run"), ("retention", "purge"), ("erp", "check")} <= named


@pytest.mark.parametrize("group", ["accounts", "db", "outbox", "retention", "erp", "payments"])
def test_each_readme_command_is_known_as_written(group, tmp_path):
    commands = [flask_words(command) for command in readme_commands()]
    names = {rest[1] for _environment, rest in commands if rest[0] == group}
    environment = {key: value for env, rest in commands if rest[0] == group for key, value in env.items()}
    result = run([group, "--help"], {**environment, "IBOK_DATABASE_URL": f"sqlite:///{tmp_path}/help.sqlite"},
                 tmp_path)
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^  ([a-z-]+)\s", result.stdout, re.M))
    assert names and names <= listed, (names, result.stdout)


def test_the_demo_reset_works_as_written_and_says_what_it_needs_without_the_profile(tmp_path):
    [reset] = [command for command in readme_commands() if flask_words(command)[1][:2] == ["accounts", "demo"]]
    environment, words = flask_words(reset)
    assert environment == {"IBOK_PROFILE": "demo"} and words == ["accounts", "demo", "--reset"]
    database = {"IBOK_DATABASE_URL": f"sqlite:///{tmp_path}/portal.sqlite", "IBOK_MAIL_FOLDER": str(tmp_path)}
    assert run(["db", "upgrade"], database, tmp_path).returncode == 0
    done = run(words, {**environment, **database}, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "kowalski: restored for K-1001" in done.stdout
    listed = run(["accounts", "list"], database, tmp_path)
    assert re.search(r"^kowalski\s+K-1001\s+jan\.kowalski@example\.com\s+active", listed.stdout, re.M)
    refused = run(words, database, tmp_path)
    assert refused.returncode == 1 and "IBOK_PROFILE=demo" in refused.stderr
