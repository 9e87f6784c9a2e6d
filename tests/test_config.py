import tomllib
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, load_config, parse_config

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def test_example_config_documents_the_defaults():
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert parse_config(data) == Config()


def test_example_config_lists_every_key():
    text = EXAMPLE.read_text(encoding="utf-8")
    for section in ("site", "answers", "discord", "fetch", "community"):
        for key in getattr(Config(), section).__dataclass_fields__:
            documented = (f"\n{key} = " in text or f"\n# {key} = " in text
                          or f"[{section}.{key}]" in text)
            assert documented, f"{section}.{key}"


def test_sources_and_channels_parse(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        '[discord]\nguild_ids = [1]\n[discord.channels]\n"1" = [2, 3]\n'
        '[[sources]]\nurl = "https://example.org/"\n[[sources]]\nkind = "file"\npath = "x"\n'
    )
    config = load_config(cfg)
    assert config.discord.channels == {1: (2, 3)}
    assert [s.name for s in config.sources] == ["https://example.org/", "x"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("[nope]\n", "unknown section [nope]"),
        ("[site]\ncolour = 1\n", "unknown key site.colour"),
        ("[answers]\ntop = 0\n", "answers.top"),
        ("[discord]\ncooldown_uses = -1\n", "discord.cooldown_uses"),
        ("[discord]\nephemeral = 'yes'\n", "true or false"),
        ("[[sources]]\nkind = 'ftp'\nurl = 'https://x.org'\n", "kind must be one of"),
        ("[[sources]]\nurl = 'ftp://x.org'\n", "http(s) URL"),
        ("[[sources]]\nurl = 'https://x.org'\npath = 'y'\n", "exactly one of url or path"),
        ("[discord.channels]\nabc = [1]\n", "not a guild id"),
        ("[[sources]]\nkind = 'file'\nurl = 'https://x.org'\n", "takes a path"),
        ("[[sources]]\nkind = 'feed'\npath = 'x.xml'\n", "takes a url"),
        ("token = 'abc'\n", "unknown section [token]"),
    ],
)
def test_bad_configs_are_named(tmp_path, text, message):
    cfg = tmp_path / "c.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=None) as exc:
        load_config(cfg)
    assert message in str(exc.value) and str(cfg) in str(exc.value)


def test_data_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("FOOTNOTE_DATA_DIR", str(tmp_path / "env"))
    config = Config(data_dir=str(tmp_path / "cfg"))
    assert config.resolved_data_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    assert config.resolved_data_dir() == tmp_path / "env"
    monkeypatch.delenv("FOOTNOTE_DATA_DIR")
    assert config.resolved_data_dir() == tmp_path / "cfg"
