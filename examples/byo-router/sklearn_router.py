#!/usr/bin/env python3
"""An outside router for zooter with scikit-learn: TF-IDF features, logistic regression.

zooter runs it as `exec@cmd=python3 examples/byo-router/sklearn_router.py` over the zooter-exec
protocol, version 1 (docs/byo-router.md). Needs Debian's python3-sklearn (`scripts/setup.sh
--sklearn` installs it); without it the program exits with status 3 and says so.

The router: each training query is labelled with its best candidate (by gold when the header's
"train_gold" allows it, else by the reward models' mean; ties to the first candidate), word 1-2
gram TF-IDF features of the text, and a multinomial logistic regression. A query's "scores" are
the predicted probabilities of every candidate (0 for a candidate never best in training), so
zooter's lambda sweep trades them against cost. Deterministic: the lbfgs solver, a fixed
random_state, no shuffling.
"""
import json
import sys

PROTOCOL, VERSION = "zooter-exec", 1

try:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
except ImportError:
    sys.stderr.write("sklearn_router: scikit-learn is not installed (Debian: apt-get install python3-sklearn)\n")
    sys.exit(3)


def training_score(line, header, candidate):
    if header["train_gold"]:
        return line["gold"][candidate]
    rewards = [r[candidate] for r in line["rewards"].values() if r[candidate] is not None]
    return sum(rewards) / len(rewards) if rewards else 0.0


def main():
    header = json.loads(sys.stdin.readline())
    if header.get("protocol") != PROTOCOL or header.get("version") != VERSION:
        sys.exit(f"sklearn_router: expected {PROTOCOL} version {VERSION}")
    candidates = header["candidates"]
    texts, labels, route = [], [], []
    for raw in sys.stdin:
        line = json.loads(raw)
        if line["kind"] == "train":
            scores = [training_score(line, header, c) for c in candidates]
            texts.append(line["text"])
            labels.append(max(range(len(candidates)), key=lambda c: (scores[c], -c)))
        else:
            route.append(line)
    # Words seen once are noise in a large training set, and all there is in a tiny one.
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=2 if len(texts) >= 100 else 1, sublinear_tf=True)
    features = vectoriser.fit_transform(texts)
    if len(set(labels)) < 2:
        # One candidate is always best: nothing to learn, route everything to it.
        only = labels[0] if labels else 0
        for line in route:
            scores = {c: float(i == only) for i, c in enumerate(candidates)}
            print(json.dumps({"query": line["query"], "model": candidates[only], "scores": scores}))
        return
    model = LogisticRegression(C=4.0, max_iter=1000, random_state=0)
    model.fit(features, labels)
    probabilities = model.predict_proba(vectoriser.transform([line["text"] for line in route]))
    out = sys.stdout
    for line, row in zip(route, probabilities):
        scores = [0.0] * len(candidates)
        for k, label in enumerate(model.classes_):
            scores[label] = float(row[k])
        best = max(range(len(candidates)), key=lambda c: (scores[c], -c))
        out.write(json.dumps({"query": line["query"], "model": candidates[best],
                              "scores": dict(zip(candidates, scores))}) + "\n")


if __name__ == "__main__":
    main()
