"""Speed of the pipelines scanner on generated Jenkinsfiles (no peer tool reads them).

    .venv/bin/python bench/jenkins_speed.py [--files 2000] [--runs 3]

Generates N Jenkinsfiles (declarative and scripted, each with a few of the shapes the
Jenkins rules look for, varied names and stage counts) into a temporary repository, one per
directory, then times `pipesec scan --scanner pipelines` (whole command) and the analysis
alone in-process. Prints wall time, files per second and findings. Medians of --runs runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PIPESEC = Path(sys.executable).parent / "pipesec"

STAGES = [
    "    stage('Build %N') {\n      steps {\n        sh 'make build-%N'\n      }\n    }\n",
    "    stage('Test %N') {\n      agent { docker { image 'python:3.%N' } }\n      steps {\n"
    "        sh 'pytest -q'\n        junit 'reports/*.xml'\n      }\n    }\n",
    "    stage('Package %N') {\n      steps {\n"
    '        sh "mvn -Drevision=${params.VERSION} package"\n      }\n    }\n',
    "    stage('Publish %N') {\n      steps {\n"
    "        withCredentials([string(credentialsId: 'npm', variable: 'NPM_TOKEN')]) {\n"
    "          sh 'npm publish'\n        }\n      }\n    }\n",
    "    stage('Deploy prod %N') {\n      input {\n        message 'Ship?'\n      }\n"
    "      steps {\n        sh './deploy.sh production'\n      }\n    }\n",
    "    stage('Lint %N') {\n      when { changeRequest() }\n      steps {\n"
    "        sh 'curl -s https://lint.example.com/run.sh | bash'\n      }\n    }\n",
]


def declarative(rng: random.Random, i: int) -> str:
    stages = "".join(rng.choice(STAGES).replace("%N", str(k)) for k in range(rng.randint(2, 8)))
    lib = rng.choice(["@Library('ci@v1.2.0') _\n", "@Library('ci') _\n", ""])
    agent = rng.choice(["agent any", "agent { label 'linux' }", "agent none"])
    return (
        f"{lib}// pipeline {i}\npipeline {{\n  {agent}\n  parameters {{\n"
        "    string(name: 'VERSION', defaultValue: '1.0')\n  }\n  environment {\n"
        f"    APP = 'app{i}'\n    TOKEN = credentials('token-{i}')\n  }}\n"
        f"  stages {{\n{stages}  }}\n  post {{\n    always {{\n      cleanWs()\n    }}\n  }}\n}}\n"
    )


def scripted(rng: random.Random, i: int) -> str:
    body = "".join(
        f"  stage('step {k}') {{\n    sh \"make target{k} BRANCH=${{env.BRANCH_NAME}}\"\n  }}\n"
        if rng.random() < 0.3
        else f"  stage('step {k}') {{\n    sh 'make target{k}'\n  }}\n"
        for k in range(rng.randint(2, 10))
    )
    return f"node('{rng.choice(['linux', 'built-in'])}') {{\n  checkout scm\n{body}}}\n"


def generate(root: Path, n: int, seed: int = 11) -> list[Path]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        d = root / f"svc{i:04d}"
        d.mkdir(parents=True)
        p = d / "Jenkinsfile"
        p.write_text(declarative(rng, i) if rng.random() < 0.7 else scripted(rng, i), "utf-8")
        out.append(p)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from pipesec.scanners.pipelines.analyze import analyze_text

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        files = generate(root, args.files)
        size = sum(p.stat().st_size for p in files)
        print(f"{len(files)} Jenkinsfiles, {size / 1e6:.1f} MB; median of {args.runs} runs")
        print(
            "load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()),
            f"({os.cpu_count()} cores)",
        )
        texts = [(p.relative_to(root).as_posix(), p.read_text()) for p in files]
        samples, hits = [], 0
        for _ in range(args.runs):
            t = time.process_time()
            hits = sum(len(analyze_text(r, x, "jenkins").hits) for r, x in texts)
            samples.append(time.process_time() - t)
        t_lib = statistics.median(samples)
        cmd = [str(PIPESEC), "scan", "-s", "pipelines", "-f", "json", "--no-progress", "."]
        walls, found = [], 0
        for _ in range(args.runs):
            t = time.perf_counter()
            proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
            walls.append(time.perf_counter() - t)
            found = len(json.loads(proc.stdout)["findings"])
        t_cmd = statistics.median(walls)
        n = len(files)
        print(f"{'pipesec':36} {'wall s':>7} {'files/s':>8} {'findings':>9}")
        print(f"{'analysis (1 process, CPU s)':36} {t_lib:7.2f} {n / t_lib:8.0f} {hits:9d}")
        print(f"{'scan (whole command)':36} {t_cmd:7.2f} {n / t_cmd:8.0f} {found:9d}")
        print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
