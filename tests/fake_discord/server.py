"""Fake Discord: REST routes and a gateway websocket, recording every REST call.

Only what Footnote's bot needs: login, application info, command sync, interaction
callbacks, webhooks (followups/edits), channel messages and typing, threads started from a
message (with their THREAD_CREATE), a forum channel and its posts (`forum_post`), messages
in threads and GET channel. Events are pushed with `dispatch`.
`rate_limit(path_fragment, times)` answers 429s for matching calls.
Like Discord, it refuses a message, interaction response, followup or edit that breaks a
length limit or carries a non-http(s) embed url: HTTP 400, code 50035 "Invalid Form Body"
(recorded in `rejected`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiohttp import WSMsgType, web

from bot.discord_app import limits
from tests.waiting import WAIT_SECONDS

APP_ID = 900000000000000001
BOT_ID = 900000000000000001
GUILD_ID = 910000000000000001
SECOND_GUILD_ID = 910000000000000002  # present when FakeDiscord.guild_ids lists it
SECOND_CHANNEL_ID = 920000000000000011  # the second server's one text channel
CHANNEL_ID = 920000000000000001
OTHER_CHANNEL_ID = 920000000000000002
FORUM_ID = 920000000000000003
USER_ID = 930000000000000001
ROLE_ID = 940000000000000001

_ids = itertools.count(1)
DISCORD_EPOCH_MS = 1420070400000


def snowflake() -> int:
    """A fresh id dated now: discord.py treats interactions older than 15 minutes as expired."""
    ms = int(datetime.now(UTC).timestamp() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_ids) & 0x3FFFFF)


def now() -> str:
    return datetime.now(UTC).isoformat()


def user(uid: int = USER_ID, name: str = "reader", bot: bool = False) -> dict:
    return {"id": str(uid), "username": name, "discriminator": "0", "global_name": name,
            "avatar": None, "bot": bot, "public_flags": 0}


def member(uid: int = USER_ID, permissions: int = 0) -> dict:
    return {"user": user(uid), "roles": [], "joined_at": now(), "deaf": False, "mute": False,
            "flags": 0, "permissions": str(permissions), "nick": None}


def message(content: str, author: dict | None = None, channel_id: int = CHANNEL_ID,
            mentions: list[dict] | None = None, mid: int | None = None,
            guild_id: int = GUILD_ID) -> dict:
    author = author or user()
    return {
        "id": str(mid or snowflake()), "channel_id": str(channel_id), "guild_id": str(guild_id),
        "author": author, "member": {"roles": [], "joined_at": now(), "deaf": False,
                                     "mute": False, "flags": 0},
        "content": content, "timestamp": now(), "edited_timestamp": None, "tts": False,
        "mention_everyone": False, "mentions": mentions or [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0,
        "components": [],
    }


def channel(cid: int, name: str, kind: int = 0, position: int = 0,
            guild_id: int = GUILD_ID) -> dict:
    """A text channel (type 0) or a forum (type 15)."""
    data = {"id": str(cid), "type": kind, "name": name, "position": position,
            "guild_id": str(guild_id), "permission_overwrites": [], "nsfw": False,
            "parent_id": None, "topic": None}
    if kind == 15:
        data |= {"available_tags": [], "default_reaction_emoji": None, "flags": 0,
                 "default_sort_order": None, "default_forum_layout": 0,
                 "default_thread_rate_limit_per_user": 0}
    return data


CHANNELS = [channel(CHANNEL_ID, "general"), channel(OTHER_CHANNEL_ID, "off", position=1),
            channel(FORUM_ID, "help-forum", 15, position=2)]


def thread(tid: int, parent_id: int, name: str, owner_id: int = USER_ID) -> dict:
    """A public thread (type 11): started from a message, or a forum post."""
    return {"id": str(tid), "type": 11, "guild_id": str(GUILD_ID), "parent_id": str(parent_id),
            "owner_id": str(owner_id), "name": name, "last_message_id": None,
            "rate_limit_per_user": 0, "message_count": 0, "member_count": 1, "flags": 0,
            "applied_tags": [], "thread_metadata": {
                "archived": False, "auto_archive_duration": 1440, "archive_timestamp": now(),
                "locked": False, "create_timestamp": now()}}


def guild_channel(gid: int) -> int:
    """The one text channel of a server other than the first."""
    return SECOND_CHANNEL_ID if gid == SECOND_GUILD_ID else gid + 10_000_000


def shard_of(gid: int, count: int) -> int:
    """The shard Discord sends a server's events on."""
    return (gid >> 22) % count


