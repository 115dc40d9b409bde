#!/usr/bin/env python3
"""Writes tests/corpus/manifest.csv from a corpus folder of real downloads (one folder per
format family, each with a NOTES.md section per file naming its repository, path and commit):
for each file, what econtrack must give: the number of values and three exact cells, or the
exact refusal. Run it after changing a reader, read the diff of the manifest, and commit it
only when every change is right. Usage: make_manifest.py CORPUS_DIR ECONTRACK_BINARY"""
import csv, os, re, subprocess, sys, tempfile

corpus, binary = sys.argv[1], sys.argv[2]
rows = []
for family in sorted(os.listdir(corpus)):
    folder = os.path.join(corpus, family)
    notes_path = os.path.join(folder, "NOTES.md")
    if not os.path.isfile(notes_path):
        continue
    notes = open(notes_path, encoding="utf-8").read()
    sections = {}
    for part in re.split(r"\n## ", notes)[1:]:
        title, _, body = part.partition("\n")
        name = title.strip().strip("`").split(" ")[0].strip("`")
        sections[name] = body
    for name in sorted(os.listdir(folder)):
        if name == "NOTES.md":
            continue
        body = next((b for t, b in sections.items() if t == name or name in t), "")
        commit = re.search(r"\b[0-9a-f]{40}\b", body)
        date = re.search(r"[0-9a-f]{40}\W+\(?(\d{4}-\d{2}-\d{2})", body)
        repo = re.search(r"(?:repo(?:sitory)?|Source|From)\W*[:*]*\s*`?([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)`?", body)
        path = re.search(r"path:?\**\s*`([^`]+)`", body)
        licence = {
            "oecdstat": "OECD: reuse with attribution (CC BY 4.0 since 2024)",
            "sdmx": "the agency named in the dataflow: reuse with attribution",
            "weo": "IMF: reuse with attribution (IMF copyright and usage terms)",
            "imfportal": "IMF: reuse with attribution (IMF copyright and usage terms)",
            "worldbank": "World Bank: CC BY 4.0",
            "fred": "FRED: public-domain series of US agencies; OECD series reprinted with permission",
            "eurostat_tsv": "Eurostat: reuse with attribution (Commission Decision 2011/833/EU)",
            "ecb": "ECB: reuse with attribution (Euribor data: EMMI)",
            "bis": "BIS: reuse with attribution (BIS terms of use)",
        }.get(family, "")
        published = date.group(1) if date else "2026-01-15"
        if family == "weo":
            m = re.search(r"(20\d\d)(apr|oct)", name)
            if m:
                published = f"{m.group(1)}-{'04' if m.group(2) == 'apr' else '10'}-15"
        if family == "worldbank" or name.startswith("bis_full_"):
            published = ""
        db = tempfile.mktemp(suffix=".db")
        args = [binary, "--db", db, "--quiet", "import", os.path.join(folder, name)]
        subprocess.run([binary, "--db", db, "init", "--empty"], capture_output=True)
        if published:
            args += ["--published", published]
        run = subprocess.run(args, capture_output=True, text=True)
        outcome, values, cells, refusal = "refuse", "", "", ""
        if run.returncode == 0:
            exported = subprocess.run([binary, "--db", db, "export", "values"], capture_output=True, text=True).stdout
            table = list(csv.DictReader(exported.splitlines()))
            outcome, values = "import", str(len(table))
            picks = [table[0], table[len(table) // 2], table[-1]] if table else []
            cells = ";".join("|".join(r[c] for c in ["indicator", "entity", "period", "kind", "value", "published"]) for r in picks)
        else:
            first = next((l for l in run.stderr.splitlines() if l.startswith("error: ")), "")
            # The refusal as it reads after the file name and line.
            refusal = re.sub(r"^error: [^:]*(:\d+)*: ", "", first)
        for suffix in ["", "-wal", "-shm"]:
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        rows.append([f"{family}/{name}", repo.group(1) if repo else "", path.group(1) if path else "",
                     commit.group(0) if commit else "", licence, published, outcome, values, cells, refusal])

out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["file", "repository", "path", "commit", "licence", "published", "outcome", "values", "cells", "refusal"])
out.writerows(rows)
