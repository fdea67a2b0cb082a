#!/usr/bin/python3
"""adversarial.py - obfuscated variants of clean comments, scored with the commentguard program.

For every comment of tests/fixtures/adversarial/clean.tsv (label TAB text) and every technique
below, makes --variants obfuscated copies (deterministic: seeded by --seed, technique, comment and
variant), scores the originals and the copies with `commentguard score`, and reports per technique
the share of copies that keep the label the model gave their clean original, the share that get
the labelled class, and how many copies of benign comments turned abusive although their
original did not. It also reports how the benign non-Latin comments of foreign.tsv are labelled.

    /usr/bin/python3 tools/adversarial.py --program build/commentguard --model models/default
    ... --write variants.tsv      also write technique TAB label TAB text of every copy
    ... --check 0.95              exit 1 if the overall kept share is below 0.95, or any benign
                                  copy turned abusive

Variant k of a comment obfuscates a share RATES[k % 3] of its words (at least one word).
"""
import argparse
import json
import os
import random
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "tests", "fixtures", "adversarial")
RATES = (1.0, 0.5, 0.25)

# Look-alikes an attacker would pick, by Latin letter (lower case, then upper case).
CONFUSABLES = {
    "a": "\u0430\u03b1\u0251", "b": "\u044c\u0299", "c": "\u0441\u03f2\u1d04", "d": "\u0501\u0257",
    "e": "\u0435\u03b5\u04bd", "f": "\ua730\u0192", "g": "\u0261\u0581", "h": "\u04bb\u0570",
    "i": "\u0456\u03b9\u0131\u13a5", "j": "\u0458\u03f3", "k": "\u03ba\u043a\u1d0b", "l": "\u04cf\u0142\u029f",
    "m": "\u043c\u1d0d", "n": "\u0578\u0274\u03b7", "o": "\u043e\u03bf\u0585\u00f8", "p": "\u0440\u03c1",
    "q": "\u051b\u0566", "r": "\u0433\u0280", "s": "\u0455\ua731\u13da", "t": "\u0442\u03c4\u1d1b",
    "u": "\u03c5\u057d\u1d1c", "v": "\u03bd\u0475\u1d20", "w": "\u051d\u03c9\u1d21", "x": "\u0445\u03c7",
    "y": "\u0443\u03b3\u028f", "z": "\u1d22\u13c3",
    "A": "\u0410\u0391", "B": "\u0412\u0392", "C": "\u0421\u03f9", "E": "\u0415\u0395", "H": "\u041d\u0397",
    "I": "\u0406\u0399", "J": "\u0408", "K": "\u041a\u039a", "M": "\u041c\u039c", "N": "\u039d",
    "O": "\u041e\u039f", "P": "\u0420\u03a1", "S": "\u0405", "T": "\u0422\u03a4", "X": "\u0425\u03a7",
    "Y": "\u04ae\u03a5", "Z": "\u0396",
}
# Mathematical alphanumeric styles: code points of 'A' and 'a'.
MATH_STYLES = [(0x1D400, 0x1D41A), (0x1D434, 0x1D44E), (0x1D468, 0x1D482), (0x1D49C, 0x1D4B6),
               (0x1D4D0, 0x1D4EA), (0x1D504, 0x1D51E), (0x1D538, 0x1D552), (0x1D56C, 0x1D586),
               (0x1D5A0, 0x1D5BA), (0x1D5D4, 0x1D5EE), (0x1D608, 0x1D622), (0x1D63C, 0x1D656),
               (0x1D670, 0x1D68A)]
# Enclosed letters: circled, negative circled, negative squared (one code point per letter).
ENCLOSED = [(0x24B6, 0x24D0), (0x1F150, 0x1F150), (0x1F170, 0x1F170)]
LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7", "l": "1"}
SEPARATORS = [".", " ", "-", "_", "*", " . "]
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a\u202c\u202d\u2066\u2069\u180e"
MARKS = [chr(c) for c in range(0x300, 0x370)]


