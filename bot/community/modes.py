"""Per-channel modes set by server admins: off, commands, auto. A setting made in Discord
wins over the config's defaults.

Modes are held in memory (looked up on every command and message). On PostgreSQL, where
several processes share the store, a mode set in one is announced to the others (NOTIFY, on
commit), which re-read that server's modes: `reload`, from their listening thread."""

from __future__ import annotations

import time

from bot.store.connection import Database
from bot.store.dialect import MODES_CHANGED

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
        self.reload()
        self.defaults = defaults or {}
        # The older per-server channel allowlist: listed channels answer commands, the rest
        # of that server is off, unless a mode says otherwise.
        self.allowlists = allowlists or {}

    def set(self, guild_id: int, channel_id: int, mode: str) -> None:
        """Set one channel's mode."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        with self.db.transaction() as conn:
            conn.execute(self.db.dialect.sql(
                "INSERT INTO channel_modes(guild_id, channel_id, mode, set_at) VALUES (?,?,?,?)"
                " ON CONFLICT(guild_id, channel_id) DO UPDATE SET mode=excluded.mode,"
                " set_at=excluded.set_at"),
                (guild_id, channel_id, mode, time.time()))
            self.db.dialect.notify(conn, MODES_CHANGED, guild_id)  # the other processes re-read
        self._stored[guild_id] = {**self._stored.get(guild_id, {}), channel_id: mode}

    def reload(self, guild_id: int | None = None) -> None:
        """Read the stored modes again: one server's (another process set one), or all.
        Each server's modes are swapped in whole, so a lookup never sees half."""
        sql = "SELECT guild_id, channel_id, mode FROM channel_modes"
        rows = (self.db.rows(sql) if guild_id is None else
                self.db.rows(self.db.dialect.sql(sql + " WHERE guild_id=?"), (guild_id,)))
        found: dict[int, dict[int, str]] = {}
        for g, c, m in rows:
            found.setdefault(int(g), {})[int(c)] = m
        if guild_id is None:
            self._stored = found
        else:
            self._stored[guild_id] = found.get(guild_id, {})

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