def guild(gid: int = GUILD_ID) -> dict:
    channels = CHANNELS if gid == GUILD_ID else [
        channel(guild_channel(gid), "general", guild_id=gid)]
    return {
        "id": str(gid), "name": "Test Server", "icon": None, "owner_id": str(USER_ID),
        "afk_channel_id": None, "afk_timeout": 300, "verification_level": 0,
        "default_message_notifications": 0, "explicit_content_filter": 0, "mfa_level": 0,
        "features": [], "roles": [
            {"id": str(gid), "name": "@everyone", "permissions": str(0x4400 | 0x800),
             "position": 0, "color": 0, "hoist": False, "managed": False, "mentionable": False,
             "flags": 0},
        ],
        "emojis": [], "stickers": [], "channels": channels, "threads": [],
        "members": [member(BOT_ID) | {"user": user(BOT_ID, "Footnote", bot=True)}],
        "member_count": 2, "large": False, "unavailable": False, "joined_at": now(),
        "voice_states": [], "presences": [], "stage_instances": [],
        "guild_scheduled_events": [], "premium_tier": 0, "preferred_locale": "en-US",
        "system_channel_id": None, "system_channel_flags": 0, "rules_channel_id": None,
        "nsfw_level": 0, "premium_progress_bar_enabled": False,
    }


def _json(data, status: int = 200, headers: dict | None = None) -> web.Response:
    """discord.py only parses bodies whose content type is exactly application/json."""
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json", **(headers or {})})


