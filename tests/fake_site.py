"""A local aiohttp server that behaves like a WordPress site, with faults on demand.

REST API as WordPress 6 answers it (offset paging, `_fields`, `include`, `modified_after`,
X-WP-Total counting password-protected posts, 400 past the last page, `Link: rel="next"`,
no validators; drafts and private posts never listed), RSS feeds (full content and
excerpt-only, a protected post), a sitemap index with a gzipped child, article pages with
menus/share widgets/footers, robots.txt, and fault routes (5xx then recovery, 429 +
Retry-After, slow, truncated, wrong type, invalid XML, redirect loop, a huge page, a
billion-laughs feed, a windows-1252 page, a server dripping bytes, a huge Retry-After, a big
sitemap index, links to private addresses).
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape

from aiohttp import web
from multidict import CIMultiDict

from bot.config import FetchConfig

TOPICS = [
    ("Nile dam talks stall again", "Egypt and Ethiopia failed to agree on drought rules for the "
     "Grand Ethiopian Renaissance Dam, and Sudan warned of flooding downstream."),
    ("Kuril Islands dispute", "Japan claims the four islands as its Northern Territories while "
     "Russia keeps a naval base there for its Pacific fleet."),
    ("Sahel coups and the Wagner group", "Mercenaries moved into Mali after the junta expelled "
     "French troops, and attacks on villages rose sharply."),
]


def make_post(i: int, base: str, **extra: object) -> dict:
    title, text = TOPICS[i % len(TOPICS)]
    return {
        "id": i + 1,
        "title": f"{title} (part {i + 1})",
        "slug": f"post-{i + 1}",
        "paragraphs": [f"{text} Report number {i + 1} of the series.",
                       f"Analysts in city{i + 1} expect talks to resume next quarter."],
        "modified": f"2024-01-{1 + i % 28:02d}T10:00:00",
        "link": f"{base}/2024/post-{i + 1}/",
        "status": "publish", "password": "", **extra,
    }


def wp_title(title: str) -> str:
    """A title as WordPress renders it: wptexturize's curly quotes, ellipses and dashes as
    numeric entities, `&` as `&#038;`."""
    out = escape(title, quote=False).replace("&amp;", "&#038;")
    out = out.replace("...", "&#8230;").replace(" - ", " &#8211; ")
    out = re.sub(r'"(\w)', r"&#8220;\1", out).replace('"', "&#8221;")
    return re.sub(r"(\w)'(\w)", r"\1&rsquo;\2", out)


def wp_content(paragraphs: list[str]) -> str:
    """Block-editor markup: blocks separated by blank lines, with a figure and its caption,
    a quote with its cite, buttons and a separator among the paragraphs."""
    blocks = [f"<p>{escape(p)}</p>" for p in paragraphs]
    blocks.insert(1, '<figure class="wp-block-image size-large"><img src="/dam.jpg" alt=""/>'
                     '<figcaption class="wp-element-caption">A photo of the dam</figcaption>'
                     "</figure>")
    blocks.append('<blockquote class="wp-block-quote"><p>Water is a shared blessing.</p>'
                  "<cite>A minister</cite></blockquote>")
    blocks.append('<div class="wp-block-buttons"><div class="wp-block-button"><a class="'
                  'wp-block-button__link wp-element-button" href="/donate/">Donate today</a>'
                  "</div></div>")
    blocks.append('<hr class="wp-block-separator has-alpha-channel-opacity"/>')
    return "\n\n".join(blocks) + "\n"


@dataclass
class FakeSite:
    n_posts: int = 150
    posts: list[dict] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    queries: list[dict] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)  # paths answering 500 forever
    hidden: list[dict] = field(default_factory=list)  # draft, private, protected, future
    stuck: bool = False  # the API claims 100,000 pages and answers page 1 every time
    counts: bool = True  # X-WP-Total / X-WP-TotalPages sent (some proxies strip them)
    root_api_gone: bool = False  # /wp-json/ at the root answers 404 (only /news-site/ has one)
    before_posts_page: list = field(default_factory=list)  # callbacks(query) on every request
    counters: dict[str, int] = field(default_factory=dict)
    port: int = 0
    host: str = "127.0.0.1"
    drip_seconds: float = 0.2  # /drip/: one byte this often, for ever
    big_children: int = 3  # /big-sitemap-index.xml: this many child sitemaps,
    big_per_child: int = 10  # each listing this many of the posts
    _runner: web.AppRunner | None = None

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.posts = [make_post(i, self.base) for i in range(self.n_posts)]
        if self.n_posts > 5:
            self.posts[5]["title"] = 'Egypt\'s "red line" & the dam...'
        n = self.n_posts
        self.hidden = [make_post(n, self.base, status="draft"),
                       make_post(n + 1, self.base, status="private"),
                       make_post(n + 2, self.base, password="secret"),
                       make_post(n + 3, self.base, status="future")]

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    def count(self, path: str) -> int:
        return self.counters.get(path, 0)

    # -- pages
    def post_html(self, post: dict) -> str:
        paras = "".join(f"<p>{escape(p)}</p>" for p in post["paragraphs"])
        return (
            f"<!doctype html><html><head><title>{escape(post['title'])} | Peace Site</title>"
            f'<meta name="author" content="Staff Writer">'
            f'<link rel="https://api.w.org/" href="{self.base}/wp-json/"></head><body>'
            '<header><nav class="main-menu"><ul><li><a href="/">Home</a></li>'
            '<li><a href="/about/">About us</a></li><li>Donate now</li></ul></nav></header>'
            f'<article><h1 class="entry-title">{escape(post["title"])}</h1>'
            f'<div class="entry-content">{paras}'
            '<div class="sharedaddy sd-sharing"><h3>Share this:</h3><ul><li>Twitter</li>'
            '<li>Facebook</li></ul></div></div></article>'
            '<aside class="widget">Popular posts: Something else entirely</aside>'
            "<footer>Copyright Peace Site. All rights reserved.</footer></body></html>"
        )

    def rest_post(self, post: dict) -> dict:
        content = wp_content(post["paragraphs"])
        content += '<div class="sharedaddy"><p>Share this: Twitter</p></div>'
        content += "<script>alert(1)</script>"
        protected = bool(post["password"])
        excerpt = "" if protected else f"<p>{escape(post['paragraphs'][0][:80])}</p>"
        return {"id": post["id"], "date_gmt": post["modified"], "modified_gmt": post["modified"],
                "link": post["link"], "title": {"rendered": wp_title(post["title"]) + " &#8211; "
                                                "analysis"},
                "content": {"rendered": "" if protected else content, "protected": protected},
                "excerpt": {"rendered": excerpt, "protected": protected}}

    def feed(self, full: bool) -> str:
        items = []
        for post in self.posts[:10]:
            body = "".join(f"<p>{escape(p)}</p>" for p in post["paragraphs"]) * 4
            content = f"<content:encoded><![CDATA[{body}]]></content:encoded>" if full else ""
            items.append(
                f"<item><title>{escape(post['title'])}</title><link>{post['link']}</link>"
                f"<pubDate>{formatdate(86400 * (post['id'] % 28), localtime=True)}</pubDate>"
                f"<description><![CDATA[{escape(post['paragraphs'][0][:60])} […]]]></description>"
                f"{content}</item>"
            )
        secret = self.hidden[2]
        items.insert(0, (  # what WordPress puts in a feed for a password-protected post
            f"<item><title>{escape(secret['title'])}</title><link>{secret['link']}</link>"
            f"<pubDate>{formatdate(0)}</pubDate><description><![CDATA[There is no excerpt "
            "because this is a protected post.]]></description><content:encoded><![CDATA["
            '<form action="/wp-login.php?action=postpass" class="post-password-form" '
            'method="post"><p>This content is password protected. To view it please enter '
            'your password below:</p><p><label>Password: <input name="post_password" '
            'type="password" size="20" /></label></p></form>]]></content:encoded></item>'))
        return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                f"<title>Peace Site</title><link>{self.base}/</link>{''.join(items)}"
                "</channel></rss>")

    def sitemap(self, posts: list[dict]) -> str:
        urls = "".join(f"<url><loc>{p['link']}</loc><lastmod>{p['modified']}</lastmod></url>"
                       for p in posts)
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')

    # -- dispatch
    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        self.requests.append(path)
        self.counters[path] = self.counters.get(path, 0) + 1
        if path in self.failing:
            return web.Response(status=500, text="boom")
        base = self.base
        if path == "/robots.txt":
            return web.Response(text="User-agent: *\nDisallow: /private/\n")
        if path == "/":
            return web.Response(
                text=f'<html><head><link rel="alternate" type="application/rss+xml" '
                     f'href="{base}/feed/"></head><body>Home</body></html>',
                content_type="text/html",
                headers={"Link": f'<{base}/wp-json/>; rel="https://api.w.org/"'},
            )
        if path == "/blog/":  # WordPress installed below the root
            return web.Response(
                text='<html><head></head><body class="home blog wp-theme">Blog</body></html>',
                content_type="text/html",
                headers={"Link": f'<{base}/wp-json/>; rel="https://api.w.org/"'},
            )
        if path == "/news-site/":  # WordPress installed below the root, with its own API
            return web.Response(
                text='<html><head></head><body class="home blog">News</body></html>',
                content_type="text/html",
                headers={"Link": f'<{base}/news-site/wp-json/>; rel="https://api.w.org/"'})
        if path.startswith("/news-site/wp-json/"):  # the same posts, under the subfolder
            path = path.removeprefix("/news-site")
        elif path.startswith("/wp-json/") and self.root_api_gone:
            return web.Response(status=404, text="no WordPress at the root")
        if path == "/wp-json/":
            return web.json_response({"namespaces": ["oembed/1.0", "wp/v2"]})
        if path == "/wp-json/wp/v2/posts":
            return self.posts_page(request)
        if path == "/feed/":
            return web.Response(text=self.feed(True), content_type="application/rss+xml")
        if path == "/atom/":
            etag = '"atom-v1"'
            if request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers={"ETag": etag})
            def body(p: dict) -> str:
                return escape("".join(f"<p>{x}</p>" for x in p["paragraphs"]) * 4)

            entries = "".join(
                f"<entry><title>{escape(p['title'])}</title><link href=\"{p['link']}\"/>"
                f"<id>{p['link']}</id><updated>2024-01-01T00:00:00Z</updated>"
                f"<content type=\"html\">{body(p)}</content></entry>"
                for p in self.posts[:4]
            )
            return web.Response(
                text='<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/'
                     f'Atom"><title>Peace Site</title><id>{base}/</id>{entries}</feed>',
                content_type="application/atom+xml", headers={"ETag": etag})
        if path == "/feed-excerpts":  # as a link without its slash: redirected, as WordPress does
            return web.Response(status=301, headers={"Location": f"{base}/feed-excerpts/"})
        if path == "/feed-excerpts/":  # validated as WordPress does (its posts' newest date)
            etag = '"excerpts-v1"'
            if request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers={"ETag": etag})
            return web.Response(text=self.feed(False), content_type="application/rss+xml",
                                headers={"ETag": etag})
        if path == "/sitemap_index.xml":
            return web.Response(content_type="application/xml", text=(
                '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9"><sitemap><loc>{base}/post-sitemap.xml</loc></sitemap>'
                f"<sitemap><loc>{base}/more-sitemap.xml.gz</loc></sitemap></sitemapindex>"))
        if path == "/all-sitemap.xml":
            return web.Response(text=self.sitemap(self.posts), content_type="application/xml")
        if path == "/post-sitemap.xml":
            return web.Response(text=self.sitemap(self.posts[:5]), content_type="application/xml")
        if path == "/more-sitemap.xml.gz":
            extra = self.posts[5:8] + [{"link": f"{base}/private/secret/", "modified": ""}]
            return web.Response(body=gzip.compress(self.sitemap(extra).encode()),
                                content_type="application/x-gzip")
        if path.startswith("/2024/post-"):
            slug = path.strip("/").split("/")[-1]
            post = next((p for p in self.posts if p["slug"] == slug), None)
            if post is None:
                return web.Response(status=404, text="not found")
            etag = f'"{hash(post["modified"] + post["paragraphs"][0]) & 0xFFFFFFFF:x}"'
            if request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers={"ETag": etag})
            links = CIMultiDict([  # WordPress sends several Link headers on a post
                ("Link", f'<{base}/wp-json/>; rel="https://api.w.org/"'),
                ("Link", f'<{base}/wp-json/wp/v2/posts/{post["id"]}>; rel="alternate"; '
                         'type="application/json"'),
                ("Link", f'<{base}/?p={post["id"]}>; rel=shortlink'), ("ETag", etag)])
            return web.Response(text=self.post_html(post), content_type="text/html",
                                headers=links)
        return await self.faults(request, path)

    def posts_page(self, request: web.Request) -> web.Response:
        q = request.query
        self.queries.append(dict(q))
        for callback in self.before_posts_page:
            callback(dict(q))
        per_page = min(int(q.get("per_page", 10)), 100)
        page = int(q.get("page", 1))
        # Published posts only, protected ones included (their content comes back empty).
        posts = sorted((p for p in self.posts + self.hidden if p["status"] == "publish"),
                       key=lambda p: p["id"], reverse=q.get("order", "desc") == "desc")
        if "include" in q:
            wanted = {int(i) for i in q["include"].split(",") if i.strip().isdigit()}
            posts = [p for p in posts if p["id"] in wanted]
        if "modified_after" in q:
            posts = [p for p in posts if p["modified"] > q["modified_after"]]
        total_pages = -(-len(posts) // per_page)  # 0 when nothing matches
        if self.stuck:
            total_pages, page = 100_000, 1
        if f"/wp-json/wp/v2/posts?page={page}" in self.failing:
            return web.Response(status=500, text="database error")
        if page > max(total_pages, 1):
            return web.json_response(
                {"code": "rest_post_invalid_page_number", "message": "The page number requested"
                 " is larger than the number of pages available.", "data": {"status": 400}},
                status=400)
        chunk = [self.rest_post(p) for p in posts[(page - 1) * per_page: page * per_page]]
        if "_fields" in q:
            keep = set(q["_fields"].split(","))
            chunk = [{k: v for k, v in p.items() if k in keep} for p in chunk]
        headers = CIMultiDict({"X-WP-Total": str(len(posts)),
                               "X-WP-TotalPages": str(total_pages)} if self.counts else {})
        if page < total_pages:
            nxt = request.url.update_query(page=page + 1)
            headers.add("Link", f'<{nxt}>; rel="next"')
        return web.json_response(chunk, headers=headers)

    async def faults(self, request: web.Request, path: str) -> web.StreamResponse:
        n = self.count(path)
        page = self.post_html(self.posts[0])
        if path == "/flaky/":
            if n == 1:
                return web.Response(status=500, text="error")
            if n == 2:
                return web.Response(status=503, text="unavailable")
            return web.Response(text=page, content_type="text/html")
        if path == "/ratelimited/":
            if n == 1:
                return web.Response(status=429, headers={"Retry-After": "1"})
            return web.Response(text=page, content_type="text/html")
        if path == "/always-500/":
            return web.Response(status=500)
        if path == "/slow/":
            await asyncio.sleep(3)
            return web.Response(text=page, content_type="text/html")
        if path == "/truncated/":
            resp = web.StreamResponse(headers={"Content-Type": "text/html",
                                               "Content-Length": "100000"})
            await resp.prepare(request)
            await resp.write(page.encode()[:500])
            request.transport.close()  # type: ignore[union-attr]
            return resp
        if path == "/wrongtype/":
            return web.Response(body=b"\x89PNG\r\n", content_type="image/png")
        if path == "/invalid.xml":
            return web.Response(text="<?xml version='1.0'?><rss><channel><item><title>x",
                                content_type="application/rss+xml")
        if path == "/garbage/":
            return web.Response(text="<<<>>> &&& <p <div", content_type="text/html")
        if path == "/loop/a":
            raise web.HTTPFound("/loop/b")
        if path == "/loop/b":
            raise web.HTTPFound("/loop/a")
        if path == "/redirect-ok":
            raise web.HTTPMovedPermanently(self.posts[1]["link"])
        if path == "/huge/":
            resp = web.StreamResponse(headers={"Content-Type": "text/html"})
            await resp.prepare(request)
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            try:
                for _ in range(800):  # ~50 MB if anyone read it all
                    await resp.write(chunk)
            except (ConnectionResetError, RuntimeError):
                pass
            return resp
        if path == "/bomb.xml":
            return web.Response(content_type="application/rss+xml", text=BILLION_LAUGHS)
        if path == "/cp1252/":
            html = ("<html><head><title>Caf\xe9 diplomacy</title></head><body><article>"
                    "<h1>Caf\xe9 diplomacy</h1><p>Ministers met at a caf\xe9 in Gen\xe8ve \u2013 "
                    "the \u201cquiet\u201d talks on the Nile dam went on for hours and hours.</p>"
                    "<p>A second paragraph about the na\xefve hopes of the d\xe9l\xe9gation and "
                    "the water treaty they discussed.</p></article></body></html>")
            return web.Response(body=html.encode("cp1252"),
                                headers={"Content-Type": "text/html; charset=windows-1252"})
        if path == "/private/secret/":
            return web.Response(text=page, content_type="text/html")
        if path == "/export.xml":
            return web.Response(text=WXR, content_type="application/rss+xml")
        return await self.more_faults(request, path)

    # -- deadlines, budgets, big sitemaps and private addresses
    async def more_faults(self, request: web.Request, path: str) -> web.StreamResponse:
        if path == "/drip/":  # one byte at a time: never a read timeout, never an end
            resp = web.StreamResponse(headers={"Content-Type": "text/html"})
            await resp.prepare(request)
            try:
                for _ in range(3000):
                    await resp.write(b" ")
                    await asyncio.sleep(self.drip_seconds)
            except (ConnectionResetError, RuntimeError):
                pass
            return resp
        if path.startswith("/retry-after/"):  # /retry-after/<seconds>/<anything>
            return web.Response(status=429, headers={"Retry-After": path.split("/")[2]})
        if path == "/big-sitemap-index.xml":
            locs = "".join(f"<sitemap><loc>{self.base}/big-sitemap-{k}.xml</loc></sitemap>"
                           for k in range(self.big_children))
            return web.Response(content_type="application/xml", text=(
                '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9">{locs}</sitemapindex>'))
        if path.startswith("/big-sitemap-"):
            k, n = int(path.removeprefix("/big-sitemap-").split(".")[0]), self.big_per_child
            return web.Response(text=self.sitemap(self.posts[k * n:(k + 1) * n]),
                                content_type="application/xml")
        return self.feed_pages(path) or self.private_hops(path)

    def feed_pages(self, path: str) -> web.Response | None:
        """Pages of a site that is not WordPress naming its feed: a listing of headlines
        (its comments feed named first) and an article page (which names the feed too)."""
        links = ('<link rel="alternate" type="application/rss+xml" title="News &raquo; '
                 'Comments Feed" href="/comments/feed/">'
                 '<link type="application/rss+xml" href="/feed/" rel="alternate">')
        if path == "/news/":
            heads = "".join(f'<li><a href="{p["link"]}">{escape(p["title"])}</a></li>'
                            for p in self.posts[:5])
            return web.Response(content_type="text/html", text=(
                f"<html><head><title>News</title>{links}</head><body><h1>Latest</h1>"
                f"<ul>{heads}</ul></body></html>"))
        if path == "/about":  # a static site's page: "/about/" is a 404
            return web.Response(text=self.post_html(self.posts[1]), content_type="text/html")
        if path == "/news/story/":
            paras = "".join(f"<p>{escape(x)}</p>" for x in self.posts[0]["paragraphs"] * 3)
            return web.Response(content_type="text/html", text=(
                f'<html><head><title>Story</title><meta property="og:type" content="article">'
                f"{links}</head><body><article><h1>Story</h1>{paras}</article></body></html>"))
        return None

    def private_hops(self, path: str) -> web.StreamResponse:
        """Every way a public site can point Footnote at a private address: a redirect, a
        sitemap entry, a feed link, an advertised API root (`evil.test` is a name tests
        resolve to loopback)."""
        loopback, evil = f"http://127.0.0.1:{self.port}", f"http://evil.test:{self.port}"
        if path == "/redirect-private/":
            raise web.HTTPFound(f"{loopback}/2024/post-1/")
        if path == "/private-sitemap.xml":
            pages = [self.posts[0], {"link": f"{loopback}/2024/post-2/", "modified": ""},
                     {"link": f"{evil}/2024/post-3/", "modified": ""}]
            return web.Response(text=self.sitemap(pages), content_type="application/xml")
        if path == "/private-feed/":
            items = "".join(f"<item><title>t{i}</title><link>{link}</link>"
                            "<description>An excerpt […]</description></item>"
                            for i, link in enumerate((self.posts[0]["link"],
                                                      f"{evil}/2024/post-2/")))
            return web.Response(text='<?xml version="1.0"?><rss version="2.0"><channel>'
                                     f"<title>Peace</title>{items}</channel></rss>",
                                content_type="application/rss+xml")
        if path == "/intranet-news/":  # a listing whose feed is on a private address
            return web.Response(content_type="text/html", text=(
                '<html><head><link rel="alternate" type="application/atom+xml" '
                f'href="{evil}/feed/"></head><body><h1>Latest</h1></body></html>'))
        if path == "/intranet-blog/":
            return web.Response(
                text='<html><head></head><body class="home blog">Blog</body></html>',
                content_type="text/html",
                headers={"Link": f'<{evil}/wp-json/>; rel="https://api.w.org/"'})
        return web.Response(status=404, text="not found")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>&lol3;</title>
<link>http://127.0.0.1/x</link><description>&lol3;</description></item></channel></rss>"""

WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Peace Site</title><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Water &amp; peace in the Jordan basin</title>
<link>https://peace.example/2023/jordan-water/</link><dc:creator>editor</dc:creator>
<content:encoded><![CDATA[<!-- wp:paragraph --><p>Israel and Jordan signed a water-for-energy
 deal in 2021.</p><!-- /wp:paragraph -->

<!-- wp:paragraph --><p>Critics say the Jordan River is too depleted.</p>]]></content:encoded>
<wp:post_date_gmt>2023-05-01 10:00:00</wp:post_date_gmt><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type></item>
<item><title>Classic editor post</title><link>https://peace.example/2019/classic/</link>
<content:encoded><![CDATA[First paragraph of a classic post about Cyprus.

Second paragraph with <em>emphasis</em> on reunification talks.]]></content:encoded>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>A draft</title><link>https://peace.example/?p=9</link>
<content:encoded><![CDATA[<p>Not published yet.</p>]]></content:encoded>
<wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>About us</title><link>https://peace.example/about/</link>
<content:encoded><![CDATA[<p>We are a peace organisation.</p>]]></content:encoded>
<wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>
</channel></rss>"""

XXE_WXR = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&xxe;</title>
<link>https://peace.example/x/</link><content:encoded>&xxe;</content:encoded>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item></channel></rss>"""

__all__ = ["FakeSite", "BILLION_LAUGHS", "WXR", "XXE_WXR", "json"]


# Fetch settings for tests against the fake site: no politeness delays. The timeouts are
# not short: a busy machine can stall this process for a second, and a retry after a timeout
# would change what the tests count (requests, pages, the budget's clock). A test of a
# timeout sets its own.
FAST = FetchConfig(backoff_seconds=0.01, delay_seconds=0.0, timeout_seconds=10.0,
                   connect_timeout_seconds=10.0, retries=3, max_bytes=5 * 1024 * 1024,
                   allow_private=True)  # the fake site is on 127.0.0.1


@contextlib.asynccontextmanager
async def serving(handle: Callable[[web.Request], Awaitable[web.StreamResponse]]
                  ) -> AsyncIterator[str]:
    """A local server answering every path with `handle`; yields its base URL."""
    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    finally:
        await runner.cleanup()
