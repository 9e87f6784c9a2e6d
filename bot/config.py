"""Configuration: TOML laid over typed defaults, validated once. The token never lives here."""

from __future__ import annotations

import logging
import math
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlparse

import platformdirs

from bot.errors import ConfigError

log = logging.getLogger(__name__)

STORE_FILE = "footnote.sqlite3"  # the SQLite store, in the data folder
SOURCE_KINDS = ("auto", "wordpress", "feed", "sitemap", "page", "wxr", "file")
STORAGE_SCHEMES = ("postgresql://", "postgres://")  # storage.url: as bot.store.pg.SCHEMES


@dataclass(frozen=True)
class SiteConfig:
    # Your site, whose search page articles without a URL of their own link to; unset, they
    # are shown without a link (not linked to another site's search).
    base_url: str = ""
    name: str = ""  # shown in help texts


@dataclass(frozen=True)
class AnswerConfig:
    top: int = 3
    vectors: bool = False  # word vectors in the re-ranking (the `vectors` extra; bot/vectors.py)


@dataclass(frozen=True)
class DiscordConfig:
    prefix: str = "!"
    prefix_commands: bool = True
    guild_ids: tuple[int, ...] = ()
    channels: dict[int, tuple[int, ...]] = field(default_factory=dict)
    hits: int = 2
    ephemeral: bool = False
    cooldown_uses: int = 3
    cooldown_seconds: float = 30.0
    # Servers' own corpora kept loaded (least recently used unloaded): about 70 kB each at
    # 40 passages, 2 kB a passage (README, "Memory").
    loaded_corpora: int = 512


CHANNEL_MODES = ("off", "commands", "auto")