def _max(errors: dict, path: str, value, limit: int) -> None:
    if value is not None and len(value) > limit:
        errors[path] = ("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _components(errors: dict, rows: list) -> None:
    for r, row in enumerate(rows or []):
        for c, comp in enumerate(row.get("components") or []):
            at = f"components.{r}.components.{c}"
            _max(errors, f"{at}.label", comp.get("label"), limits.BUTTON_LABEL)
            _max(errors, f"{at}.custom_id", comp.get("custom_id"), 100)
            _max(errors, f"{at}.placeholder", comp.get("placeholder"), limits.SELECT_PLACEHOLDER)
            _max(errors, f"{at}.options", comp.get("options"), limits.SELECT_OPTIONS)
            for o, opt in enumerate(comp.get("options") or []):
                for key in ("label", "value", "description"):
                    _max(errors, f"{at}.options.{o}.{key}", opt.get(key), limits.SELECT_OPTION)


def _embeds(errors: dict, embeds: list) -> None:
    _max(errors, "embeds", embeds, limits.EMBEDS_PER_MESSAGE)
    total = 0
    for i, e in enumerate(embeds):
        texts = {"title": (e.get("title"), limits.EMBED_TITLE),
                 "description": (e.get("description"), limits.EMBED_DESCRIPTION),
                 "footer.text": ((e.get("footer") or {}).get("text"), limits.EMBED_FOOTER),
                 "author.name": ((e.get("author") or {}).get("name"), limits.EMBED_AUTHOR)}
        for f, field_ in enumerate(e.get("fields") or []):
            texts[f"fields.{f}.name"] = (field_.get("name"), limits.EMBED_FIELD_NAME)
            texts[f"fields.{f}.value"] = (field_.get("value"), limits.EMBED_FIELD_VALUE)
        _max(errors, f"embeds.{i}.fields", e.get("fields"), limits.EMBED_FIELDS)
        for key, (text, limit) in texts.items():
            _max(errors, f"embeds.{i}.{key}", text, limit)
            total += len(text or "")
        url = e.get("url")
        if url is not None and not url.lower().startswith(("http://", "https://")):
            errors[f"embeds.{i}.url"] = ("URL_TYPE_INVALID_URL",
                                         "Scheme must be one of ('http', 'https').")
    if total > limits.EMBED_TOTAL:
        errors["embeds"] = ("BASE_TYPE_MAX_LENGTH",
                            f"Embed size exceeds maximum size of {limits.EMBED_TOTAL}")


def payload_errors(data: dict) -> dict[str, tuple[str, str]]:
    """What Discord would refuse in a message payload (or autocomplete result), by field path."""
    errors: dict[str, tuple[str, str]] = {}
    _max(errors, "content", data.get("content"), limits.CONTENT)
    _embeds(errors, data.get("embeds") or [])
    _components(errors, data.get("components") or [])
    choices = data.get("choices")
    _max(errors, "choices", choices, limits.AUTOCOMPLETE_CHOICES)
    for c, choice in enumerate(choices or []):
        name, value = choice.get("name") or "", choice.get("value")
        if not 1 <= len(name) <= limits.CHOICE_NAME:
            errors[f"choices.{c}.name"] = ("BASE_TYPE_BAD_LENGTH",
                                           f"Must be between 1 and {limits.CHOICE_NAME}.")
        if isinstance(value, str):
            _max(errors, f"choices.{c}.value", value, limits.CHOICE_VALUE)
    return errors


def invalid_form_body(errors: dict[str, tuple[str, str]]) -> dict:
    """Discord's 400 body: errors nested by field path, each with `_errors`."""
    nested: dict = {}
    for path, (code, text) in errors.items():
        node = nested
        for key in path.split("."):
            node = node.setdefault(key, {})
        node["_errors"] = [{"code": code, "message": text}]
    return {"code": 50035, "errors": nested, "message": "Invalid Form Body"}


def _sent_payload(method: str, parts: list[str], body) -> dict | None:
    """The message-like part of a request the bot sends, or None for other requests."""
    if method not in ("POST", "PATCH") or not isinstance(body, dict):
        return None
    if parts[0] == "interactions" and parts[-1] == "callback":
        return body.get("data") or {}
    if parts[0] == "webhooks" or (parts[0] == "channels" and "messages" in parts):
        return body
    return None


@dataclass
class Call:
    method: str
    path: str
    body: dict | list | None
    query: dict = field(default_factory=dict)
    at: float = 0.0
    status: int = 0
    response: dict | list | None = None
    via: str = ""  # the process that sent it, when it calls /via/<name>/api/v10 (launch.py)


class FakeDiscord:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.sockets: list[web.WebSocketResponse] = []
        self.seq = 0
        self.identifies = 0
        self.resumes = 0
        self.commands: dict[str, list[dict]] = {}
        self.rejected: list[Call] = []  # refused as Discord would (400, code 50035)
        self._limits: list[list] = []
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.new_call = asyncio.Event()
        self.in_guild = True  # False: READY lists no server (a bot not invited anywhere)
        self.guild_ids = [GUILD_ID]  # the servers the bot is in (add SECOND_GUILD_ID)
        self.intents: int | None = None  # what the last IDENTIFY asked for
        self.identified: list[tuple[int, int]] = []  # (shard id, shard count) per IDENTIFY
        self._shard: dict[web.WebSocketResponse, tuple[int, int]] = {}
        self.threads: dict[int, dict] = {}  # thread id -> channel object

    # -- lifecycle
    async def start(self) -> None:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_get("/ws/", self.gateway)
        app.router.add_get("/ws", self.gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest)
        # The same API under a per-process prefix: a bot in another process (launch.py)
        # names itself, so a test can tell which process made each call.
        app.router.add_route("*", "/via/{via}/api/v10/{tail:.*}", self.rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in list(self.sockets):
            await ws.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    def api_base_for(self, via: str) -> str:
        """The API base a bot in another process is given: its calls are marked `via`."""
        return f"http://127.0.0.1:{self.port}/via/{via}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"

    # -- gateway
    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None})
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                op = data.get("op")
                if op == 1:
                    await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
                elif op == 2:
                    self.identifies += 1
                    self.intents = (data.get("d") or {}).get("intents")
                    shard = tuple((data.get("d") or {}).get("shard") or (0, 1))
                    self.identified.append(shard)
                    self._shard[ws] = shard
                    # As Discord does: a shard gets the servers whose id maps to it.
                    mine = [g for g in self.guild_ids if shard_of(g, shard[1]) == shard[0]]
                    await self._send(ws, "READY", {
                        "v": 10, "user": user(BOT_ID, "Footnote", bot=True),
                        "guilds": [{"id": str(g), "unavailable": True}
                                   for g in mine] if self.in_guild else [],
                        "session_id": f"session-{shard[0]}",
                        "resume_gateway_url": self.gateway_url,
                        "application": {"id": str(APP_ID), "flags": 0}, "shard": list(shard),
                    })
                    for gid in mine if self.in_guild else []:
                        await self._send(ws, "GUILD_CREATE", guild(gid))
                elif op == 6:
                    self.resumes += 1
                    await self._send(ws, "RESUMED", {})
        finally:
            if ws in self.sockets:
                self.sockets.remove(ws)
            self._shard.pop(ws, None)
        return ws

    async def _send(self, ws: web.WebSocketResponse, event: str, data: dict) -> None:
        self.seq += 1
        await ws.send_json({"op": 0, "t": event, "s": self.seq, "d": data})

    async def dispatch(self, event: str, data: dict) -> None:
        # (Sent to no one if no bot connects in time: the test's wait then fails.)
        deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
        while not self.sockets and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
        gid = int(data.get("guild_id") or 0) if isinstance(data, dict) else 0
        for ws in list(self.sockets):
            shard = self._shard.get(ws, (0, 1))
            if gid and shard_of(gid, shard[1]) != shard[0]:
                continue  # another shard's server: that connection gets it
            await self._send(ws, event, data)

    async def drop_connection(self, code: int = 4000) -> None:
        """Close the gateway like Discord does on an unknown error; the client resumes."""
        for ws in list(self.sockets):
            await ws.close(code=code, message=b"reconnect")

    # -- REST
    def rate_limit(self, fragment: str, times: int = 1, retry_after: float = 0.2) -> None:
        self._limits.append([fragment, times, retry_after])

    async def rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body = None
        if request.can_read_body:
            raw = await request.read()
            if raw and request.content_type == "application/json":
                body = json.loads(raw)
            elif raw and request.content_type.startswith("multipart"):
                body = {"multipart": True}
        call = Call(request.method, path, body, dict(request.query),
                    asyncio.get_running_loop().time(), via=request.match_info.get("via", ""))
        self.calls.append(call)
        self.new_call.set()
        for limit in self._limits:
            if limit[0] in path and limit[1] > 0:
                limit[1] -= 1
                call.status = 429
                return _json(
                    {"message": "You are being rate limited.", "retry_after": limit[2],
                     "global": False},
                    status=429,
                    headers={"Retry-After": str(limit[2]), "Via": "1.1 google",
                             "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                             "X-RateLimit-Reset-After": str(limit[2]),
                             "X-RateLimit-Bucket": "fake", "X-RateLimit-Scope": "user"},
                )
        sent = _sent_payload(request.method, path.strip("/").split("/"), body)
        errors = payload_errors(sent) if sent is not None else {}
        if errors:
            self.rejected.append(call)
            response = _json(invalid_form_body(errors), status=400)
        else:
            response = await self._route(request.method, path, body)
        call.status = response.status
        if response.content_type == "application/json":
            call.response = json.loads(response.body)  # type: ignore[arg-type]
        return response

    async def _route(self, method: str, path: str, body) -> web.Response:
        parts = path.strip("/").split("/")
        if path == "/users/@me":
            return _json(user(BOT_ID, "Footnote", bot=True))
        if path == "/oauth2/applications/@me":
            return _json({
                "id": str(APP_ID), "name": "Footnote", "icon": None, "description": "",
                "rpc_origins": [], "bot_public": True, "bot_require_code_grant": False,
                "owner": user(USER_ID), "summary": "", "verify_key": "0" * 64, "flags": 0,
                "team": None,
            })
        if parts[0] == "applications" and parts[-1] == "commands":
            key = "/".join(parts[2:-1]) or "global"
            if method == "PUT":
                stored = []
                for cmd in body or []:
                    stored.append({"description": "", "options": []} | cmd | {
                        "id": str(snowflake()), "application_id": str(APP_ID),
                        "version": str(snowflake())})
                self.commands[key] = stored
                return _json(stored)
            return _json(self.commands.get(key, []))
        if parts[0] == "interactions" and parts[-1] == "callback":
            return _json(self._callback_response(parts[1], body or {}))
        if parts[0] == "webhooks":
            if method == "DELETE":
                return web.Response(status=204)
            content = (body or {}).get("payload_json") or body or {}
            return _json(self._bot_message(content))
        if parts[0] == "channels" and parts[-1] == "typing":
            return web.Response(status=204)
        if parts[0] == "channels" and parts[-1] == "messages" and method == "POST":
            return _json(self._bot_message(body or {}, int(parts[1])))
        if parts[0] == "channels" and parts[-1] == "threads" and method == "POST" \
                and len(parts) == 5:
            return self._start_thread(int(parts[1]), int(parts[3]), body or {})
        if parts[0] == "channels" and len(parts) == 2 and method == "GET":
            found = self.threads.get(int(parts[1])) or next(
                (c for c in CHANNELS if c["id"] == parts[1]), None)
            if found is None:
                return _json({"message": "Unknown Channel", "code": 10003}, status=404)
            return _json(found)
        return _json({"message": "Unknown route", "code": 0}, status=404)

    def _start_thread(self, channel_id: int, message_id: int, body: dict) -> web.Response:
        """A thread on a message: its id is the message's; one per message, as on Discord."""
        if message_id in self.threads:
            return _json({"message": "A thread has already been created for this message",
                          "code": 160004}, status=400)
        data = thread(message_id, channel_id, body.get("name") or "thread", owner_id=BOT_ID)
        self.threads[message_id] = data
        asyncio.get_running_loop().create_task(
            self.dispatch("THREAD_CREATE", data | {"newly_created": True}))
        return _json(data)

    async def forum_post(self, title: str, content: str, author: dict | None = None,
                         forum_id: int = FORUM_ID) -> dict:
        """A new forum post as Discord sends it: THREAD_CREATE, then the starter message
        (whose id is the thread's) in the thread."""
        tid = snowflake()
        data = thread(tid, forum_id, title, owner_id=int((author or user())["id"]))
        self.threads[tid] = data
        await self.dispatch("THREAD_CREATE", data | {"newly_created": True})
        starter = message(content, author=author, channel_id=tid, mid=tid)
        await self.dispatch("MESSAGE_CREATE", starter)
        return starter

    def _bot_message(self, body: dict, channel_id: int = CHANNEL_ID) -> dict:
        msg = message(body.get("content") or "", author=user(BOT_ID, "Footnote", bot=True),
                      channel_id=channel_id)
        msg["embeds"] = body.get("embeds") or []
        msg["components"] = body.get("components") or []
        msg["flags"] = body.get("flags", 0)
        return msg

    def _callback_response(self, interaction_id: str, body: dict) -> dict:
        kind = body.get("type")
        data = body.get("data") or {}
        message = self._bot_message(data)
        out = {"interaction": {
            "id": interaction_id, "type": 2, "response_message_id": message["id"],
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(data.get("flags", 0) & 64),
        }}
        if kind in (4, 7):
            out["resource"] = {"type": kind, "message": message}
        elif kind in (5, 6, 8):
            out["resource"] = {"type": kind}
        return out

    # -- helpers for tests
    def find(self, predicate) -> list[Call]:
        return [c for c in self.calls if predicate(c)]

    async def wait_for(self, predicate, timeout: float = WAIT_SECONDS,
                       count: int = 1) -> list[Call]:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            found = self.find(predicate)
            if len(found) >= count:
                return found
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"no matching call; calls so far: "
                                     f"{[(c.method, c.path) for c in self.calls]}")
            self.new_call.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.new_call.wait(), min(remaining, 0.5))