def words(text):
    """Start and end of each run of letters in text."""
    spans, start = [], None
    for i, ch in enumerate(text + " "):
        if ch.isalpha() and start is None:
            start = i
        elif not ch.isalpha() and start is not None:
            spans.append((start, i))
            start = None
    return spans


def per_word(text, rng, rate, change, min_len=3):
    """Apply change(word, rng) to a share `rate` of the words of at least min_len letters."""
    spans = [s for s in words(text) if s[1] - s[0] >= min_len] or words(text)
    if not spans:
        return text
    picked = [s for s in spans if rng.random() < rate] or [rng.choice(spans)]
    out, last = [], 0
    for a, b in picked:
        out.append(text[last:a])
        out.append(change(text[a:b], rng))
        last = b
    out.append(text[last:])
    return "".join(out)


def confusables(word, rng):
    subst = [i for i, ch in enumerate(word) if ch in CONFUSABLES]
    chosen = {i for i in subst if rng.random() < 0.7} or ({rng.choice(subst)} if subst else set())
    return "".join(rng.choice(CONFUSABLES[ch]) if i in chosen else ch for i, ch in enumerate(word))


def fullwidth(word, _rng):
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in word)


def styled(ch, upper_base, lower_base):
    if "A" <= ch <= "Z":
        cp = upper_base + ord(ch) - ord("A")
    elif "a" <= ch <= "z":
        cp = lower_base + ord(ch) - ord("a")
    else:
        return ch
    # Some styles have holes (their letters were encoded earlier, e.g. U+210E): keep the letter.
    return chr(cp) if unicodedata.category(chr(cp)) != "Cn" else ch


def math(word, rng):
    upper, lower = rng.choice(MATH_STYLES)
    return "".join(styled(ch, upper, lower) for ch in word)


def enclosed(word, rng):
    upper, lower = rng.choice(ENCLOSED)
    return "".join(styled(ch, upper, lower) for ch in word)


def leetspeak(word, rng):
    subst = [i for i, ch in enumerate(word) if ch.lower() in LEET]
    chosen = {i for i in subst if rng.random() < 0.6} or ({rng.choice(subst)} if subst else set())
    return "".join(rng.choice(LEET[ch.lower()]) if i in chosen else ch for i, ch in enumerate(word))


def masking(word, rng):
    vowels = [i for i, ch in enumerate(word) if ch.lower() in "aeiou" and 0 < i < len(word) - 1]
    if not vowels:
        return word
    chosen = {rng.choice(vowels)} | {i for i in vowels if rng.random() < 0.3}
    return "".join("*" if i in chosen else ch for i, ch in enumerate(word))


def separators(word, rng):
    return rng.choice(SEPARATORS).join(word)


def repeated(word, rng):
    i = rng.randrange(len(word))
    return word[:i] + word[i] * rng.randint(3, 7) + word[i + 1:]


def zero_width(word, rng):
    out = [word[0]]
    for ch in word[1:]:
        if rng.random() < 0.5:
            out.append(rng.choice(INVISIBLE))
        out.append(ch)
    return "".join(out)


def combining(word, rng):
    return "".join(ch + "".join(rng.choice(MARKS) for _ in range(rng.randint(1, 3))) for ch in word)


def zalgo(word, rng):
    return "".join(ch + "".join(rng.choice(MARKS) for _ in range(rng.randint(10, 20))) for ch in word)


TECHNIQUES = {
    "confusables": confusables, "fullwidth": fullwidth, "math": math, "enclosed": enclosed,
    "leetspeak": leetspeak, "masking": masking, "separators": separators, "repeated": repeated,
    "zero-width": zero_width, "combining": combining, "zalgo": zalgo,
}


def mixed(text, rng, rate):
    """Two or three techniques, one after the other (confusables last, as they hide letters)."""
    names = rng.sample([n for n in TECHNIQUES if n not in ("zalgo", "confusables")], 2)
    if rng.random() < 0.5:
        names.append("confusables")
    for name in names:
        text = per_word(text, rng, rate, TECHNIQUES[name])
    return text


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line:
                label, sep, text = line.partition("\t")
                if not sep or label not in ("on-topic", "off-topic", "abusive"):
                    sys.exit(f"{path}:{n}: expected label TAB text")
                rows.append((label, text))
    return rows