@dataclass(frozen=True)
class CommunityConfig:
    retention_days: float = 90.0
    default_mode: str = "commands"
    auto_answers_per_minute: int = 6
    announce_seconds: float = 60.0
    # guild id -> {channel id -> mode}; channel 0 is that server's default
    modes: dict[int, dict[int, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class FetchConfig:
    timeout_seconds: float = 30.0
    connect_timeout_seconds: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    per_host_concurrency: int = 2
    delay_seconds: float = 0.5
    retries: int = 3
    backoff_seconds: float = 1.0
    max_redirects: int = 5
    max_pages: int = 20000
    request_seconds: float = 120.0
    max_retry_after_seconds: float = 60.0
    retry_budget_seconds: float = 120.0
    source_seconds: float = 1800.0
    allow_private: bool = False


@dataclass(frozen=True)
class SourceConfig:
    kind: str = "auto"
    url: str = ""
    path: str = ""
    refresh_minutes: float = 60.0

    @property
    def name(self) -> str:
        return self.url or self.path


@dataclass(frozen=True)
class GuildConfig:
    """A server's own corpus: its sources, and whether it also searches the shared one."""

    id: int
    sources: tuple[SourceConfig, ...] = ()
    shared: bool = False


@dataclass(frozen=True)
class Config:
    site: SiteConfig = SiteConfig()
    answers: AnswerConfig = AnswerConfig()
    discord: DiscordConfig = DiscordConfig()
    fetch: FetchConfig = FetchConfig()
    sources: tuple[SourceConfig, ...] = ()
    data_dir: str = ""
    community: CommunityConfig = CommunityConfig()
    storage_url: str = ""  # a postgresql:// URL: the store in PostgreSQL, not in data_dir
    guilds: tuple[GuildConfig, ...] = ()

    def guild(self, guild_id: int) -> GuildConfig | None:
        """The [[guilds]] table of this server, if any."""
        return next((g for g in self.guilds if g.id == guild_id), None)

    def resolved_data_dir(self, override: str | None = None) -> Path:
        """--data-dir, then FOOTNOTE_DATA_DIR, then the config, then the platform default;
        absolute (`status` names it so, wherever the command ran)."""
        chosen = override or os.environ.get("FOOTNOTE_DATA_DIR") or self.data_dir
        return (Path(chosen).expanduser() if chosen
                else Path(platformdirs.user_data_dir("footnote"))).absolute()


def _typed(cls, table: object, where: str):
    """Build dataclass `cls` from a TOML table, checking keys and types."""
    if not isinstance(table, dict):
        raise ConfigError(f"[{where}] must be a table")
    known = {f.name: f for f in fields(cls)}
    values = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"unknown key {where}.{key}")
        default = getattr(cls(), key)
        values[key] = _coerce(value, default, f"{where}.{key}")
    return cls(**values)


def _coerce(value: object, default: object, where: str) -> object:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false")
        return value
    if isinstance(default, int) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{where} must be a whole number >= 0")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                0 <= value < math.inf):  # TOML has inf and nan: a wait without end
            raise ConfigError(f"{where} must be a number >= 0 (and not inf or nan)")
        return float(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a string")
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise ConfigError(f"{where} must be a list of ids (numbers)")
        return tuple(value)
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table of guild id = [channel ids]")
        out = {}
        for k, v in value.items():
            if not str(k).isdigit():
                raise ConfigError(f"{where}: {k!r} is not a guild id")
            out[int(k)] = _coerce(v, (), f"{where}.{k}")
        return out
    raise ConfigError(f"{where}: unsupported value")


def _check_url(url: str, where: str) -> None:
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where} must be an http(s) URL, not {url!r}")


def parse_config(data: dict) -> Config:
    """Validate a decoded TOML document into a Config."""
    known = {"site", "answers", "discord", "fetch", "sources", "storage", "community",
             "guilds"}
    for key in data:
        if key not in known:
            raise ConfigError(f"unknown section [{key}]")
    site = _typed(SiteConfig, data.get("site", {}), "site")
    if site.base_url:
        _check_url(site.base_url, "site.base_url")
    answers = _typed(AnswerConfig, data.get("answers", {}), "answers")
    if not 1 <= answers.top <= 10:
        raise ConfigError("answers.top must be between 1 and 10")
    discord = _typed(DiscordConfig, data.get("discord", {}), "discord")
    if not 1 <= discord.hits <= 10:
        raise ConfigError("discord.hits must be between 1 and 10")
    if discord.prefix_commands and not discord.prefix.strip():
        raise ConfigError("discord.prefix must not be empty")
    fetch = _typed(FetchConfig, data.get("fetch", {}), "fetch")
    if fetch.max_bytes < 1024:
        raise ConfigError("fetch.max_bytes must be at least 1024")
    for name in ("timeout_seconds", "connect_timeout_seconds", "request_seconds",
                 "source_seconds"):
        if not getattr(fetch, name) > 0:  # 0 would fail every fetch at once
            raise ConfigError(f"fetch.{name} must be more than 0")
    sources = _sources(data.get("sources", []), "sources")
    storage = data.get("storage", {})
    if not isinstance(storage, dict) or set(storage) - {"data_dir", "url"}:
        raise ConfigError("[storage] takes only data_dir and url")
    data_dir, url = storage.get("data_dir", ""), storage.get("url", "")
    if not isinstance(data_dir, str):
        raise ConfigError("storage.data_dir must be a string")
    if not isinstance(url, str) or (url and not url.startswith(STORAGE_SCHEMES)):
        raise ConfigError("storage.url must be empty (SQLite in the data folder) or a "
                          "postgresql:// URL")
    community = _community(data.get("community", {}))
    return Config(site, answers, discord, fetch, sources, data_dir, community,
                  storage_url=url, guilds=_guilds(data.get("guilds", [])))


def _guilds(raw: object) -> tuple[GuildConfig, ...]:
    """[[guilds]] tables: id, sources (URLs, or tables like [[sources]]), shared."""
    if not isinstance(raw, list):
        raise ConfigError("guilds must be written as [[guilds]] tables")
    out: list[GuildConfig] = []
    for n, table in enumerate(raw, start=1):
        where = f"guilds[{n}]"
        if not isinstance(table, dict) or set(table) - {"id", "sources", "shared"}:
            raise ConfigError(f"[{where}] takes id, sources and shared")
        gid = table.get("id")
        if isinstance(gid, bool) or not isinstance(gid, int) or gid <= 0:
            raise ConfigError(f"{where}.id must be a server (guild) id")
        if not isinstance(table.get("shared", False), bool):
            raise ConfigError(f"{where}.shared must be true or false")
        srcs = [{"url": s} if isinstance(s, str) else s for s in table.get("sources", [])]
        out.append(GuildConfig(gid, _sources(srcs, f"{where}.sources"),
                               table.get("shared", False)))
    if len({g.id for g in out}) < len(out):
        raise ConfigError("[[guilds]]: a server is listed twice")
    return tuple(out)


def _sources(raw_sources: object, name: str) -> tuple[SourceConfig, ...]:
    if not isinstance(raw_sources, list):
        raise ConfigError(f"{name} must be written as [[{name}]] tables")
    sources = []
    for n, table in enumerate(raw_sources, start=1):
        src = _typed(SourceConfig, table, f"{name}[{n}]")
        if src.kind not in SOURCE_KINDS:
            raise ConfigError(f"{name}[{n}].kind must be one of {', '.join(SOURCE_KINDS)}")
        if bool(src.url) == bool(src.path):
            raise ConfigError(f"{name}[{n}] needs exactly one of url or path")
        if src.url:
            _check_url(src.url, f"{name}[{n}].url")
            if src.kind == "file":
                raise ConfigError(f"{name}[{n}]: kind 'file' takes a path, not a url")
        elif src.kind not in ("auto", "file", "wxr"):
            raise ConfigError(f"{name}[{n}]: kind '{src.kind}' takes a url, not a path")
        sources.append(src)
    return tuple(sources)


def _mode(value: object, where: str) -> str:
    if value not in CHANNEL_MODES:
        raise ConfigError(f"{where} must be one of {', '.join(CHANNEL_MODES)}")
    return str(value)


def _community(table: object) -> CommunityConfig:
    """[community], with [community.modes."<guild id>"] tables of "<channel id>" = mode
    (and `default` = mode for the rest of that server)."""
    if not isinstance(table, dict):
        raise ConfigError("[community] must be a table")
    raw_modes = table.get("modes", {})
    plain = _typed(CommunityConfig, {k: v for k, v in table.items() if k != "modes"},
                   "community")
    _mode(plain.default_mode, "community.default_mode")
    if not isinstance(raw_modes, dict):
        raise ConfigError("community.modes must be a table of guild id = {channel id = mode}")
    modes: dict[int, dict[int, str]] = {}
    for guild, chans in raw_modes.items():
        where = f"community.modes.{guild}"
        if not str(guild).isdigit():
            raise ConfigError(f"community.modes: {guild!r} is not a guild id")
        if not isinstance(chans, dict):
            raise ConfigError(f"{where} must be a table of channel id = mode")
        out = {}
        for chan, mode in chans.items():
            if chan != "default" and not str(chan).isdigit():
                raise ConfigError(f"{where}: {chan!r} is not a channel id (or default)")
            out[0 if chan == "default" else int(chan)] = _mode(mode, f"{where}.{chan}")
        modes[int(guild)] = out
    return CommunityConfig(plain.retention_days, plain.default_mode,
                           plain.auto_answers_per_minute, plain.announce_seconds, modes)


def load_config(path: str | Path | None = None) -> Config:
    """--config PATH, else FOOTNOTE_CONFIG, else ./config.toml if present, else defaults."""
    explicit = path or os.environ.get("FOOTNOTE_CONFIG")
    candidate = Path(explicit) if explicit else Path("config.toml")
    if not candidate.exists():
        if explicit:
            raise ConfigError(f"config file not found: {candidate}")
        return Config()
    try:
        data = tomllib.loads(candidate.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{candidate}: invalid TOML ({e})") from None
    except OSError as e:
        raise ConfigError(f"{candidate}: {e.strerror}") from None
    try:
        return _anchored(parse_config(data), candidate.absolute().parent)
    except ConfigError as e:
        raise ConfigError(f"{candidate}: {e}") from None


def _anchored(config: Config, folder: Path) -> Config:
    """Relative paths in a config file (storage.data_dir, a source's path) read from the
    file's folder: the store a command opens must not depend on where it was run from
    (a service manager's working folder is rarely the admin's)."""
    def anchor(path: str, holds: str = "") -> str:
        """`holds`: what marks the path as in use (a store's file in a data folder)."""
        if not path or Path(path).expanduser().is_absolute():
            return path
        there, here = (folder / path).resolve(), Path(path).resolve()
        if here != there and (here / holds).exists() and not (there / holds).exists():
            # Read from the working folder before: an existing deployment keeps its store.
            log.warning("%s is read from the config file's folder (%s) now, where it does not "
                        "exist; using %s, where it does: write it as an absolute path",
                        path, folder, here)
            return str(here)
        return str(there)

    def sources(srcs: tuple[SourceConfig, ...]) -> tuple[SourceConfig, ...]:
        return tuple(replace(s, path=anchor(s.path)) for s in srcs)

    return replace(config, data_dir=anchor(config.data_dir, STORE_FILE),
                   sources=sources(config.sources),
                   guilds=tuple(replace(g, sources=sources(g.sources)) for g in config.guilds))