def interaction(kind: int, data: dict, permissions: int = 0x4400 | 0x800,
                channel_id: int = CHANNEL_ID, user_id: int = USER_ID,
                msg: dict | None = None, guild_id: int = GUILD_ID) -> dict:
    payload = {
        "id": str(snowflake()), "application_id": str(APP_ID), "type": kind, "data": data,
        "guild_id": str(guild_id), "channel_id": str(channel_id),
        "channel": {"id": str(channel_id), "type": 0, "guild_id": str(guild_id),
                    "name": "general", "position": 0, "permission_overwrites": [],
                    "nsfw": False, "parent_id": None},
        "member": member(user_id, permissions), "token": f"tok{snowflake()}", "version": 1,
        "locale": "en-US", "guild_locale": "en-US", "app_permissions": str(0x4400 | 0x800),
        "entitlements": [], "authorizing_integration_owners": {"0": str(guild_id)},
        "context": 0, "attachment_size_limit": 8388608,
    }
    if msg is not None:
        payload["message"] = msg
    return payload


def slash(name: str, options: list[dict] | None = None, **kw) -> dict:
    return interaction(2, {"id": str(snowflake()), "name": name, "type": 1,
                           "options": options or []}, **kw)


def option(name: str, value, focused: bool = False, kind: int = 3) -> dict:
    opt = {"name": name, "type": kind, "value": value}
    if focused:
        opt["focused"] = True
    return opt