def make_variants(rows, count, seed):
    """(technique, comment index, text) of every obfuscated copy."""
    out = []
    for name in list(TECHNIQUES) + ["mixed"]:
        for i, (_, text) in enumerate(rows):
            for k in range(count):
                rng = random.Random(f"{seed}:{name}:{i}:{k}")
                rate = RATES[k % len(RATES)]
                if name == "mixed":
                    out.append((name, i, mixed(text, rng, rate)))
                else:
                    out.append((name, i, per_word(text, rng, rate, TECHNIQUES[name])))
    return out


def score(program, model, texts):
    """The label the program gives each text."""
    lines = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts))
    run = subprocess.run([program, "score", "--model", model, "--format", "jsonl", "--threads", "1"],
                         input=lines.encode("utf-8"), capture_output=True, check=False)
    if run.returncode != 0:
        sys.exit(f"{program} score failed ({run.returncode}): {run.stderr.decode(errors='replace')}")
    labels = [json.loads(line)["label"] for line in run.stdout.decode("utf-8").splitlines()]
    if len(labels) != len(texts):
        sys.exit(f"{program} score gave {len(labels)} lines for {len(texts)} comments")
    return labels


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--program", required=True, help="the commentguard program")
    ap.add_argument("--model", required=True, help="the model bundle directory")
    ap.add_argument("--clean", default=os.path.join(FIXTURES, "clean.tsv"))
    ap.add_argument("--foreign", default=os.path.join(FIXTURES, "foreign.tsv"))
    ap.add_argument("--variants", type=int, default=3, help="copies per comment and technique")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--write", help="write technique TAB label TAB text of every copy here")
    ap.add_argument("--check", type=float, help="fail below this overall kept share, or on any benign copy "
                    "turned abusive")
    args = ap.parse_args()

    rows = read_tsv(args.clean)
    foreign = read_tsv(args.foreign)
    variants = make_variants(rows, args.variants, args.seed)
    if args.write:
        with open(args.write, "w", encoding="utf-8") as f:
            for name, i, text in variants:
                f.write(f"{name}\t{rows[i][0]}\t{text}\n")
    labels = score(args.program, args.model, [t for _, t in rows] + [t for _, _, t in variants] +
                   [t for _, t in foreign])
    clean = labels[:len(rows)]
    var_labels = labels[len(rows):len(rows) + len(variants)]
    foreign_labels = labels[len(rows) + len(variants):]

    print(f"clean comments: {len(rows)}, model agrees with the label on "
          f"{sum(c == r[0] for c, r in zip(clean, rows))}")
    print(f"{'technique':<12} {'copies':>6} {'kept':>7} {'correct':>8} {'benign->abusive':>16}")
    totals = {}
    for name in list(TECHNIQUES) + ["mixed", "overall"]:
        picked = [(i, lab) for (tech, i, _), lab in zip(variants, var_labels) if name in (tech, "overall")]
        kept = sum(lab == clean[i] for i, lab in picked)
        correct = sum(lab == rows[i][0] for i, lab in picked)
        flips = sum(lab == "abusive" and clean[i] != "abusive" and rows[i][0] != "abusive" for i, lab in picked)
        totals[name] = (kept / len(picked), flips)
        print(f"{name:<12} {len(picked):>6} {100 * kept / len(picked):>6.1f}% {100 * correct / len(picked):>7.1f}% "
              f"{flips:>16}")
    abusive_foreign = sum(lab == "abusive" for lab in foreign_labels)
    print(f"benign non-Latin comments: {len(foreign)}, labelled abusive: {abusive_foreign}")

    if args.check is not None:
        rate, flips = totals["overall"]
        if rate < args.check or flips > 0 or abusive_foreign > 0:
            print(f"FAILED: kept {100 * rate:.1f}% (need {100 * args.check:.1f}%), {flips} benign copies and "
                  f"{abusive_foreign} non-Latin comments labelled abusive")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
