#!/usr/bin/python3
"""eval_report.py INPUT OUT_DIR - draw `commentguard eval --report`'s web page.

INPUT is the JSON file commentguard eval writes for it: the data and model names, "summary" (what
`eval --json` prints), "tradeoff" (per class, the hold and miss shares of the unsure band at the
thresholds 0.00, 0.01, ..., 1.00, as `commentguard thresholds` computes them) and "rows" (per
comment: file line, source, gold label, label, the three probabilities, and for a wrong label its
text and reasons). Writes OUT_DIR/index.html and the PNG images it shows, nothing else; the page
needs no network. Everything taken from the data is HTML-escaped.

Plots are drawn with matplotlib (Debian: python3-matplotlib) on the Agg backend.
"""
import html
import json
import sys

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
except ImportError as e:
    sys.exit(f"eval_report.py: {e}: the report needs matplotlib (Debian: python3-matplotlib)")

CLASSES = ["on-topic", "off-topic", "abusive"]
COLOURS = {"on-topic": "#2a7ab0", "off-topic": "#e08a1e", "abusive": "#c0392b"}
BINS = 10            # of the reliability diagram
MISJUDGED_SHOWN = 25  # rows in the table of confident mistakes
SHOWN_BYTES = 600     # of a comment's text; the rest is cut
DPI = 100


def esc(value):
    return html.escape(str(value), quote=True)


def pct(x):
    return "n/a" if x is None else f"{100 * x:.1f}%"


def num(x):
    return "n/a" if x is None else f"{x:.4f}"


class Rows:
    """The rows of one group (all, or one source) as arrays."""

    def __init__(self, rows):
        self.n = len(rows)
        self.gold = np.array([CLASSES.index(r["gold"]) for r in rows], dtype=int)
        self.label = np.array([CLASSES.index(r["label"]) if r["label"] in CLASSES else -1 for r in rows], dtype=int)
        self.p = np.array([r["p"] for r in rows], dtype=float).reshape(-1, len(CLASSES))


def save(fig, out_dir, name):
    fig.savefig(f"{out_dir}/{name}", dpi=DPI)
    plt.close(fig)
    return name


def confusion_figure(g, size):
    counts = np.zeros((len(CLASSES), len(CLASSES)), dtype=int)
    for t, p in zip(g.gold, g.label):
        if p >= 0:
            counts[t, p] += 1
    totals = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    im = ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(CLASSES)):
        for j in range(len(CLASSES)):
            ax.text(j, i, f"{counts[i, j]}\n{100 * share[i, j]:.0f}%", ha="center", va="center",
                    color="white" if share[i, j] > 0.55 else "black", fontsize=9)
    ax.set_xticks(range(len(CLASSES)), CLASSES)
    ax.set_yticks(range(len(CLASSES)), CLASSES)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    fig.colorbar(im, ax=ax, label="share of the gold row", shrink=0.8)
    return fig


def pr_curve(gold_is, score):
    """Precision and recall of "score >= s" over every distinct score s, highest first."""
    order = np.argsort(-score, kind="stable")
    hits = np.cumsum(gold_is[order])
    kept = np.arange(1, len(order) + 1)
    last = np.r_[np.diff(score[order]) != 0, True]  # the last row of each run of equal scores
    return hits[last] / kept[last], hits[last] / gold_is.sum()


def pr_figure(g, size):
    fig, axes = plt.subplots(1, len(CLASSES), figsize=size, layout="constrained", sharey=True)
    for k, (cls, ax) in enumerate(zip(CLASSES, axes)):
        gold_is = (g.gold == k).astype(float)
        ax.set_title(cls, fontsize=10)
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("recall")
        ax.grid(alpha=0.3)
        if gold_is.sum() == 0:
            ax.text(0.5, 0.5, f"no {cls}\ncomments", ha="center", va="center", transform=ax.transAxes)
            continue
        precision, recall = pr_curve(gold_is, g.p[:, k])
        ax.plot(recall, precision, color=COLOURS[cls], lw=1.5, label="p(class) above a cut")
        ax.axhline(gold_is.mean(), color="grey", lw=0.8, ls=":", label="share of the class")
        named = g.label == k
        if named.any():
            op_p, op_r = gold_is[named].mean(), gold_is[named].sum() / gold_is.sum()
        else:
            op_p, op_r = 0.0, 0.0
        ax.plot([op_r], [op_p], "o", color="black", ms=7, label="the model's labels now")
    axes[0].set_ylabel("precision")
    with_curves = [ax for ax in axes if ax.lines]
    if with_curves:
        with_curves[0].legend(loc="lower left", fontsize=7)
    return fig


def reliability_bins(predicted, observed):
    edges = np.linspace(0, 1, BINS + 1)
    which = np.clip(np.digitize(predicted, edges[1:-1]), 0, BINS - 1)
    counts = np.bincount(which, minlength=BINS)
    mean_p = np.bincount(which, weights=predicted, minlength=BINS)
    hits = np.bincount(which, weights=observed, minlength=BINS)
    filled = counts > 0
    return edges, counts, np.where(filled, mean_p / np.maximum(counts, 1), np.nan), \
        np.where(filled, hits / np.maximum(counts, 1), np.nan)


