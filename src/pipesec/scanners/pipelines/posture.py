"""Gate posture: which security gates each pipeline has, judged from the tools and actions
its jobs actually invoke (commands, ``uses:``, GitLab templates and components, images),
never from job names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipesec.core.model import Confidence, PostureCheck, Severity
from pipesec.scanners.pipelines.common import rule

GATES = (
    "secret-scanning",
    "sast",
    "sca",
    "iac-scan",
    "container-scan",
    "sbom",
    "signing",
    "dast",
    "manual-approval",
    "pinned-tools",
    "least-privilege-token",
)

PIPESEC_GATES = frozenset({"secret-scanning", "sast", "sca", "iac-scan"})

# evidence: regexes over "commands + uses + images + includes" of a pipeline
EVIDENCE: dict[str, re.Pattern[str]] = {
    "secret-scanning": re.compile(
        r"\bgitleaks\b|trufflehog|detect-secrets|ggshield|Secret-Detection|secret-detection"
        r"|\bpipesec\s+scan\b",
        re.IGNORECASE,
    ),
    "sast": re.compile(
        r"\bsemgrep\b|\bbandit\b|codeql-action/(?:init|analyze)|\bgosec\b|\bbrakeman\b"
        r"|sonar-scanner|sonarsource/|snyk\s+code|/SAST\.gitlab-ci|Jobs/SAST|components/sast"
        r"|\bpipesec\s+scan\b",
        re.IGNORECASE,
    ),
    "sca": re.compile(
        r"pip-audit|npm\s+audit|yarn\s+audit|pnpm\s+audit|osv-scanner|snyk\s+test|snyk/actions"
        r"|dependency-check|dependency-review-action|govulncheck|cargo\s+audit|bundle(?:r)?[\s-]audit"
        r"|Dependency-Scanning|dependency-scanning|trivy\s+fs|grype\s+dir:|\bpipesec\s+scan\b",
        re.IGNORECASE,
    ),
    "iac-scan": re.compile(
        r"\bcheckov\b|\btfsec\b|\bkics\b|terrascan|trivy\s+config|SAST-IaC|iac-sast|kube-linter"
        r"|\bpipesec\s+scan\b",
        re.IGNORECASE,
    ),
    "container-scan": re.compile(
        r"trivy\s+image|trivy-action|anchore/scan-action|\bgrype\s+(?!dir:)[\w$./{-]|docker\s+scout"
        r"|snyk\s+container|Container-Scanning|container-scanning|pipesec\s+scan\b[^\n]*--image",
        re.IGNORECASE,
    ),
    "sbom": re.compile(
        r"\bsyft\b|sbom-action|cyclonedx|spdx|attest-sbom|--sbom|pipesec\s+sbom",
        re.IGNORECASE,
    ),
    "signing": re.compile(
        r"cosign\s+(?:sign|attest)|attest-build-provenance|actions/attest|slsa-framework|notation\s+sign"
        r"|gpg\s+--(?:detach-sign|armor\s+--detach)|pipesec\s+(?:sign|attest)|sigstore/"
        r"|\bsigstore\s+(?:sign|attest)\b",
        re.IGNORECASE,
    ),
    "dast": re.compile(
        r"zaproxy|zap-(?:baseline|full-scan|api-scan)|\bnuclei\b|DAST\.gitlab-ci|Jobs/DAST|burp",
        re.IGNORECASE,
    ),
}

# cheap literal prefilters: a gate's regex only runs when one of these occurs (lower-cased)
KEYWORDS: dict[str, tuple[str, ...]] = {
    "secret-scanning": (
        "gitleaks",
        "trufflehog",
        "detect-secrets",
        "ggshield",
        "secret-detection",
        "pipesec",
    ),
    "sast": (
        "semgrep",
        "bandit",
        "codeql-action",
        "gosec",
        "brakeman",
        "sonar",
        "snyk",
        "sast",
        "pipesec",
    ),
    "sca": (
        "audit",
        "osv-scanner",
        "snyk",
        "dependency-check",
        "dependency-review",
        "govulncheck",
        "dependency-scanning",
        "trivy",
        "grype",
        "pipesec",
    ),
    "iac-scan": (
        "checkov",
        "tfsec",
        "kics",
        "terrascan",
        "trivy",
        "sast-iac",
        "iac-sast",
        "kube-linter",
        "pipesec",
    ),
    "container-scan": (
        "trivy",
        "anchore",
        "grype",
        "scout",
        "snyk",
        "container-scanning",
        "pipesec",
    ),
    "sbom": ("syft", "sbom", "cyclonedx", "spdx"),
    "signing": ("cosign", "attest", "slsa-framework", "notation", "gpg", "pipesec", "sigstore"),
    "dast": ("zap", "nuclei", "dast", "burp"),
}

UNPINNED_RULES = frozenset(
    {
        "gha/unpinned-uses",
        "gha/unpinned-image",
        "gha/unpinned-tool-install",
        "gha/known-vulnerable-action",
        "gitlab/image-latest",
        "gitlab/image-no-digest",
        "gitlab/remote-include-unpinned",
        "gitlab/project-include-unpinned",
        "gitlab/component-unpinned",
        "gitlab/unpinned-tool-install",
        "jenkins/library-unpinned",
        "jenkins/docker-image-latest",
    }
)
TOKEN_RULES = frozenset(
    {
        "gha/missing-permissions",
        "gha/write-all-permissions",
        "gha/excessive-permissions",
        "gha/secrets-inherit",
        "gha/static-aws-keys",
        "gha/static-gcp-key",
        "gha/static-azure-secret",
        "gha/publish-long-lived-token",
        "gitlab/static-cloud-keys",
        "gitlab/job-token-third-party",
        "gitlab/trigger-forwards-variables",
        "jenkins/hardcoded-credential",
        "jenkins/pr-build-credentials",
    }
)
APPROVAL_RULES = frozenset(
    {
        "gha/deploy-without-environment",
        "gitlab/deploy-prod-not-manual",
        "jenkins/deploy-without-approval",
    }
)

GHA_SNIPPETS = {
    "pipesec": """  pipesec:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write  # upload SARIF to code scanning
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - run: pipx install pipesec==0.1.0
      - run: pipesec scan --output sarif=pipesec.sarif .
      - uses: github/codeql-action/upload-sarif@662472033e021d55d94146f66f6058822b0b39fd # v3.27.0
        if: always()
        with:
          sarif_file: pipesec.sarif
