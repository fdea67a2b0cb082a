#!/usr/bin/python3
"""The base model's judgement on five suites of comments written for commentguard (issue 17/23).

    tools/judgement.py [--cg build/commentguard] [--model models/default] [--blog ../shared/data/blog/dev.jsonl]
                       [--threads ../shared/data/corpus/dev.jsonl] [--json] [--check]

Suites (tests/fixtures/):
  identity     suites/identity.json: identity terms x neutral, positive, negated, counter-speech and abusive
               templates. Share of neutral and positive sentences labelled abusive (overall and per group: the
               largest excess over the mean), share of abusive ones caught, macro-F1 of abusive against the rest
               over all five kinds; negated and counter-speech sentences reported beside them (no target).
  misplacement suites/misplaced.jsonl: unrelated comments (off-topic) and generic reactions (on-topic) under an
               article; with --blog, also the blog's content-bearing legitimate comments under their own article
               against the same comments under another article: ROC-AUC of p(off-topic), and the share of the
               blog's legitimate comments (under their own article) not labelled on-topic. Each comment is
               moved under each of the other 62 of the blog's 63 articles, so the AUC
               does not hang on one draw. With --threads, the same across the question threads of a corpus
               file (on-topic answers with content under their own question and under 5 other questions), and
               again with whole threads as the articles (the question followed by the thread's answers, the
               comment's own thread without it and its near-copies): long articles, as a news story is; also
               apart for articles under and over 200 words, and over every on-topic answer, generic ones too.
  promotion    suites/promotion.jsonl: polite self-promotion (off-topic) beside engaged comments with a link.
  rules        rules/blog_rules.jsonl + rules/critique.jsonl: the blog's rule, harsh critique of the content
               (on-topic) beside derision of the author (abusive).
  technical    suites/technical.jsonl: long technical comments (tracebacks, code, commands) under a fitting
               article: share labelled on-topic, and share whose strongest reason (--explain) is a form signal.
Targets (issue 23) are printed beside the figures; --check exits 1 when one is missed.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "tests", "fixtures")
# Signals that say how a comment looks, not what it says: never enough reason by themselves.
FORM_SIGNALS = {"length", "capitals", "digits", "stretched words", "exclamation and question marks"}
LABELS = ["on-topic", "off-topic", "abusive"]


def score(cg, model, rows, explain=False):
    """Score rows ({"text", "article"}, and "thread" where a row has one) through `commentguard score
    --format jsonl`; one answer a row."""
    lines = "".join(json.dumps(dict({"text": r["text"], "article": r.get("article")},
                                    **({"thread": r["thread"]} if r.get("thread") else {}))) + "\n" for r in rows)
    cmd = [cg, "score", "--format", "jsonl", "--model", model] + (["--explain"] if explain else [])
    out = subprocess.run(cmd, input=lines, capture_output=True, text=True, check=False)
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    if len(answers) != len(rows) or any("error" in a for a in answers):
        sys.exit("judgement: scoring failed: " + out.stderr.strip())
    return answers


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def roc_auc(pos, neg):
    """Probability that a random positive scores above a random negative (ties count half)."""
    ranked = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mid = (i + j + 1) / 2  # ranks are 1-based
        rank_sum += mid * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def f1(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def identity_suite(cg, model):
    spec = json.load(open(os.path.join(FIXTURES, "suites", "identity.json"), encoding="utf-8"))
    rows = []
    for kind, templates in spec["templates"].items():
        for template in templates:
            for group in spec["groups"]:
                text = template.replace("{G}", group)
                rows.append({"text": text[0].upper() + text[1:], "kind": kind, "group": group})
    answers = score(cg, model, rows)
    flagged = [a["label"] == "abusive" for a in answers]
    plain = [i for i, r in enumerate(rows) if r["kind"] in ("neutral", "positive")]
    benign = [i for i, r in enumerate(rows) if r["kind"] != "abusive"]
    abusive = [i for i, r in enumerate(rows) if r["kind"] == "abusive"]
    fpr = sum(flagged[i] for i in plain) / len(plain)
    per_group = {}
    for g in spec["groups"]:
        idx = [i for i in plain if rows[i]["group"] == g]
        per_group[g] = sum(flagged[i] for i in idx) / len(idx)
    worst = max(per_group, key=per_group.get)
    caught = sum(flagged[i] for i in abusive) / len(abusive)
    tp = sum(flagged[i] for i in abusive)
    fp = sum(flagged[i] for i in benign)
    fn = len(abusive) - tp
    tn = len(benign) - fp
    macro = (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2
    per_kind = {}
    for kind in spec["templates"]:
        idx = [i for i, r in enumerate(rows) if r["kind"] == kind]
        per_kind[kind] = sum(flagged[i] for i in idx) / len(idx)
    return {
        "rows": len(rows), "neutral and positive flagged abusive": fpr, "abusive caught": caught,
        "macro-F1": macro, "negated flagged abusive": per_kind["negated"],
        "counter-speech flagged abusive": per_kind["counter"],
        "worst group": worst, "worst group excess": per_group[worst] - fpr,
        "flagged abusive per template kind": per_kind, "flagged per group": per_group,
        "targets": {"neutral and positive flagged abusive": ("<=", 0.05), "worst group excess": ("<=", 0.03),
                    "abusive caught": (">=", 0.90)},
        "shown": ["macro-F1", "negated flagged abusive", "counter-speech flagged abusive"],
    }


CONTENT_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9'.()\[\]]{3,}")
GENERIC = set("""this that thanks thank great nice very good helpful article tutorial post really much with
have your from what just about there their they were will would could should been awesome amazing useful""".split())


def carries_content(text):
    """A comment that says something of its own: at least 8 words, 4 of them not generic praise."""
    words = CONTENT_WORD.findall(text)
    return len(text.split()) >= 8 and sum(1 for w in words if w.lower() not in GENERIC) >= 4


def words(text):
    return set(re.findall(r"\w+", text.lower()))


def whole_thread(article, rows, comment=None):
    """A long article made of a thread: its article, then its comments, leaving out the comment itself and
    near-copies of it (the same words for the most part: the corpus has answers posted twice)."""
    mine = words(comment) if comment is not None else None
    kept = [r["text"] for r in rows if mine is None or
            len(words(r["text"]) & mine) < 0.8 * max(1, len(words(r["text"]) | mine))]
    return "\n".join([article] + kept)


LONG_WORDS = 200  # about the median whole thread of corpus dev (209 words); a short news story is longer


def moved_comments(cg, model, data, moves, whole=False, content_only=True):
    """Content-bearing on-topic comments of data (rows with an article) under their own article and moved
    under `moves` other articles of the file (all of them if moves is None): ROC-AUC of p(off-topic), moved
    against own, and the share of all on-topic rows with an article not labelled on-topic. With whole, each
    article is its whole thread (whole_thread: the article and the thread's comments, the comment's own thread
    without it), so the articles are long. Without content_only, every on-topic comment is moved, generic ones
    too (which no measure can tell apart under another article)."""
    legit = [r for r in data if r["label"] == "on-topic" and r.get("article")]
    articles = sorted({r["article"] for r in data if r.get("article")})
    threads = {a: [r for r in data if r.get("article") == a] for a in articles} if whole else {}
    rng = random.Random(1)
    own = [r for r in legit if not content_only or carries_content(r["text"])]
    moved = []
    for r in own:
        others = [a for a in articles if a != r["article"]]
        for a in (others if moves is None else rng.sample(others, min(moves, len(others)))):
            moved.append({"text": r["text"], "article": whole_thread(a, threads[a]) if whole else a})
    if whole:
        own = [{"text": r["text"], "article": whole_thread(r["article"], threads[r["article"]], r["text"])}
               for r in own]
        legit = [{"text": r["text"], "article": whole_thread(r["article"], threads[r["article"]], r["text"])}
                 for r in legit]
    own_answers = score(cg, model, own)
    moved_answers = score(cg, model, moved)
    all_answers = score(cg, model, legit)

    def auc_where(keep):
        """The AUC over the comments (own and moved) whose article keep() accepts."""
        return roc_auc([a["scores"]["off-topic"] for a, r in zip(moved_answers, moved) if keep(r["article"])],
                       [a["scores"]["off-topic"] for a, r in zip(own_answers, own) if keep(r["article"])])
    result = {"comments": len(own), "articles": len(articles), "moved": len(moved), "auc": auc_where(lambda a: True),
              "held": sum(a["label"] != "on-topic" for a in all_answers) / len(legit)}
    if whole:
        result["auc short"] = auc_where(lambda a: len(a.split()) < LONG_WORDS)
        result["auc long"] = auc_where(lambda a: len(a.split()) >= LONG_WORDS)
    return result


def misplacement_suite(cg, model, blog, threads=None):
    rows = read_jsonl(os.path.join(FIXTURES, "suites", "misplaced.jsonl"))
    answers = score(cg, model, rows)
    right = [a["label"] == r["label"] for a, r in zip(answers, rows)]
    result = {"fixture rows": len(rows), "fixture right": sum(right) / len(rows),
              "fixture misses": [r["text"] for r, ok in zip(rows, right) if not ok],
              "targets": {"fixture right": (">=", 0.90)}}
    if blog:
        m = moved_comments(cg, model, read_jsonl(blog), None)
        result.update({
            "blog content-bearing comments": m["comments"],
            "blog moved vs own ROC-AUC of p(off-topic)": m["auc"],
            "blog legitimate held": m["held"],
        })
        result["targets"].update({"blog moved vs own ROC-AUC of p(off-topic)": (">=", 0.85),
                                  "blog legitimate held": ("<=", 0.10)})
    if threads:
        rows = [r for r in read_jsonl(threads) if r.get("article") and r.get("source", "").startswith("semeval")]
        m = moved_comments(cg, model, rows, 5)
        result.update({
            "threads content-bearing answers": m["comments"],
            "threads moved vs own ROC-AUC of p(off-topic)": m["auc"],
            "threads on-topic answers held": m["held"],
        })
        m = moved_comments(cg, model, rows, 5, whole=True)
        result.update({
            "whole threads moved vs own ROC-AUC of p(off-topic)": m["auc"],
            "whole threads under 200 words: moved vs own ROC-AUC": m["auc short"],
            "whole threads of 200 words or more: moved vs own ROC-AUC": m["auc long"],
            "whole threads on-topic answers held": m["held"],
        })
        m = moved_comments(cg, model, rows, 5, whole=True, content_only=False)
        result["whole threads, every on-topic answer (generic ones too): moved vs own ROC-AUC"] = m["auc"]
        result.setdefault("shown", []).extend(["threads moved vs own ROC-AUC of p(off-topic)",
                                               "threads on-topic answers held",
                                               "whole threads moved vs own ROC-AUC of p(off-topic)",
                                               "whole threads under 200 words: moved vs own ROC-AUC",
                                               "whole threads of 200 words or more: moved vs own ROC-AUC",
                                               "whole threads on-topic answers held",
                                               "whole threads, every on-topic answer (generic ones too): moved vs "
                                               "own ROC-AUC"])
    return result


def labelled_suite(cg, model, files, target):
    rows = [r for f in files for r in read_jsonl(os.path.join(FIXTURES, f))]
    answers = score(cg, model, rows)
    per_rule = {}
    for r, a in zip(rows, answers):
        n, k = per_rule.get(r["rule"], (0, 0))
        per_rule[r["rule"]] = (n + 1, k + (a["label"] == r["label"]))
    right = sum(a["label"] == r["label"] for r, a in zip(rows, answers))
    return {"rows": len(rows), "right": right / len(rows),
            "right per rule": {k: f"{v[1]}/{v[0]}" for k, v in per_rule.items()},
            "misses": [f'{r["label"]} -> {a["label"]}: {r["text"][:80]}' for r, a in zip(rows, answers)
                       if a["label"] != r["label"]],
            "targets": {"right": (">=", target)}}


def technical_suite(cg, model):
    rows = read_jsonl(os.path.join(FIXTURES, "suites", "technical.jsonl"))
    answers = score(cg, model, rows, explain=True)
    on_topic = sum(a["label"] == "on-topic" for a in answers) / len(rows)
    form_first = [a["reasons"][0]["text"] for a in answers
                  if a.get("reasons") and "start" not in a["reasons"][0] and a["reasons"][0]["text"] in FORM_SIGNALS]
    return {"rows": len(rows), "on-topic": on_topic, "strongest reason a form signal": len(form_first) / len(rows),
            "form signals named first": sorted(set(form_first)),
            "targets": {"on-topic": (">=", 0.90), "strongest reason a form signal": ("<=", 0.0)}}


def missed_targets(name, result):
    missed = []
    for key, (op, bound) in result.get("targets", {}).items():
        value = result[key]
        if (op == ">=" and value < bound) or (op == "<=" and value > bound):
            missed.append(f"{name}: {key} {value:.3f} (target {op} {bound})")
    return missed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cg", default=os.path.join(HERE, "..", "build", "commentguard"))
    ap.add_argument("--model", default=os.path.join(HERE, "..", "models", "default"))
    ap.add_argument("--blog", help="the blog set (../shared/data/blog/dev.jsonl) for the moved-comment AUC")
    ap.add_argument("--threads", help="a corpus file (../shared/data/corpus/dev.jsonl) for the moved-answer AUC "
                    "across its question threads")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args()
    results = {
        "identity": identity_suite(args.cg, args.model),
        "misplacement": misplacement_suite(args.cg, args.model, args.blog, args.threads),
        "promotion": labelled_suite(args.cg, args.model, ["suites/promotion.jsonl"], 0.90),
        "rules": labelled_suite(args.cg, args.model, ["rules/blog_rules.jsonl", "rules/critique.jsonl"], 0.90),
        "technical": technical_suite(args.cg, args.model),
    }
    missed = [m for name, r in results.items() for m in missed_targets(name, r)]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print("| suite | figure | value | target |")
        print("|---|---|---|---|")
        for name, r in results.items():
            for key, (op, bound) in r["targets"].items():
                print(f"| {name} | {key} | {r[key]:.3f} | {op} {bound} |")
            for key in r.get("shown", []):
                print(f"| {name} | {key} | {r[key]:.3f} | |")
        if missed:
            print("\nmissed:\n  " + "\n  ".join(missed))
    sys.exit(1 if args.check and missed else 0)


if __name__ == "__main__":
    main()
