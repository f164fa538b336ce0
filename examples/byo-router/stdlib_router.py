#!/usr/bin/env python3
"""An outside router for zooter, in Python with the standard library only.

zooter runs it as `exec@cmd=python3 examples/byo-router/stdlib_router.py` and talks to it over
the zooter-exec protocol, version 1 (docs/byo-router.md): one JSON object per line on standard
input (a header, the training queries, then the queries to route), one decision line per query
to route on standard output.

The router: a bag of words. For every word and candidate it keeps the mean training score of the
candidate on queries holding the word (the gold when the header's "train_gold" allows it, else
the mean of the reward models); a query's predicted quality per candidate is the mean over its
known words, shrunk toward the candidate's overall mean. It writes that prediction as "scores",
so zooter's lambda sweep works for it too. Deterministic: no randomness, sorted tie-breaks.
"""
import json
import re
import sys
from collections import defaultdict

PROTOCOL, VERSION = "zooter-exec", 1
SHRINK = 2.0  # pseudo-count of the candidate's overall mean in each word's estimate
WORD = re.compile(r"[a-z0-9]+")


def words(text):
    return sorted(set(WORD.findall(text.lower())))


def training_score(line, header, candidate):
    """The score the router learns from: gold when allowed, else the reward models' mean."""
    if header["train_gold"]:
        return line["gold"][candidate]
    rewards = [r[candidate] for r in line["rewards"].values() if r[candidate] is not None]
    return sum(rewards) / len(rewards) if rewards else 0.0


def main():
    header = json.loads(sys.stdin.readline())
    if header.get("protocol") != PROTOCOL or header.get("version") != VERSION:
        sys.exit(f"stdlib_router: expected {PROTOCOL} version {VERSION}, got {header.get('protocol')} "
                 f"version {header.get('version')}")
    candidates = header["candidates"]
    totals = defaultdict(lambda: [0.0] * len(candidates))  # word -> per-candidate score sums
    counts = defaultdict(int)
    overall = [0.0] * len(candidates)
    trained = 0
    out = sys.stdout
    for raw in sys.stdin:
        line = json.loads(raw)
        if line["kind"] == "train":
            scores = [training_score(line, header, c) for c in candidates]
            trained += 1
            for c, s in enumerate(scores):
                overall[c] += s
            for w in words(line["text"]):
                counts[w] += 1
                for c, s in enumerate(scores):
                    totals[w][c] += s
        elif line["kind"] == "route":
            prior = [s / trained if trained else 0.0 for s in overall]
            known = [w for w in words(line["text"]) if w in counts]
            predicted = []
            for c in range(len(candidates)):
                if not known:
                    predicted.append(prior[c])
                    continue
                per_word = [(totals[w][c] + SHRINK * prior[c]) / (counts[w] + SHRINK) for w in known]
                predicted.append(sum(per_word) / len(per_word))
            best = max(range(len(candidates)), key=lambda c: (predicted[c], -c))
            out.write(json.dumps({"query": line["query"], "model": candidates[best],
                                  "scores": dict(zip(candidates, predicted))}) + "\n")
        else:
            sys.exit(f"stdlib_router: unknown line kind {line['kind']!r}")


if __name__ == "__main__":
    main()