def reliability_figure(g, size):
    """Predicted probability against observed frequency, each comment's three probabilities pooled
    (and each class alone, thinner), with the count of probabilities in each bin."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=size, layout="constrained", sharex=True,
                                      gridspec_kw={"height_ratios": [3, 1]})
    top.plot([0, 1], [0, 1], color="grey", lw=0.8, ls=":", label="perfect calibration")
    onehot = np.eye(len(CLASSES))[g.gold]
    for k, cls in enumerate(CLASSES):
        if (g.gold == k).any():
            _, _, x, y = reliability_bins(g.p[:, k], onehot[:, k])
            top.plot(x, y, "-", color=COLOURS[cls], lw=1, alpha=0.7, label=cls)
    edges, counts, x, y = reliability_bins(g.p.ravel(), onehot.ravel())
    top.plot(x, y, "o-", color="black", lw=1.8, label="all classes")
    top.set_ylabel("observed frequency")
    top.set_ylim(-0.02, 1.02)
    top.grid(alpha=0.3)
    top.legend(fontsize=7, loc="upper left")
    bars = bottom.bar((edges[:-1] + edges[1:]) / 2, counts, width=0.9 / BINS, color="#999999")
    bottom.bar_label(bars, fontsize=7)
    bottom.set_yscale("log")
    bottom.set_ylim(0.5, max(2, counts.max()) * 8)
    bottom.set_ylabel("count")
    bottom.set_xlabel("predicted probability")
    bottom.set_xlim(0, 1)
    return fig


def tradeoff_figure(tradeoff, size):
    steps = np.linspace(0, 1, len(tradeoff[CLASSES[0]]["hold"]))
    fig, axes = plt.subplots(1, len(CLASSES), figsize=size, layout="constrained", sharey=True)
    for cls, ax in zip(CLASSES, axes):
        t = tradeoff[cls]
        ax.set_title(cls, fontsize=10)
        ax.plot(steps, 100 * np.array(t["miss"]), color="#c0392b", label="miss: others labelled " + cls)
        if t["support"]:
            ax.plot(steps, 100 * np.array(t["hold"]), color="#2a7ab0", label=cls + " comments held")
        else:
            ax.text(0.5, 0.5, f"no {cls}\ncomments", ha="center", va="center", transform=ax.transAxes)
        ax.set_xlabel(f"threshold of {cls}")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    axes[0].set_ylabel("% of the comments")
    return fig


def highlighted(text, reasons):
    """The comment (its first SHOWN_BYTES), HTML-escaped, with the spans its reasons name marked."""
    data = text.encode("utf-8")
    cut = len(data) > SHOWN_BYTES
    if cut:
        data = data[:SHOWN_BYTES]
    spans = sorted((r["start"], r["end"]) for r in reasons if "start" in r)
    out, at = [], 0
    for start, end in spans:
        if start < at or end > len(data):
            continue  # overlaps a span already marked, or was cut off
        out.append(esc(data[at:start].decode("utf-8", "replace")))
        out.append("<mark>" + esc(data[start:end].decode("utf-8", "replace")) + "</mark>")
        at = end
    out.append(esc(data[at:].decode("utf-8", "ignore" if cut else "replace")))  # a cut may split a character
    if cut:
        out.append(" [&hellip;]")
    return "".join(out)


def class_table(summary):
    rows = ["<tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>ROC-AUC</th><th>comments</th></tr>"]
    for cls in CLASSES:
        c = summary["per_class"][cls]
        rows.append(f"<tr><td>{esc(cls)}</td><td>{num(c['p'])}</td><td>{num(c['r'])}</td><td>{num(c['f1'])}</td>"
                    f"<td>{num(c['auc'])}</td><td>{c['support']}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def misjudged_table(rows):
    wrong = [r for r in rows if r["label"] != r["gold"]]
    wrong.sort(key=lambda r: -max(r["p"]))
    parts = [f"<p>{len(wrong)} comments judged wrong; the {min(len(wrong), MISJUDGED_SHOWN)} the model was surest "
             "about, with the words that pushed it most (marked in the text where found).</p>",
             "<table class=\"wrong\"><tr><th>line</th><th>source</th><th>gold</th><th>label</th>"
             "<th>p(label)</th><th>comment</th><th>why</th></tr>"]
    for r in wrong[:MISJUDGED_SHOWN]:
        p_label = r["p"][CLASSES.index(r["label"])] if r["label"] in CLASSES else max(r["p"])
        why = ", ".join(f"{esc(x['text'])} ({x['weight']:.2f})" for x in r["reasons"])
        parts.append(f"<tr><td>{r['line']}</td><td>{esc(r['source'])}</td><td>{esc(r['gold'])}</td>"
                     f"<td>{esc(r['label'])}</td><td>{p_label:.3f}</td>"
                     f"<td class=\"text\">{highlighted(r['text'], r['reasons'])}</td><td>{why}</td></tr>")
    parts.append("</table>")
    return "".join(parts)


def source_table(inp, out_dir):
    by_source = {}
    for r in inp["rows"]:
        by_source.setdefault(r["source"], []).append(r)
    parts = ["<table class=\"sources\"><tr><th>source</th><th>comments</th><th>accuracy</th><th>macro-F1</th>"
             "<th>confusion, precision-recall and reliability</th></tr>"]
    for i, (name, rows) in enumerate(sorted(by_source.items())):
        g = Rows(rows)
        s = inp["summary"]["per_source"].get(name, {})
        images = [save(confusion_figure(g, (3.6, 2.8)), out_dir, f"source{i}-confusion.png"),
                  save(pr_figure(g, (6, 2.3)), out_dir, f"source{i}-pr.png"),
                  save(reliability_figure(g, (3.4, 3)), out_dir, f"source{i}-reliability.png")]
        cells = "<td class=\"figures\">" + "".join(
            f"<img class=\"{kind}\" src=\"{esc(img)}\" alt=\"{kind} of {esc(name)}\">"
            for kind, img in zip(["confusion", "pr", "reliability"], images)) + "</td>"
        parts.append(f"<tr><td>{esc(name or '(none)')}</td><td>{g.n}</td><td>{num(s.get('accuracy'))}</td>"
                     f"<td>{num(s.get('macro_f1'))}</td>{cells}</tr>")
    parts.append("</table>")
    return "".join(parts)


STYLE = """
body { font-family: sans-serif; margin: 2em; max-width: 1300px; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
td.text { max-width: 40em; white-space: pre-wrap; overflow-wrap: anywhere; }
td.figures { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; }
td.figures img.confusion, td.figures img.reliability { width: 240px; }
td.figures img.pr { width: 420px; }
mark { background: #ffe08a; }
.note { color: #555; }
#image-check { color: #b00; font-weight: bold; }
"""

# Marks the page once every image has loaded or failed: data-images="ok", or "broken: NAMES" with
# a visible warning, so that a broken report says so (and its test can tell).
IMAGE_CHECK = """
window.addEventListener("load", function () {
  var broken = [];
  for (var img of document.images)
    if (!img.complete || img.naturalWidth === 0) broken.push(img.getAttribute("src"));
  document.body.dataset.images = broken.length ? "broken: " + broken.join(" ") : "ok";
  if (broken.length)
    document.getElementById("image-check").textContent = "Missing images: " + broken.join(", ");
});
"""


def page(inp, out_dir):
    s = inp["summary"]
    all_rows = Rows(inp["rows"])
    confusion = save(confusion_figure(all_rows, (5, 3.8)), out_dir, "confusion.png")
    pr = save(pr_figure(all_rows, (11, 3.6)), out_dir, "pr.png")
    reliability = save(reliability_figure(all_rows, (6, 5)), out_dir, "reliability.png")
    tradeoff = save(tradeoff_figure(inp["tradeoff"], (11, 3.4)), out_dir, "tradeoff.png")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>commentguard evaluation: {esc(inp['data'])}</title>
<style>{STYLE}</style><script>{IMAGE_CHECK}</script></head>
<body>
<h1>commentguard evaluation</h1>
<p id="image-check"></p>
<p>data <code>{esc(inp['data'])}</code> ({s['n']} comments, articles {'used' if inp['articles'] else 'ignored'}),
model <code>{esc(inp['model'])}</code>.<br>accuracy <b>{num(s['accuracy'])}</b>, macro-F1 <b>{num(s['macro_f1'])}</b>.</p>
<h2>Confusion matrix</h2>
<img src="{confusion}" alt="confusion matrix">
{class_table(s)}
<h2>Precision and recall per class</h2>
<p class="note">Each curve labels a comment as the class when its probability is above a cut, for every cut;
the dot is the model's labels as they are (the most probable class).</p>
<img src="{pr}" alt="precision-recall curves">
<h2>Do the probabilities mean what they say?</h2>
<p class="note">Comments binned by predicted probability (every comment gives one per class): of the comments
given about 0.8, about 80% should be of that class. Below, how many probabilities fall in each bin.</p>
<img src="{reliability}" alt="reliability diagram">
<h2>The unsure band</h2>
<p class="note">A comment labelled c with p(c) below c's threshold is <i>unsure</i> and goes to a moderator.
<b>hold</b>: the share of the class's comments held although labelled right; <b>miss</b>: the share of the
other comments still labelled c without a moderator (for on-topic: the spam and abuse published).
<code>commentguard thresholds</code> prints these figures and picks thresholds for a limit.</p>
<img src="{tradeoff}" alt="trade-off of the thresholds">
<h2>Per source</h2>
{source_table(inp, out_dir)}
<h2>The most confident mistakes</h2>
{misjudged_table(inp["rows"])}
</body></html>
"""


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: eval_report.py INPUT OUT_DIR")
    with open(sys.argv[1], encoding="utf-8") as f:
        inp = json.load(f)
    text = page(inp, sys.argv[2])
    with open(f"{sys.argv[2]}/index.html", "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
