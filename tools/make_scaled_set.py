#!/usr/bin/python3
"""make_scaled_set.py - a training set of any size from a JSON Lines corpus, for tools/train_scale.sh.

    /usr/bin/python3 tools/make_scaled_set.py --input train.jsonl --rows N --out SET.jsonl
                                              [--fasttext SET.ft] [--seed 1]

Writes N rows. Below the corpus's size: a seeded sample of its rows, in corpus order. Above it:
whole passes over the corpus (the first one verbatim), then a seeded sample for the remainder;
in every pass after the first each row is a variant, so that a repeated row is not an exact
duplicate: an extra word drawn from the words of that label's comments, inserted at a random
place, then at random two adjacent words swapped and one word's case changed (the variant's
words are joined by single spaces). Labels, articles, sources and any other member are kept.
Each variant depends only on --seed, its pass and its row, so the same arguments give the same file.

--fasttext also writes the same rows as fastText input, prepared as ../shared/peers/peers.py
does: `__label__LABEL` and the text on one line, lower-cased.

Streams: the corpus is read once per pass and only its vocabulary is held in memory; each output
is written to a temporary file renamed into place, so a failed run leaves no partial file.
"""
import argparse
import json
import os
import random
import sys
import tempfile


def rows(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{number}: not JSON: {e}")
            if not isinstance(row, dict) or not isinstance(row.get("label"), str) or not isinstance(row.get("text"), str):
                sys.exit(f"{path}:{number}: not an object with a string label and text")
            yield row


def vocabularies(path):
    """Row count and, per label, the distinct alphabetic words of its comments in first-seen order
    (those of all labels for a label whose comments have none)."""
    count, words, everything = 0, {}, {}
    for row in rows(path):
        count += 1
        seen = words.setdefault(row["label"], {})
        for word in row["text"].split():
            if word.isalpha() and 2 <= len(word) <= 20:
                seen.setdefault(word, None)
                everything.setdefault(word, None)
    return count, {label: list(seen or everything) for label, seen in words.items()}


def variant(text, vocabulary, rng):
    words = text.split()
    words.insert(rng.randint(0, len(words)), rng.choice(vocabulary))
    if len(words) > 1 and rng.random() < 0.5:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    if rng.random() < 0.5:
        i = rng.randrange(len(words))
        words[i] = rng.choice((str.upper, str.lower, str.capitalize))(words[i])
    return " ".join(words)


def fasttext_line(row):
    return "__label__%s %s\n" % (row["label"], " ".join(row["text"].split()).lower())


class AtomicOutput:
    """A file written under a temporary name beside its path and renamed into place by commit()."""

    def __init__(self, path):
        self.path = path
        fd, self.temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".scaled.")
        self.file = os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape")

    def commit(self):
        self.file.close()
        os.replace(self.temporary, self.path)

    def discard(self):
        self.file.close()
        os.unlink(self.temporary)


def write_set(args, outputs):
    total, vocabulary = vocabularies(args.input)
    if total == 0:
        sys.exit(f"{args.input}: no rows")
    full_passes, remainder = divmod(args.rows, total)
    if args.rows > total and not any(vocabulary.values()):
        sys.exit(f"{args.input}: no word to make variants with")
    chosen = set(random.Random(f"{args.seed}:sample").sample(range(total), remainder))
    for pass_number in range(full_passes + (1 if remainder else 0)):
        last = pass_number == full_passes
        for index, row in enumerate(rows(args.input)):
            if last and index not in chosen:
                continue
            if pass_number > 0:
                rng = random.Random(f"{args.seed}:{pass_number}:{index}")
                row["text"] = variant(row["text"], vocabulary[row["label"]], rng)
            outputs[0].file.write(json.dumps(row, ensure_ascii=False) + "\n")
            if len(outputs) > 1:
                outputs[1].file.write(fasttext_line(row))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True, help="JSON Lines corpus: label, text, optional article, source")
    parser.add_argument("--rows", type=int, required=True, help="rows to write (at least 1)")
    parser.add_argument("--out", required=True, help="the JSON Lines set to write")
    parser.add_argument("--fasttext", help="also write the same rows as fastText input here")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.rows < 1:
        parser.error("--rows must be at least 1")

    outputs = [AtomicOutput(args.out)] + ([AtomicOutput(args.fasttext)] if args.fasttext else [])
    try:
        write_set(args, outputs)
    except BaseException:
        for output in outputs:
            output.discard()
        raise
    for output in outputs:
        output.commit()


if __name__ == "__main__":
    main()
