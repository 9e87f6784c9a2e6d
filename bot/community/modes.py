"""Per-channel modes set by server admins: off, commands, auto. A setting made in Discord
wins over the config's defaults."""

from __future__ import annotations

import time

from bot.store.connection import Database

MODES = ("off", "commands", "auto")
SCHEMA = [
    """
    CREATE TABLE channel_modes (
        guild_id INTEGER NOT NULL,
        channel_id INTEGER NOT NULL,
        mode TEXT NOT NULL,
        set_at REAL NOT NULL,
        PRIMARY KEY (guild_id, channel_id)
    )
    """,
]


class ChannelModes:
    """Modes stored per (guild, channel); forums and threads inherit from their parent."""

    def __init__(self, db: Database, defaults: dict[int, dict[int, str]] | None = None,
                 allowlists: dict[int, tuple[int, ...]] | None = None,
                 default: str = "commands") -> None:
        self.db = db
        self.default = default
        db.migrate("channel_modes", db.dialect.schema(SCHEMA))
        # Every stored mode, in memory: looked up on each command and message, so the
        # lookup never waits for the database (nor for a worker thread); `set` keeps it current.
        self._stored: dict[int, dict[int, str]] = {}
        for g, c, m in db.rows("SELECT guild_id, channel_id, mode FROM channel_modes"):
            self._stored.setdefault(int(g), {})[int(c)] = m
        self.defaults = defaults or {}
        # The older per-server channel allowlist: listed channels answer commands, the rest
        # of that server is off, unless a mode says otherwise.
        self.allowlists = allowlists or {}

    def set(self, guild_id: int, channel_id: int, mode: str) -> None:
        """Set one channel's mode."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self.db.write(self.db.dialect.sql(
            "INSERT INTO channel_modes(guild_id, channel_id, mode, set_at) VALUES (?,?,?,?)"
            " ON CONFLICT(guild_id, channel_id) DO UPDATE SET mode=excluded.mode,"
            " set_at=excluded.set_at"),
            (guild_id, channel_id, mode, time.time()),
        )
        self._stored.setdefault(guild_id, {})[channel_id] = mode

    def stored(self, guild_id: int) -> dict[int, str]:
        """Modes set in Discord for a server."""
        return dict(self._stored.get(guild_id, {}))

    def mode(self, guild_id: int | None, channel_id: int, parent_id: int | None = None) -> str:
        """The mode that applies: the channel's, else its parent's (thread, forum post),
        from Discord first, then the config; direct messages are always `commands`."""
        if guild_id is None:
            return "commands"
        stored = self._stored.get(guild_id, {})
        configured = self.defaults.get(guild_id, {})
        for cid in (channel_id, parent_id):
            if cid is None:
                continue
            if cid in stored:
                return stored[cid]
            if cid in configured:
                return configured[cid]
        allow = self.allowlists.get(guild_id)
        if allow:
            return "commands" if {channel_id, parent_id} & set(allow) else "off"
        return configured.get(0, self.default)  # 0: the server's default in the config

    def any_auto(self) -> bool:
        """Is any channel (stored or configured) in auto mode? (Message Content intent.)"""
        if any(m == "auto" for chans in self._stored.values() for m in chans.values()):
            return True
        return self.default == "auto" or any(
            m == "auto" for chans in self.defaults.values() for m in chans.values())