""",
    "container-scan": """  container-scan:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - run: |
          docker run --rm -v /var/run/docker.sock:/var/run/docker.sock \\
            aquasec/trivy:0.58.1 image --exit-code 1 --severity HIGH,CRITICAL "$IMAGE"
        env:
          IMAGE: ghcr.io/${{ github.repository }}:${{ github.sha }}
""",
    "sbom": """  sbom:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - run: >-
          docker run --rm -v "$PWD:/src" anchore/syft:v1.18.1 /src
          -o cyclonedx-json > sbom.cdx.json
      - uses: actions/upload-artifact@b4b15b8c7c6ac21ea08fcf65892d2ee8c75cf882 # v4.4.3
        with:
          name: sbom
          path: sbom.cdx.json
""",
    "signing": """  sign:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      id-token: write      # keyless signing (Sigstore)
      attestations: write  # store the provenance attestation
    steps:
      - uses: actions/attest-build-provenance@ef244123eb79f2f7a7e75d99086184180e6d0018 # v1.4.4
        with:
          subject-path: dist/*
""",
    "dast": """  dast:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: zaproxy/action-baseline@7c4deb10e6261301961c86d65d54a516394f9aed # v0.14.0
        with:
          target: https://staging.example.com
""",
    "manual-approval": """  deploy:
    runs-on: ubuntu-latest
    environment: production   # configure required reviewers for this environment
    concurrency: production
    permissions:
      contents: read
    steps:
      - run: ./deploy.sh
""",
    "pinned-tools": """# pin every `uses:` to a full commit SHA and every image to a digest, e.g.
#   - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
""",
    "least-privilege-token": """# at the top of every workflow:
permissions:
  contents: read
""",
}

GITLAB_SNIPPETS = {
    "pipesec": """pipesec:
  stage: test
  image: python:3.12-slim
  script:
    - pip install pipesec==0.1.0
    - pipesec scan --output gitlab-sast=gl-sast-report.json .
  artifacts:
    reports:
      sast: gl-sast-report.json
""",
    "container-scan": """include:
  - template: Jobs/Container-Scanning.gitlab-ci.yml
""",
    "sbom": """sbom:
  stage: build
  image: anchore/syft:v1.18.1
  script:
    - syft dir:. -o cyclonedx-json=gl-sbom.cdx.json
  artifacts:
    reports:
      cyclonedx: gl-sbom.cdx.json
""",
    "signing": """sign:
  stage: release
  image: bitnami/cosign:2.4.1
  id_tokens:
    SIGSTORE_ID_TOKEN:
      aud: sigstore
  script:
    - cosign sign --yes "$CI_REGISTRY_IMAGE@$IMAGE_DIGEST"
""",
    "dast": """include:
  - template: DAST.gitlab-ci.yml
variables:
  DAST_TARGET_URL: https://staging.example.com
""",
    "manual-approval": """deploy_production:
  stage: deploy
  environment: production
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      when: manual
  script:
    - ./deploy.sh
""",
    "pinned-tools": """# pin images to digests and includes to SHAs, e.g.
#   image: python:3.12-slim@sha256:<digest>
""",
    "least-privilege-token": """# use id_tokens (OIDC) instead of static cloud keys, e.g.
deploy:
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
""",
}


JENKINS_SNIPPETS = {
    "pipesec": """    stage('pipesec') {
      agent { docker { image 'python:3.12-slim@sha256:<digest>' } }
      steps {
        sh 'pipx install pipesec==0.1.0 && pipesec scan --output sarif=pipesec.sarif .'
      }
    }
""",
    "manual-approval": """    stage('Deploy production') {
      input {
        message 'Deploy to production?'
        submitter 'release-managers'
      }
      steps {
        sh './deploy.sh production'
      }
    }
""",
}


def snippet_for(platform: str, gate: str) -> str:
    table = {"gha": GHA_SNIPPETS, "jenkins": JENKINS_SNIPPETS}.get(platform, GITLAB_SNIPPETS)
    key = "pipesec" if gate in PIPESEC_GATES else gate
    return table.get(key, "")


_POSTURE_REMEDIATION = (
    "Add a job that runs the missing gate; the finding carries a ready-to-paste job "
    "(`pipesec scan` covers secret scanning, SAST, SCA and IaC in one job)."
)

_GHA_ALL_GATES = """name: CI
on: push
permissions:
  contents: read
jobs:
  security:
    runs-on: ubuntu-latest
    steps:
      - run: pipesec scan .
      - run: trivy image --exit-code 1 ghcr.io/acme/app@sha256:{d}
      - run: syft dir:. -o cyclonedx-json=sbom.json
      - run: cosign sign --yes ghcr.io/acme/app@sha256:{d}
      - run: zap-baseline.py -t https://staging.example.com
  deploy:
    runs-on: ubuntu-latest
    environment: production
    concurrency: production
    steps:
      - run: ./deploy.sh production
""".replace("{d}", "ab" * 32)

_GITLAB_ALL_GATES = """security:
  image: python:3.12-slim@sha256:{d}
  script:
    - pipesec scan .
    - trivy image --exit-code 1 registry.example.com/app@sha256:{d}
    - syft dir:. -o cyclonedx-json=sbom.json
    - cosign sign --yes registry.example.com/app@sha256:{d}
    - zap-baseline.py -t https://staging.example.com
deploy_production:
  image: alpine:3.20@sha256:{d}
  environment: production
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      when: manual
  script:
    - ./deploy.sh
""".replace("{d}", "cd" * 32)


GHA_MISSING = rule(
    "gha/missing-security-gate",
    "Pipeline lacks a security gate",
    Severity.INFO,
    "A secure delivery pipeline scans for secrets, code flaws, vulnerable dependencies, "
    "IaC and container issues, produces an SBOM, signs what it ships, tests the running "
    "app and holds production deploys for approval. A gate no job runs is a risk nobody "
    "checks.",
    _POSTURE_REMEDIATION,
    """name: CI
on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
""",
    _GHA_ALL_GATES,
    tags=("posture",),
    confidence=Confidence.HIGH,
)

GITLAB_MISSING = rule(
    "gitlab/missing-security-gate",
    "Pipeline lacks a security gate",
    Severity.INFO,
    GHA_MISSING.rationale,
    _POSTURE_REMEDIATION,
    """test:
  image: python:3.12-slim@sha256:"""
    + "0f" * 32
    + """
  script:
    - pytest
""",
    _GITLAB_ALL_GATES,
    tags=("posture",),
    confidence=Confidence.HIGH,
)

JENKINS_MISSING = rule(
    "jenkins/missing-security-gate",
    "Pipeline lacks a security gate",
    Severity.INFO,
    GHA_MISSING.rationale,
    _POSTURE_REMEDIATION,
    """pipeline {
  agent { label 'linux' }
  stages {
    stage('Test') {
      steps {
        sh 'make test'
      }
    }
  }
}
""",
    """pipeline {
  agent { label 'linux' }
  stages {
    stage('Security') {
      steps {
        sh 'pipesec scan .'
        sh 'trivy image --exit-code 1 registry.example.com/app@sha256:"""
    + "ef" * 32
    + """'
        sh 'syft dir:. -o cyclonedx-json=sbom.json'
        sh 'cosign sign --yes registry.example.com/app@sha256:"""
    + "ef" * 32
    + """'
        sh 'zap-baseline.py -t https://staging.example.com'
      }
    }
    stage('Deploy production') {
      input {
        message 'Deploy to production?'
      }
      steps {
        sh './deploy.sh production'
      }
    }
  }
}
""",
    tags=("posture",),
    confidence=Confidence.HIGH,
)

RULES = (GHA_MISSING, GITLAB_MISSING, JENKINS_MISSING)
MISSING_BY_PLATFORM = {"gha": GHA_MISSING, "gitlab": GITLAB_MISSING, "jenkins": JENKINS_MISSING}


@dataclass
class PipelineFacts:
    """What one pipeline invokes, gathered while its files are analysed."""

    name: str  # the pipeline's display name (workflows dir or .gitlab-ci.yml path)
    platform: str  # "gha" | "gitlab" | "jenkins"
    anchor_path: str  # file a missing-gate finding points at
    anchor_line: int = 1
    anchor_col: int = 1
    evidence: list[str] = field(default_factory=list)
    rule_hits: set[str] = field(default_factory=set)
    has_prod_deploy: bool = False
    prod_deploys: list[str] = field(default_factory=list)

    def add(self, texts: Iterable[str]) -> None:
        self.evidence.extend(t for t in texts if t)


def _keyword_led(rx: re.Pattern[str], keywords: tuple[str, ...]) -> bool:
    """Does every alternative of ``rx`` start (after ``\\b``-like assertions) with the
    literal text of one of ``keywords``? Then every match starts where a keyword occurs."""
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    tree = sre_parse.parse(rx.pattern, rx.flags)
    if len(tree.data) != 1 or tree.data[0][0] is not sre_parse.BRANCH:
        return False
    for branch in tree.data[0][1][1]:
        lead: list[str] = []
        for op, av in branch.data:
            if op is sre_parse.AT:
                if lead:
                    break
                continue
            if op is not sre_parse.LITERAL:
                break
            lead.append(chr(av))
        text = "".join(lead).lower()
        if not any(text.startswith(k) for k in keywords):
            return False
    return True


#: gates whose regex can be tried only where one of its keywords occurs
_KEYWORD_LED = frozenset(g for g, rx in EVIDENCE.items() if _keyword_led(rx, KEYWORDS[g]))


def _first_match(gate: str, blob: str, low: str) -> re.Match[str] | None:
    """``EVIDENCE[gate].search(blob)``; for keyword-led gates on ASCII text (where lower
    case maps character to character), tried only at the keywords' occurrences, in order:
    a pipeline's evidence can be megabytes with a keyword but no match."""
    rx = EVIDENCE[gate]
    if gate not in _KEYWORD_LED or not blob.isascii():
        return rx.search(blob)
    starts: set[int] = set()
    for k in KEYWORDS[gate]:
        i = low.find(k)
        while i >= 0:
            starts.add(i)
            i = low.find(k, i + 1)
    for i in sorted(starts):
        m = rx.match(blob, i)
        if m is not None:
            return m
    return None


def evaluate(facts: PipelineFacts) -> list[PostureCheck]:
    blob = "\n".join(facts.evidence)
    low = blob.lower()
    out: list[PostureCheck] = []
    for gate in GATES:
        if gate in EVIDENCE:
            m = _first_match(gate, blob, low) if any(k in low for k in KEYWORDS[gate]) else None
            present = m is not None
            detail = f"found `{m.group().strip()}`" if m else "no job runs such a tool"
        elif gate == "manual-approval":
            if not facts.has_prod_deploy:
                present, detail = True, "no production deploy job found"
            else:
                present = not (facts.rule_hits & APPROVAL_RULES)
                where = ", ".join(facts.prod_deploys[:5])
                if facts.platform == "gha":
                    detail = (
                        f"production deploys use an environment ({where}); check that it has"
                        " required reviewers in the repository settings"
                        if present
                        else "a production deploy job has no environment, so no approval"
                    )
                elif facts.platform == "jenkins":
                    detail = (
                        "production deploy stages wait for an input approval"
                        if present
                        else "a production deploy stage has no input approval"
                    )
                else:
                    detail = (
                        f"production deploys are manual ({where})"
                        if present
                        else "a production deploy job runs without when: manual"
                    )
        elif gate == "pinned-tools":
            bad = sorted(facts.rule_hits & UNPINNED_RULES)
            present = not bad
            detail = "all actions/images/includes pinned" if present else "see " + ", ".join(bad)
        else:  # least-privilege-token
            bad = sorted(facts.rule_hits & TOKEN_RULES)
            present = not bad
            detail = "token scoped, no static cloud keys" if present else "see " + ", ".join(bad)
        out.append(PostureCheck(facts.name, gate, present, detail))
    return out
