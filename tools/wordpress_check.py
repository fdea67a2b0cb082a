#!/usr/bin/env python3
"""wordpress_check.py - the browser half of tools/wordpress_check.sh: drives a fresh WordPress site
whose Akismet plugin talks to `commentguard serve` (through examples/wordpress), as a site owner and
its visitors would, and checks what happens.

It installs WordPress with its own installer (wp-admin/install.php), logs in, activates Akismet,
lets readers' comments be approved without a previous approved one (Settings -> Discussion), enters
the key on Akismet's settings screen, posts comments through wp-comments-post.php (each visitor from
an address of its own, as WordPress holds back a second comment from one address within 15 s), clicks
Spam and Not spam on the admin's comment screen, and opens the settings screen and the dashboard.
Every admin page is fetched with the admin's cookies, and every form is sent as a browser sends it:
all its fields as the page has them (the nonces included), with only the fields a person would
change changed.

Usage: wordpress_check.py --site URL --key KEY --feedback FILE --debug-log FILE --db-socket SOCK
Exit status 0 when every check passes; each failure is printed as "FAIL: ...".
"""
import argparse
import html.parser
import http.client
import http.cookiejar
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class Form(html.parser.HTMLParser):
    """The forms of a page: each form's action, method and fields, as a browser would send them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.links = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "id": a.get("id"), "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append([name, a.get("value", "on")])
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self._form["fields"].append([name, a.get("value", "")])
        elif tag == "select" and name:
            self._select = [name, None, None]  # name, first option, selected option
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a:
                self._select[2] = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if self._form is not None:
                value = self._select[2] if self._select[2] is not None else self._select[1]
                if value is not None:
                    self._form["fields"].append([self._select[0], value])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None:
                self._form["fields"].append(self._textarea)
            self._textarea = None


class Browser:
    """Cookies, redirects followed, an optional source address (a visitor of its own)."""

    def __init__(self, site, source=None):
        self.site = site.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)]
        if source:
            handlers.append(SourceHandler(source))
        self.opener = urllib.request.build_opener(*handlers)
        self.pages = []  # (url, text) of every page fetched, for the warning check

    def url(self, path):
        return urllib.parse.urljoin(self.site + "/", path)

    def fetch(self, path, data=None):
        url = self.url(path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers={"User-Agent": "Mozilla/5.0 (wordpress_check)"})
        try:
            with self.opener.open(req, timeout=120) as r:
                text = r.read().decode("utf-8", "replace")
                final, status = r.geturl(), r.status
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            final, status = url, e.code
        self.pages.append((final, text))
        return status, final, text

    def submit(self, page_url, text, pick, changes=None, drop=()):
        """Send the form `pick` chooses (a function of the form) from a page, as a browser would,
        with `changes` (name -> value) set and the fields in `drop` left out (unchecked boxes)."""
        parser = Form()
        parser.feed(text)
        forms = [f for f in parser.forms if pick(f)]
        if not forms:
            raise CheckFailed("no such form on " + page_url)
        form = forms[0]
        fields = [(n, v) for n, v in form["fields"] if n not in drop and n not in (changes or {})]
        fields += list((changes or {}).items())
        action = urllib.parse.urljoin(page_url, form["action"] or page_url)
        if form["method"] == "post":
            return self.fetch(action, fields)
        return self.fetch(action + ("&" if "?" in action else "?") + urllib.parse.urlencode(fields))


class SourceConnection(http.client.HTTPConnection):
    source = None

    def __init__(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().__init__(*args, **kwargs)


class SourceHandler(urllib.request.HTTPHandler):
    def __init__(self, source):
        super().__init__()
        self.cls = type("Bound", (SourceConnection,), {"source": source})

    def http_open(self, req):
        return self.do_open(self.cls, req)


class CheckFailed(Exception):
    pass


def check(ok, what):
    if not ok:
        raise CheckFailed(what)
    print("ok:", what)


def links(text, pattern):
    parser = Form()
    parser.feed(text)
    return [h for h in parser.links if re.search(pattern, h)]


def db(sock, sql):
    out = subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uwp", "-pwp", "-N", "-B", "wp", "-e", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def feedback_lines(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    except FileNotFoundError:
        return []


def run(o):
    admin = Browser(o.site)

    # The installer: language, then the site's title and its administrator.
    status, url, text = admin.fetch("wp-admin/install.php")
    check(status == 200 and "setup" in text, "the installer opens")
    if "step=1" in text and 'name="language"' in text:
        status, url, text = admin.submit(url, text, lambda f: f["id"] == "setup", {"language": ""})
    status, url, text = admin.submit(url, text, lambda f: f["id"] == "setup", {
        "weblog_title": "Harbour News", "user_name": "admin", "admin_password": o.password,
        "admin_password2": o.password, "pw_weak": "on", "admin_email": "admin@example.org", "blog_public": "0"})
    check(status == 200 and "Success!" in text, "WordPress installed by its installer")

    status, url, text = admin.fetch("wp-login.php")
    status, url, text = admin.submit(url, text, lambda f: f["id"] == "loginform",
                                     {"log": "admin", "pwd": o.password})
    check(status == 200 and "wp-admin" in url and "Dashboard" in text, "the administrator logs in")

    # Akismet, as shipped by Debian, activated from the plugins screen.
    status, url, text = admin.fetch("wp-admin/plugins.php")
    activate = links(text, r"action=activate&(amp;)?plugin=akismet")
    check(len(activate) == 1, "Akismet's Activate link on the plugins screen")
    status, url, text = admin.fetch(urllib.parse.urljoin(url, activate[0]))
    check(status == 200, "Akismet activated")

    # Settings -> Discussion: a reader's comment needs no earlier approved one (so that Akismet's
    # verdict decides); everything else as the form has it.
    status, url, text = admin.fetch("wp-admin/options-discussion.php")
    status, url, text = admin.submit(url, text, lambda f: "options.php" in f["action"],
                                     drop=("comment_previously_approved",))
    check(status == 200 and "settings-updated=true" in url, "Settings -> Discussion saved")

    # Akismet's settings screen: the key typed in and saved.
    status, url, text = admin.fetch("wp-admin/options-general.php?page=akismet-key-config")
    check(status == 200 and 'name="key"' in text, "Akismet's settings screen asks for a key")
    status, url, text = admin.submit(url, text, lambda f: any(n == "action" and v == "enter-key"
                                                              for n, v in f["fields"]), {"key": o.key})
    check("Akismet is now protecting your site" in text, "the key is saved: 'Akismet is now protecting your site'")
    check("t connect to the Akismet servers" not in text, "no 'can't connect to the Akismet servers' notice")
    check(o.key in text, "the settings screen shows the key")

    # Visitors' comments on the first post, each from an address of its own.
    status, url, text = admin.fetch("?p=1")
    check(status == 200 and "Hello world" in text, "the first post")
    comments = {
        "reader": ("Ana", "ana@example.org", "",
                   "Thanks for the update. Will the harbour tram stop near the ferry terminal as well?"),
        "spam": ("Cheap Pills Online", "deals@pills.example", "http://pills.example/",
                 "BUY CHEAP VIAGRA CIALIS ONLINE!!! Best prices, no prescription, fast shipping: "
                 "http://pills.example/buy http://pills.example/cheap http://pills.example/now"),
        "insult": ("Rex", "rex@example.org", "",
                   "You are a pathetic idiot and everyone who reads this garbage is a moron."),
    }
    for n, (who, (author, email, site, content)) in enumerate(comments.items()):
        visitor = Browser(o.site, source="127.0.0.%d" % (10 + n))
        status, url, text = visitor.fetch("wp-comments-post.php", {
            "comment": content, "author": author, "email": email, "url": site, "submit": "Post Comment",
            "comment_post_ID": "1", "comment_parent": "0"})
        admin.pages += visitor.pages
        check(status in (200, 302), "%s's comment posted (status %d)" % (who, status))

    rows = {c: (i, s) for i, s, c in db(o.db_socket, "SELECT comment_ID, comment_approved, comment_content"
                                                     " FROM wp_comments WHERE comment_post_ID = 1")}
    status_of = {who: rows.get(content, (None, "discarded")) for who, (_, _, _, content) in comments.items()}
    print("comment statuses:", {who: s for who, (_, s) in status_of.items()})
    check(status_of["reader"][1] == "1", "the reader's comment is approved")
    check(status_of["spam"][1] in ("spam", "discarded"), "the spam comment is in the spam folder or discarded")
    check(status_of["insult"][1] == "spam", "the insult is in the spam folder")

    # The moderator's clicks: Spam under the reader's comment, Not spam in the spam folder.
    before = len(feedback_lines(o.feedback))
    reader_id = status_of["reader"][0]
    status, url, text = admin.fetch("wp-admin/edit-comments.php")
    spam_link = links(text, r"c=%s&(amp;)?action=spamcomment" % reader_id)
    check(len(spam_link) >= 1, "the Spam link under the reader's comment")
    status, url, text = admin.fetch(urllib.parse.urljoin(url, spam_link[0]))
    check(status == 200, "Spam clicked")
    insult_id = status_of["insult"][0]
    status, url, text = admin.fetch("wp-admin/edit-comments.php?comment_status=spam")
    ham_link = links(text, r"c=%s&(amp;)?action=unspamcomment" % insult_id)
    check(len(ham_link) >= 1, "the Not spam link under the insult in the spam folder")
    status, url, text = admin.fetch(urllib.parse.urljoin(url, ham_link[0]))
    check(status == 200, "Not spam clicked")
    new = feedback_lines(o.feedback)[before:]
    print("feedback lines:", [(r["label"], r["text"][:40]) for r in new])
    check(len(new) == 2, "two feedback lines after the two clicks")
    check(new[0]["source"] == "akismet" and new[0]["label"] in ("off-topic", "abusive")
          and new[0]["text"].startswith("Thanks for the update"), "the Spam click: a submit-spam line")
    check(new[1]["label"] == "on-topic" and new[1]["text"].startswith("You are a pathetic idiot"),
          "the Not spam click: a submit-ham line")
    check(all((r.get("author"), r.get("author_email")) == (who, "@example.org") and "author_url" not in r
              and who not in r["text"] for r, who in zip(new, ("Ana", "Rex"))),
          "the clicks' lines carry the author as fields, of the e-mail address only its domain")

    # The settings screen (account and statistics) and the dashboard, opened again.
    status, url, text = admin.fetch("wp-admin/options-general.php?page=akismet-key-config")
    check(status == 200 and "Statistics" in text and "Account" in text, "the settings screen with its statistics")
    check("t connect to the Akismet servers" not in text, "the settings screen reaches the server")
    # get-stats' counts, as the plugin shows them: 2 spam (the spam and the insult), 1 approved
    # comment, 1 Spam click (missed spam), 1 Not spam click (false positive): 3 checks, 2 corrected.
    numbers = re.sub(r"<[^>]+>", " ", text)
    check(re.search(r"Past six months\s+2\s+Spam blocked", numbers) is not None, "six months: 2 spam blocked")
    check(re.search(r"All time\s+2\s+Spam blocked", numbers) is not None, "all time: 2 spam blocked")
    check(re.search(r"Accuracy\s+33\.33%\s+1 missed spam\s+\|\s+1 false positive", numbers) is not None,
          "accuracy 33.33%, 1 missed spam, 1 false positive")
    status, url, text = admin.fetch("wp-admin/index.php")
    check(status == 200 and "Dashboard" in text, "the dashboard")

    # No PHP warning, notice or error from Akismet or the routing plugin, in the log or any page.
    with open(o.debug_log, encoding="utf-8", errors="replace") as f:
        log = f.read()
    ours = [l for l in log.splitlines() if re.search(r"plugins/akismet/|mu-plugins/commentguard", l)]
    check(not ours, "no PHP message from Akismet or the routing plugin in the debug log%s"
          % (": " + "\n".join(ours[:10]) if ours else ""))
    in_pages = [(u, m) for u, t in admin.pages
                for m in re.findall(r"<b>(?:Warning|Notice|Fatal error|Deprecated)</b>:.{0,200}", t)]
    check(not in_pages, "no PHP message in any page%s" % (": %s" % in_pages[:5] if in_pages else ""))
    core = [l for l in log.splitlines() if "PHP " in l]
    print("PHP messages from WordPress core (not counted): %d" % len(core))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--site", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--feedback", required=True)
    p.add_argument("--debug-log", required=True)
    p.add_argument("--db-socket", required=True)
    p.add_argument("--password", default="check-" + str(int(time.time())))
    o = p.parse_args()
    try:
        run(o)
    except CheckFailed as e:
        print("FAIL:", e)
        return 1
    print("wordpress_check: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
