"""The core never imports discord; only bot/discord_app/ does."""

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"


def test_only_discord_app_imports_discord():
    offenders = []
    for path in BOT.rglob("*.py"):
        if "discord_app" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "discord" or n.startswith("discord.") for n in names):
                offenders.append(str(path.relative_to(BOT)))
    assert offenders == []


def test_importing_the_core_does_not_load_discord():
    import subprocess
    import sys

    code = ("import sys, bot.service, bot.cli, bot.answer, bot.summarize; "
            "print('discord' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=BOT.parent)
    assert out.stdout.strip() == "False"
