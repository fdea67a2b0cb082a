#!/usr/bin/python3
"""Should the public (default) model read a comment's author name and Website URL as part of its text?

Until issue 20, serve's comment-check, its feedback lines and import-wordpress appended "\\n\\nNAME URL"
to the comment before classifying it. This tool measures what that does to a real blog's comments,
with authors that are synthetic but shaped like WordPress's: legitimate readers get a personal name
and, when they fill in WordPress's Website field, a personal blog, a GitHub Pages site, a company
site or a profile page; spam comments get a keyword name ("HP Printer Support") and a money site
matching what they advertise, or a person's name and the money site.

Each row of DATA is scored by PROGRAM with MODEL (with its article), under four ways of reading the
author, for several random assignments of authors (--seeds):

  text only    the comment alone (the author travels as fields, which the public model ignores)
  name + URL   the comment, a blank line, the name and the URL (what the text was before)
  name         the comment, a blank line, the name
  URL host     the comment, a blank line, the URL's host alone ("jean.example")

For each, the share of on-topic comments held (labelled anything but on-topic) when readers leave
the Website field empty and when they all fill it in, the share of off-topic comments caught
(labelled anything but on-topic) with keyword names and with person names, and the ROC-AUC of
P(off-topic) of every reader with a Website against keyword spam, with the share of that spam caught
at 10% held. Means over the seeds, with the range. Then the share of on-topic comments held when
every reader signs with one real person's name read as text, and the comments of the fixture flows
(tools/wordpress_check.py, the WXR fixture of tests/wordpress_test.sh) with their labels and
P(off-topic) under each reading.

  tools/author_text.py --cg build/commentguard --model models/default \\
      --data ../shared/data/blog/dev.jsonl [--seeds 5]
"""
import argparse, json, random, statistics, subprocess, sys, urllib.parse

OFF, ON = "off-topic", "on-topic"

FIRST = ["Anna", "Tom", "Priya", "Kenji", "Maria", "Lukas", "Fatima", "James", "Sofia", "Chen", "Olu", "Marta",
         "David", "Aisha", "Pedro", "Emma", "Raj", "Ingrid", "Samuel", "Yuki"]
LAST = ["Kowalski", "Nguyen", "Raman", "Watanabe", "Garcia", "Becker", "Haddad", "O'Brien", "Rossi", "Wei",
        "Adeyemi", "Lindqvist", "Cohen", "Khan", "Silva", "Dubois", "Patel", "Berg", "Mensah", "Sato"]


