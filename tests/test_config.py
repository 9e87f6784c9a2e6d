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
    assert [s.name for s in config.sources] == ["https://example.org/", str(tmp_path / "x")]


def test_relative_paths_are_read_from_the_config_files_folder(tmp_path, monkeypatch):
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "c.toml").write_text(
        '[storage]\ndata_dir = "data"\n[[sources]]\npath = "../site/articles"\n'
        '[[sources]]\npath = "/srv/abs"\n[[guilds]]\nid = 7\nsources = [{path = "g"}]\n')
    monkeypatch.chdir(tmp_path)  # run from elsewhere: the same store, the same folders
    monkeypatch.delenv("FOOTNOTE_DATA_DIR", raising=False)
    config = load_config("etc/c.toml")
    assert config.resolved_data_dir() == folder / "data"
    assert [s.path for s in config.sources] == [str(tmp_path / "site/articles"), "/srv/abs"]
    assert config.guild(7).sources[0].path == str(folder / "g")
    assert parse_config({"storage": {"data_dir": "data"}}).data_dir == "data"  # no file


def test_a_store_found_only_where_the_command_runs_is_kept_with_a_warning(tmp_path,
                                                                          monkeypatch, caplog):
    # Before, relative paths were read from the working folder: a deployment run from
    # /srv/footnote with its config in /etc keeps its store and its folder of articles.
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "c.toml").write_text(
        '[storage]\ndata_dir = "data"\n[[sources]]\npath = "notes"\n')
    work = tmp_path / "srv"
    (work / "data").mkdir(parents=True)
    (work / "data" / "footnote.sqlite3").write_bytes(b"")  # the store, where it was read
    (tmp_path / "etc" / "data").mkdir()  # an empty folder of that name is no store
    (work / "notes").mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("FOOTNOTE_DATA_DIR", raising=False)
    config = load_config(tmp_path / "etc" / "c.toml")
    assert config.resolved_data_dir() == work / "data"
    assert config.sources[0].path == str(work / "notes")
    assert "write it as an absolute path" in caplog.text


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
        ("[[guilds]]\nid = 7\nsources = ['/srv/x']\n", "guilds[1].sources[1].url"),
        # A wait without end, a timeout that fails every fetch at once.
        ("[fetch]\ndelay_seconds = inf\n", "fetch.delay_seconds must be a number >= 0 (and"),
        ("[fetch]\ntimeout_seconds = nan\n", "fetch.timeout_seconds must be a number"),
        ("[discord]\ncooldown_seconds = nan\n", "discord.cooldown_seconds must be a number"),
        ("[fetch]\nrequest_seconds = 0\n", "fetch.request_seconds must be more than 0"),
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
    monkeypatch.chdir(tmp_path)  # `--data-dir seedtest`: named in full, as `status` shows it
    assert config.resolved_data_dir("seedtest") == tmp_path / "seedtest"
