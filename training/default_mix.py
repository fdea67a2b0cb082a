#!/usr/bin/python3
"""Write the default model's training rows: the shared corpus as a blog's moderation would label it.

training/default_mix.py CORPUS/train.jsonl OUT.jsonl

The blog rule (README, "What the labels mean"): thanks, questions and chatter between readers under a
post are on-topic; off-topic is promotion, spam and chatter unrelated to the post. SemEval's community-QA
*Bad* answers (mapped to off-topic) are mostly short forum talk — thanks, greetings, replies to another
user — that a blog approves: training on them taught the model to hold thank-you notes (47% of a real
blog's legitimate comments held). They are left out; SemEval's good answers stay, as on-topic.
Measured with tools/model_report.py on ../shared/data/blog/dev.jsonl (never trained on): ROC-AUC of
P(off-topic) 0.62 -> 0.73, legitimate comments held 28% -> 6%, corpus v2 dev macro-F1 0.800 -> 0.809.

Polite self-promotion ("Nice post. Visit my blog too.") has no rows of its own in the corpus: its spam
says "subscribe to my channel" without praise, and its praise is on-topic, so praise won. Composed rows
teach that the call to action decides: COMPOSED short praising comments of the input's on-topic rows,
each followed by a sentence with a promotional phrase (training/promotion_phrases.txt) from its
off-topic spam rows, as off-topic; as many of the same praise followed by a sentence of an on-topic
answer or news comment, as on-topic, so that praise itself leans neither way. Only the input's own rows
are used (leave-one-source-out splits compose from their training sources alone); seeded, so the same
input gives the same rows. Measured in training/default-card-notes.md.

A reader who asks for help under a post is on-topic, and no source of the corpus has such comments as
rows; the long ones that a tutorial blog's readers write (an error message with a question) were held
through the everyday words of the e-mail and SMS spam ("file", "line", "found"). The community-QA threads'
questions are such comments: each distinct thread question of the input's SemEval rows (their `article`)
is added once as an on-topic row without an article. Measured in training/default-card-notes.md.
"""
import json
import os
import random
import re
import sys

LEFT_OUT = {("semeval2016-cqa", "off-topic"), ("semeval2015-cqa", "off-topic")}
COMPOSED = 600  # rows of each kind
PRAISE = re.compile(r"\b(nice|great|thanks|thank you|good|love|awesome|amazing|helpful|informative|cool|interesting)\b",
                    re.I)
LINK_OR_MENTION = re.compile(r"https?://|www\.|@\w")
PRAISE_SOURCES = {"c3-globe-and-mail", "youtube-spam", "impermium-insults", "semeval2015-cqa", "semeval2016-cqa"}
SPAM_SOURCES = {"youtube-spam", "email-spam"}
ANSWER_SOURCES = {"c3-globe-and-mail", "semeval2015-cqa", "semeval2016-cqa"}
QUESTION_SOURCES = {"semeval2015-cqa", "semeval2016-cqa"}


def promotional_phrases():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "promotion_phrases.txt")
    with open(path, encoding="utf-8") as f:
        phrases = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    return re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) +
                      r")(?![\w'])", re.I)


def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.replace("\ufeff", "").strip()) if s.strip()]


def composed_rows(rows):
    """The composed promotion (off-topic) and praise (on-topic) rows described above."""
    promotional = promotional_phrases()
    praise, calls, answers = [], [], []
    for r in rows:
        text, source, label = r["text"].replace("\ufeff", "").strip(), r.get("source"), r["label"]
        if (label == "on-topic" and source in PRAISE_SOURCES and len(text) <= 70 and PRAISE.search(text)
                and not LINK_OR_MENTION.search(text)):
            praise.append(text)
        if label == "off-topic" and source in SPAM_SOURCES:
            calls += [s for s in sentences(text) if promotional.search(s) and 10 <= len(s) <= 160]
        if label == "on-topic" and source in ANSWER_SOURCES:
            answers += [s for s in sentences(text)[1:2] if 30 <= len(s) <= 160 and not promotional.search(s)
                        and not PRAISE.search(s)]
    if not (praise and calls and answers):
        return []
    rng = random.Random(1)
    out = [{"label": "off-topic", "text": rng.choice(praise) + " " + rng.choice(calls), "source": "composed-promotion"}
           for _ in range(COMPOSED)]
    out += [{"label": "on-topic", "text": rng.choice(praise) + " " + rng.choice(answers), "source": "composed-praise"}
            for _ in range(COMPOSED)]
    return out


def question_rows(rows):
    """Each distinct thread question of the community-QA rows, once, as an on-topic row (in input order)."""
    seen, out = set(), []
    for r in rows:
        question = r.get("article")
        if question and r.get("source") in QUESTION_SOURCES and question not in seen:
            seen.add(question)
            out.append({"label": "on-topic", "text": question, "source": "composed-question"})
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    kept, dropped = [], 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            if (row.get("source"), row["label"]) in LEFT_OUT:
                dropped += 1
                continue
            kept.append(row)
    composed = composed_rows(kept) + question_rows(kept)
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        for row in kept + composed:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print("default_mix.py: %d rows kept, %d left out, %d composed" % (len(kept), dropped, len(composed)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