def reader_name(rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return rng.choice(["%s %s" % (first, last), first, first.lower(), "%s %s." % (first, last[0]),
                       (first[0] + last).lower(), "Dr. %s %s" % (first, last)])


def reader_site(rng, name):
    """A Website a legitimate reader fills in: personal blog, GitHub Pages, company, profile."""
    slug = "".join(c for c in name.lower() if c.isalnum()) or "reader"
    company = rng.choice(["datalytics", "northwind", "bluefin-software", "kestrel-labs", "acme-analytics",
                          "brightcode", "fjord-data", "tinkerworks"])
    return rng.choice([
        "https://%s.com/" % slug,
        "https://www.%s.net/blog/" % slug,
        "https://%s.github.io/" % slug,
        "https://%s.github.io/notes/2020/python-tips" % slug,
        "https://www.%s.%s/" % (company, rng.choice(["com", "io", "de", "co.uk"])),
        "https://%s.%s/team/%s" % (company, rng.choice(["com", "io"]), slug),
        "https://www.linkedin.com/in/%s" % slug,
        "https://medium.com/@%s" % slug,
        "http://%s.wordpress.com" % slug,
        "https://twitter.com/%s" % slug,
    ])


# What spam comments advertise (a word of the comment, case ignored), with the keyword name and the
# money site their authors give; others get one of GENERIC_SPAM.
SPAM_BRANDS = [
    ("epson", "Epson Printer Support", "https://www.epson-printer-support-number.com/"),
    ("hp", "HP Printer Support", "https://123-hp-printer-setup.com/envy-5536/"),
    ("canon", "Canon Printer Error", "https://canonprintererror.support/b200"),
    ("kaspersky", "Kaspersky Tech Support", "https://kaspersky-tech-support-number.us/"),
    ("avast", "Avast Support Phone Number", "https://www.avast-antivirus-support.co/"),
    ("avg", "AVG Antivirus Support", "https://avg-support-phone-number.com/"),
    ("norton", "Norton Customer Service", "https://norton-customer-service-number.net/"),
    ("mcafee", "McAfee Tech Support", "https://mcafee-tech-support.help/"),
    ("quickbooks", "QuickBooks Payroll Support", "https://quickbooks-payroll-support.us/contact"),
    ("airlines", "Cheap Flight Reservations", "https://www.airlines-reservations-deals.com/"),
    ("seo", "Best SEO Company India", "https://www.topseocompanyindia.in/"),
    ("pogo", "Pogo Games Support", "https://pogo-games-customer-care.com/"),
    ("sbcglobal", "SBCGlobal Email Login", "https://sbcglobal-email-login.help/"),
    ("geek", "Geek Squad Tech Support", "https://geeksquad-online-support.us/"),
    ("payment", "Payment Gateway UAE", "https://www.paymentgateway-uae.ae/"),
    ("python", "Python Training in Chennai", "https://www.python-training-chennai.in/course/"),
    ("properties", "Sharjah Properties for Rent", "https://sharjah-properties.ae/rent"),
    ("movies", "123movies", "https://123movies-free.to/"),
]
GENERIC_SPAM = [("Web Design Pakistan", "https://webdesign-pakistan.pk/"),
                ("Women's Fashion Printed Dresses", "https://www.fashion-deals-online.shop/dresses"),
                ("Free Xbox Money Codes", "https://free-xbox-codes.xyz/"),
                ("Best Travel Deals", "https://travel-deals-best.com/offers")]


def spam_author(rng, text):
    words = set("".join(c if c.isalnum() else " " for c in text.lower()).split())
    for key, name, url in SPAM_BRANDS:
        if key in words:
            return name, url
    return rng.choice(GENERIC_SPAM)


def host(url):
    h = urllib.parse.urlsplit(url).hostname or ""
    return h[4:] if h.startswith("www.") else h


READINGS = {
    "text only": lambda text, name, url: text,
    "name + URL": lambda text, name, url: text + "\n\n" + " ".join(x for x in (name, url) if x),
    "name": lambda text, name, url: text + ("\n\n" + name if name else ""),
    "URL host": lambda text, name, url: text + ("\n\n" + host(url) if url else ""),
}


def score(program, model, items):
    """Labels and P(off-topic) of each (text, article) item, in order."""
    lines = "".join(json.dumps({"id": i, "text": t, "article": a}) + "\n" for i, (t, a) in enumerate(items))
    try:
        out = subprocess.run([program, "score", "--format", "jsonl", "--model", model], input=lines.encode(),
                             capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit("%s score: %s" % (program, getattr(e, "stderr", b"").decode().strip() or e))
    answers = [json.loads(l) for l in out.decode().splitlines()]
    if any("error" in a for a in answers):
        sys.exit("%s score: %s" % (program, next(a["error"] for a in answers if "error" in a)))
    return [(a["label"], a["scores"][OFF]) for a in answers]


def caught_at_10_held(pos, neg):
    """Share of `pos` above the 90th percentile (linear interpolation) of `neg`."""
    xs = sorted(neg)
    k = 0.9 * (len(xs) - 1)
    lo = int(k)
    cut = xs[lo] + (xs[min(lo + 1, len(xs) - 1)] - xs[lo]) * (k - lo)
    return sum(p > cut for p in pos) / len(pos)


def auc(pos, neg):
    """ROC-AUC of scores `pos` (off-topic) against `neg` (on-topic); ties count half."""
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def read_rows(path):
    rows = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    try:
                        r = json.loads(line)
                    except ValueError as e:
                        sys.exit("%s:%d: %s" % (path, n, e))
                    if not isinstance(r, dict) or not isinstance(r.get("text"), str) or r.get("label") not in (ON, OFF):
                        sys.exit("%s:%d: a row needs \"text\" and a label on-topic or off-topic" % (path, n))
                    rows.append(r)
    except OSError as e:
        sys.exit("%s: %s" % (path, e.strerror))
    return rows


# Real people's names, some holding words a model of abuse has learned ("Dick", "Randy").
NAMES = ["Anna Kowalski", "Mohammed Khan", "Nguyen Van Anh", "Jesus Garcia", "Rex", "Gay Talese", "Randy Johnson",
         "Dick Cheney", "Dick Van Dyke"]


# The comments of the fixture flows: name, URL, text, what should happen.
FIXTURES = [
    ("wordpress_check reader", "Ana", "",
     "Thanks for the update. Will the harbour tram stop near the ferry terminal as well?", ON),
    ("wordpress_check reader with a Website", "Ana", "https://ana.example.org/blog/",
     "Thanks for the update. Will the harbour tram stop near the ferry terminal as well?", ON),
    ("wordpress_check spam", "Cheap Pills Online", "http://pills.example/",
     "BUY CHEAP VIAGRA CIALIS ONLINE!!! Best prices, no prescription, fast shipping: "
     "http://pills.example/buy http://pills.example/cheap http://pills.example/now", "spam"),
    ("wordpress_check insult", "Rex", "",
     "You are a pathetic idiot and everyone who reads this garbage is a moron.", "spam"),
    ("WXR fixture 101", "Zoë Müller", "", "Finally! The tram will <em>save</em> me 20 minutes — every day.", ON),
    ("WXR fixture 102", "Cheap Watches & Bags", "https://cheap-watches.example/?ref=harbour&id=7",
     'Best prices on watches <a href="https://cheap-watches.example">click here</a>', "spam"),
    ("WXR fixture 201", "Jean", "https://jean.example", "Their croissants are the best on the quay.\n"
     "See you on the terrace!", ON),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cg", default="build/commentguard", help="the commentguard program")
    ap.add_argument("--model", default="models/default")
    ap.add_argument("--data", default="../shared/data/blog/dev.jsonl")
    ap.add_argument("--seeds", type=int, default=5)
    o = ap.parse_args()
    rows = read_rows(o.data)
    on = [r for r in rows if r["label"] == ON]
    off = [r for r in rows if r["label"] == OFF]
    if not on or not off:
        sys.exit("%s: needs on-topic and off-topic rows" % o.data)

    # Every item to score, once: (reading, text as read, article) keyed for the tables.
    items, index = [], {}

    def want(key, text, article):
        if key not in index:
            index[key] = len(items)
            items.append((text, article))

    authors = []  # per seed: reader (name, site) per on-topic row, (keyword, person) per off-topic row
    for seed in range(o.seeds):
        rng = random.Random(seed)
        readers = []
        for r in on:
            name = reader_name(rng)
            readers.append((name, reader_site(rng, name)))
        spammers = [(spam_author(rng, r["text"]), reader_name(rng)) for r in off]
        authors.append((readers, spammers))
        for reading, read in READINGS.items():
            for i, (r, (name, site)) in enumerate(zip(on, readers)):
                want((reading, seed, "on", i, "no site"), read(r["text"], name, ""), r.get("article"))
                want((reading, seed, "on", i, "site"), read(r["text"], name, site), r.get("article"))
            for i, (r, ((kname, url), person)) in enumerate(zip(off, spammers)):
                want((reading, seed, "off", i, "keyword"), read(r["text"], kname, url), r.get("article"))
                want((reading, seed, "off", i, "person"), read(r["text"], person, url), r.get("article"))
    for name in NAMES:
        for i, r in enumerate(on):
            want(("name", name, i), READINGS["name"](r["text"], name, ""), r.get("article"))
    for what, name, url, text, _ in FIXTURES:
        for reading, read in READINGS.items():
            want((reading, "fixture", what), read(text, name, url), None)
    scored = score(o.cg, o.model, items)

    def result(key):
        return scored[index[key]]

    print("%s: %d on-topic, %d off-topic rows; %d author draws; model %s" % (o.data, len(on), len(off), o.seeds,
                                                                            o.model))
    print()
    print("| the public model reads | on-topic held, no Website | on-topic held, Website | "
          "off-topic caught, keyword name + URL | off-topic caught, person's name + URL | "
          "ROC-AUC, readers with Website vs keyword spam | caught at 10% held, same |")
    print("|---|---|---|---|---|---|---|")
    for reading in READINGS:
        cells = []
        for group, kind, n in (("on", "no site", len(on)), ("on", "site", len(on)), ("off", "keyword", len(off)),
                               ("off", "person", len(off))):
            shares = [100.0 * sum(result((reading, s, group, i, kind))[0] != ON for i in range(n)) / n
                      for s in range(o.seeds)]
            cells.append(shares)
        aucs = [auc([result((reading, s, "off", i, "keyword"))[1] for i in range(len(off))],
                    [result((reading, s, "on", i, "site"))[1] for i in range(len(on))]) for s in range(o.seeds)]
        caught = [100.0 * caught_at_10_held([result((reading, s, "off", i, "keyword"))[1] for i in range(len(off))],
                                            [result((reading, s, "on", i, "site"))[1] for i in range(len(on))])
                  for s in range(o.seeds)]
        fmt = lambda xs, d: "%.*f (%.*f-%.*f)" % (d, statistics.mean(xs), d, min(xs), d, max(xs))
        print("| %s | %s |" % (reading, " | ".join([fmt(c, 1) + "%" for c in cells] + [fmt(aucs, 3), fmt(caught, 1) + "%"])))
    print()
    print("On-topic comments held when every reader signs with one name, read as text:")
    print()
    print("| name | on-topic held |")
    print("|---|---|")
    print("| (none: text only) | %.1f%% |" % (100.0 * sum(result(("text only", 0, "on", i, "no site"))[0] != ON
                                                         for i in range(len(on))) / len(on)))
    for name in NAMES:
        print("| %s | %.1f%% |" % (name, 100.0 * sum(result(("name", name, i))[0] != ON for i in range(len(on))) / len(on)))
    print()
    print("| fixture comment | expected | " + " | ".join(READINGS) + " |")
    print("|---|---|" + "---|" * len(READINGS))
    for what, _, _, _, expected in FIXTURES:
        labels = ["%s %.2f" % result((reading, "fixture", what)) for reading in READINGS]
        print("| %s | %s | %s |" % (what, expected, " | ".join(labels)))


if __name__ == "__main__":
    main()
