# ruff: noqa: E501
"""GitHub Actions scenarios of the pipelines benchmark corpus.

Each scenario is a realistic workflow modeled on a public incident or a common project
setup. A line that holds a problem ends with ``#@ <rule id>[, <rule id>]``; the corpus
builder (bench/pipelines_make_corpus.py) strips the marker and records the label.
``%OS%``, ``%NODE%``, ``%PY%``, ``%PROJ%`` vary between copies; ``%SHA:name%`` becomes a
stable 40-hex commit id. Labels are the ground truth a careful reviewer would write
under each rule's definition, not what pipesec happens to report.
"""

from __future__ import annotations

CHECKOUT = "actions/checkout@%SHA:checkout% # v4.2.2"
SETUP_NODE = "actions/setup-node@%SHA:setup-node% # v4.1.0"
SETUP_PY = "actions/setup-python@%SHA:setup-python% # v5.3.0"

SCENARIOS: dict[str, str] = {}

# --- template injection / pwn requests (public incidents) -----------------------------

SCENARIOS["pr-title-lint"] = """name: PR title
on:
  pull_request_target:  #@ gha/dangerous-trigger
    types: [opened, edited, synchronize]
permissions:
  pull-requests: read
jobs:
  lint:
    runs-on: %OS%
    steps:
      - name: Check conventional title
        run: |
          title="${{ github.event.pull_request.title }}"  #@ gha/template-injection
          if ! echo "$title" | grep -qE '^(feat|fix|docs|chore)(\\(.+\\))?: '; then
            echo "::error::PR title must follow Conventional Commits"
            exit 1
          fi
"""

SCENARIOS["ultralytics-branch-name"] = """name: Format code
on:
  pull_request_target:  #@ gha/dangerous-trigger
    branches: [main]
permissions:
  contents: write  #@ gha/undocumented-permissions
jobs:
  format:
    runs-on: %OS%
    steps:
      - uses: actions/checkout@v4  #@ gha/unpinned-uses, gha/checkout-persist-credentials
        with:
          ref: ${{ github.head_ref }}  #@ gha/pwn-request
          repository: ${{ github.event.pull_request.head.repo.full_name }}
      - uses: actions/setup-python@v5  #@ gha/unpinned-uses
        with:
          python-version: "%PY%"
      - run: pip install ruff==0.6.9 && ruff format .
      - name: Commit
        run: |
          git config user.name "format-bot"
          git commit -am "style: format" || true
          git push origin HEAD:${{ github.head_ref }}  #@ gha/template-injection
"""

SCENARIOS["issue-triage-bot"] = """name: Issue triage
on:
  issues:
    types: [opened]
permissions:
  issues: write  #@ gha/undocumented-permissions
jobs:
  triage:
    runs-on: %OS%
    steps:
      - name: Label by title
        run: |
          echo "New issue: ${{ github.event.issue.title }}"  #@ gha/template-injection
          if echo "$BODY" | grep -qi "crash"; then
            gh issue edit "${{ github.event.issue.number }}" --add-label bug
          fi
        env:
          BODY: ${{ github.event.issue.body }}
          GH_TOKEN: ${{ github.token }}
"""

SCENARIOS["issue-comment-chatops"] = """name: ChatOps
on:
  issue_comment:
    types: [created]
permissions:
  contents: read
jobs:
  benchmark:
    if: startsWith(github.event.comment.body, '/benchmark')  #@ gha/comment-trigger-no-auth
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%  #@ gha/checkout-persist-credentials
      - name: Parse command
        id: cmd
        run: echo "args=${{ github.event.comment.body }}" >> "$GITHUB_OUTPUT"  #@ gha/template-injection
      - name: Run benchmark
        run: ./bench.sh ${{ steps.cmd.outputs.args }}  #@ gha/template-injection
        env:
          BENCH_API_KEY: ${{ secrets.BENCH_API_KEY }}
"""

SCENARIOS["github-script-greeting"] = """name: Greet contributors
on:
  pull_request_target:  #@ gha/dangerous-trigger
    types: [opened]
permissions:
  pull-requests: write  # post the greeting comment
jobs:
  greet:
    runs-on: %OS%
    steps:
      - uses: actions/github-script@v7  #@ gha/unpinned-uses
        with:
          script: |
            const body = `Thanks @${{ github.event.pull_request.user.login }} for "${{ github.event.pull_request.title }}"!`;  #@ gha/template-injection-script
            await github.rest.issues.createComment({ ...context.repo, issue_number: context.issue.number, body });
"""

SCENARIOS["workflow-run-deploy-preview"] = """name: Deploy preview
on:
  workflow_run:  #@ gha/dangerous-trigger
    workflows: [Build]
    types: [completed]
permissions:
  actions: read
  pull-requests: write  # comment the preview URL
jobs:
  deploy:
    if: github.event.workflow_run.conclusion == 'success'
    runs-on: %OS%
    steps:
      - uses: actions/download-artifact@%SHA:download-artifact% # v4.1.8  #@ gha/artifact-poisoning
        with:
          name: site
          run-id: ${{ github.event.workflow_run.id }}
          github-token: ${{ github.token }}
      - run: ./scripts/deploy-preview.sh "${{ github.event.workflow_run.head_branch }}"  #@ gha/template-injection
        env:
          NETLIFY_AUTH_TOKEN: ${{ secrets.NETLIFY_AUTH_TOKEN }}
"""

SCENARIOS["workflow-run-safe"] = """name: Report coverage
on:
  workflow_run:  #@ gha/dangerous-trigger
    workflows: [Tests]
    types: [completed]
permissions:
  actions: read
  pull-requests: write  # coverage comment
jobs:
  comment:
    runs-on: %OS%
    steps:
      - uses: actions/download-artifact@%SHA:download-artifact% # v4.1.8
        with:
          name: coverage
          run-id: ${{ github.event.workflow_run.id }}
          github-token: ${{ github.token }}
          path: ${{ runner.temp }}/coverage
      - name: Comment
        env:
          GH_TOKEN: ${{ github.token }}
          HEAD_SHA: ${{ github.event.workflow_run.head_sha }}
        run: |
          pct=$(jq -r .total "$RUNNER_TEMP/coverage/summary.json")
          echo "coverage for $HEAD_SHA: $pct"
"""

SCENARIOS["env-hop-release-notes"] = """name: Release notes
on:
  pull_request:
    types: [closed]
permissions:
  contents: read
env:
  PR_TITLE: ${{ github.event.pull_request.title }}
jobs:
  notes:
    if: github.event.pull_request.merged == true
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - id: entry
        run: |
          echo "line=- ${{ env.PR_TITLE }} (#${{ github.event.pull_request.number }})" >> "$GITHUB_OUTPUT"  #@ gha/template-injection
      - run: echo "${{ steps.entry.outputs.line }}" >> CHANGELOG.md  #@ gha/template-injection
"""

SCENARIOS["job-output-hop"] = """name: Label PR
on:
  pull_request_target:  #@ gha/dangerous-trigger
permissions:
  pull-requests: write  # add labels
jobs:
  meta:
    runs-on: %OS%
    outputs:
      branch: ${{ steps.b.outputs.name }}
    steps:
      - id: b
        env:
          HEAD: ${{ github.head_ref }}
        run: echo "name=$HEAD" >> "$GITHUB_OUTPUT"
  label:
    needs: meta
    runs-on: %OS%
    steps:
      - run: gh pr edit ${{ github.event.number }} --add-label "branch:${{ needs.meta.outputs.branch }}"  #@ gha/template-injection
        env:
          GH_TOKEN: ${{ github.token }}
"""

SCENARIOS["safe-expressions-ci"] = """name: CI
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
concurrency:
  group: ci-${{ github.ref }}
  cancel-in-progress: true
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-24.04, macos-14]
        node: [20, 22]
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - uses: %SETUP_NODE%
        with:
          node-version: ${{ matrix.node }}
          cache: npm
      - run: npm ci
      - run: npm test -- --reporter=junit --outputFile=results-${{ matrix.os }}-${{ matrix.node }}.xml
      - name: Summary
        if: always()
        run: |
          echo "PR #${{ github.event.pull_request.number }} head ${{ github.event.pull_request.head.sha }}"
          echo "outcome=${{ job.status }} run=${{ github.run_id }} attempt=${{ github.run_attempt }}"
          echo "draft=${{ github.event.pull_request.draft }} actor=${{ github.actor }}"
          echo "skip=${{ contains(github.event.pull_request.title, '[skip]') }}"
"""

SCENARIOS["head-commit-message"] = """name: Deploy docs
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  docs:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - name: Skip marker
        run: |
          if [[ "${{ github.event.head_commit.message }}" == *"[skip docs]"* ]]; then  #@ gha/template-injection
            echo "skipping"; exit 0
          fi
          make docs
"""

SCENARIOS["dispatch-input"] = """name: Manual release
on:
  workflow_dispatch:
    inputs:
      version:
        description: Version to release
        required: true
      dry-run:
        type: boolean
        default: true
      channel:
        type: choice
        options: [stable, beta]
permissions:
  contents: write  # create the tag
jobs:
  tag:
    runs-on: %OS%
    environment: release
    steps:
      - uses: %CHECKOUT%  #@ gha/checkout-persist-credentials
      - run: |
          echo "releasing ${{ inputs.version }} on ${{ inputs.channel }} (dry=${{ inputs.dry-run }})"  #@ gha/template-injection-input
          git tag "v$VERSION" && git push origin "v$VERSION"
        env:
          VERSION: ${{ inputs.version }}
"""

SCENARIOS["github-env-pwn"] = """name: Build PR
on:
  pull_request_target:  #@ gha/dangerous-trigger
permissions: {}
jobs:
  build:
    runs-on: %OS%
    steps:
      - name: Export branch
        env:
          BRANCH: ${{ github.event.pull_request.head.ref }}
        run: echo "PR_BRANCH=$BRANCH" >> "$GITHUB_ENV"  #@ gha/github-env-injection
      - run: echo "building $PR_BRANCH"
"""

SCENARIOS["gh-pr-checkout-pwn"] = """name: Benchmarks on PR
on:
  issue_comment:
    types: [created]
permissions:
  contents: read
  pull-requests: write  #@ gha/undocumented-permissions
jobs:
  bench:
    if: github.event.issue.pull_request && contains(github.event.comment.body, '/bench') && contains(fromJSON('["OWNER","MEMBER"]'), github.event.comment.author_association)
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%  #@ gha/checkout-persist-credentials
      - run: gh pr checkout ${{ github.event.issue.number }}  #@ gha/pwn-request
        env:
          GH_TOKEN: ${{ github.token }}
      - run: cargo bench
"""

# --- permissions ---------------------------------------------------------------------

SCENARIOS["no-permissions-node"] = """name: Node CI
on: [push, pull_request]
jobs:  #@ gha/missing-permissions
  build:
    runs-on: %OS%
    steps:
      - uses: actions/checkout@v4  #@ gha/unpinned-uses, gha/checkout-persist-credentials
      - uses: actions/setup-node@v4  #@ gha/unpinned-uses
        with:
          node-version: %NODE%
      - run: npm ci
      - run: npm run lint && npm test
"""

SCENARIOS["write-all-release"] = """name: Release
on:
  release:
    types: [published]
permissions: write-all  #@ gha/write-all-permissions
jobs:
  upload:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - run: make dist
      - run: gh release upload "${{ github.event.release.tag_name }}" dist/*
        env:
          GH_TOKEN: ${{ github.token }}
"""

SCENARIOS["unused-id-token"] = """name: Test
on:
  pull_request:
permissions:
  contents: read
  id-token: write  #@ gha/excessive-permissions, gha/undocumented-permissions
  packages: write  # publish test images  #@ gha/excessive-permissions
jobs:
  test:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - uses: %SETUP_PY%
        with:
          python-version: "%PY%"
      - run: pip install -r requirements.txt && pytest
"""

SCENARIOS["oidc-aws-good"] = """name: Deploy
on:
  push:
    branches: [main]
permissions:
  contents: read
  id-token: write  # OIDC to AWS
jobs:
  deploy:
    runs-on: %OS%
    environment: production
    concurrency: production
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - uses: aws-actions/configure-aws-credentials@%SHA:aws-creds% # v4.0.2
        with:
          role-to-assume: arn:aws:iam::123456789012:role/%PROJ%-deploy
          aws-region: eu-west-1
      - run: aws s3 sync site/ "s3://%PROJ%-site" --delete
"""

# --- secrets and credentials ---------------------------------------------------------

SCENARIOS["static-aws-keys"] = """name: Deploy site
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  deploy:
    runs-on: %OS%
    environment: production
    concurrency: production
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - uses: aws-actions/configure-aws-credentials@v4  #@ gha/unpinned-uses
        with:
          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}  #@ gha/static-aws-keys
          aws-region: us-east-1
      - run: aws s3 sync public/ "s3://%PROJ%-www"
"""

SCENARIOS["gcp-azure-keys"] = """name: Cloud deploy
on:
  push:
    tags: ["v*"]
permissions:
  contents: read
jobs:
  gcp:
    runs-on: %OS%
    steps:
      - uses: google-github-actions/auth@%SHA:gauth% # v2.1.7
        with:
          credentials_json: ${{ secrets.GCP_SA_KEY }}  #@ gha/static-gcp-key
      - run: gcloud run deploy %PROJ% --image "gcr.io/acme/%PROJ%:${{ github.ref_name }}" --region europe-west1
  azure:  #@ gha/deploy-without-environment, gha/deploy-without-concurrency
    runs-on: %OS%
    steps:
      - uses: azure/login@%SHA:azure-login% # v2.2.0
        with:
          creds: ${{ secrets.AZURE_CREDENTIALS }}  #@ gha/static-azure-secret
      - run: az webapp restart --name %PROJ% --resource-group prod
"""

SCENARIOS["pypi-token-publish"] = """name: Publish
on:
  release:
    types: [published]
permissions:
  contents: read
env:
  TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}  #@ gha/workflow-level-secrets
jobs:
  pypi:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - uses: %SETUP_PY%
        with:
          python-version: "%PY%"
      - run: python -m pip install build==1.2.2 twine==5.1.1 && python -m build
      - uses: pypa/gh-action-pypi-publish@release/v1  #@ gha/unpinned-uses
        with:
          password: ${{ secrets.PYPI_TOKEN }}  #@ gha/publish-long-lived-token
  npm:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - uses: %SETUP_NODE%
        with:
          node-version: %NODE%
          registry-url: https://registry.npmjs.org
      - run: npm ci && npm publish --access public
        env:
          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}  #@ gha/publish-long-lived-token
"""

SCENARIOS["secrets-everywhere"] = """name: Integration
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  integration:
    runs-on: %OS%
    container:
      image: ghcr.io/acme/ci-runner:2024.10  #@ gha/unpinned-image
      credentials:
        username: ci-bot
        password: %FAKE_CI_PASSWORD%  #@ gha/hardcoded-container-credentials
    services:
      postgres:
        image: postgres:latest  #@ gha/unpinned-image
        env:
          POSTGRES_PASSWORD: postgres
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - run: ./ci/integration.sh
        env:
          ALL: ${{ toJSON(secrets) }}  #@ gha/overprovisioned-secrets
      - run: ./ci/db.sh
        env:
          DB_PASS: ${{ fromJSON(secrets.DB_CONFIG).password }}  #@ gha/unredacted-secrets
      - run: |
          curl -fsS -H "Authorization: token ${{ secrets.DEPLOY_API_TOKEN }}" https://deploy.example.com/hooks  #@ gha/secret-in-run
"""

SCENARIOS["reusable-inherit"] = """name: Release train
on:
  push:
    tags: ["v*"]
permissions:
  contents: read
jobs:
  build:
    uses: %PROJ%/workflows/.github/workflows/build.yml@main  #@ gha/unpinned-uses
    secrets: inherit  #@ gha/secrets-inherit
  publish:
    needs: build
    uses: %PROJ%/workflows/.github/workflows/publish.yml@%SHA:reusable%
    secrets:
      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
"""

SCENARIOS["debug-and-unsecure"] = """name: Legacy build
on:
  push:
    branches: [master]
permissions:
  contents: read
env:
  ACTIONS_STEP_DEBUG: true  #@ gha/debug-logging-enabled
jobs:
  build:
    runs-on: %OS%
    env:
      ACTIONS_ALLOW_UNSECURE_COMMANDS: true  #@ gha/unsecure-commands
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - run: echo "::add-path::$HOME/.local/bin"
      - run: make
"""

# --- supply chain --------------------------------------------------------------------

SCENARIOS["tj-actions-changed-files"] = """name: Lint changed files
on:
  pull_request:
permissions:
  contents: read
jobs:
  lint:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          fetch-depth: 0
          persist-credentials: false
      - id: changed
        uses: tj-actions/changed-files@v45  #@ gha/known-vulnerable-action, gha/unpinned-uses
      - run: npx eslint ${{ steps.changed.outputs.all_changed_files }}  #@ gha/template-injection
"""

SCENARIOS["reviewdog-trivy"] = """name: Code review
on:
  pull_request:
permissions:
  contents: read
  pull-requests: write  # review comments
jobs:
  shellcheck:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - uses: reviewdog/action-shellcheck@v1  #@ gha/known-vulnerable-action, gha/unpinned-uses
        with:
          reporter: github-pr-review
  trivy:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - uses: aquasecurity/trivy-action@0.28.0  #@ gha/known-vulnerable-action, gha/unpinned-uses
        with:
          scan-type: fs
          exit-code: "1"
"""

SCENARIOS["archived-and-obfuscated"] = """name: Release assets
on:
  push:
    tags: ["v*"]
permissions:
  contents: write  # create release
jobs:
  release:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - uses: actions-rs/toolchain@%SHA:actions-rs% # v1.0.7  #@ gha/archived-uses
        with:
          toolchain: stable
      - run: cargo build --release --locked
      - uses: actions/create-release@%SHA:create-release% # v1.1.4  #@ gha/archived-uses
        id: rel
        with:
          tag_name: ${{ github.ref_name }}
      - uses: actions/cache/save/../restore@%SHA:cache% # v4.1.2  #@ gha/obfuscated-uses, gha/cache-poisoning
        with:
          path: target
          key: cargo-${{ hashFiles('Cargo.lock') }}
"""

SCENARIOS["docker-action-images"] = """name: Docs
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  docs:
    runs-on: %OS%
    container: node:%NODE%  #@ gha/unpinned-image
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - uses: docker://pandoc/core:3.5  #@ gha/unpinned-image
        with:
          args: README.md -o README.html
      - uses: docker://alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d
        with:
          args: ls -la
"""

SCENARIOS["curl-bash-install"] = """name: Tooling
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  tools:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - run: curl -fsSL https://raw.githubusercontent.com/%PROJ%/tools/main/install.sh | bash  #@ gha/curl-pipe-shell
      - run: |
          wget -qO /usr/local/bin/yq https://github.com/mikefarah/yq/releases/download/v4.44.3/yq_linux_amd64  #@ gha/unverified-download
          chmod +x /usr/local/bin/yq
      - run: pip install --extra-index-url https://pypi.%PROJ%.internal/simple %PROJ%-utils  #@ gha/extra-index-url, gha/unpinned-tool-install
      - run: go install golang.org/x/vuln/cmd/govulncheck@latest && govulncheck ./...  #@ gha/unpinned-tool-install
      - run: curl -sk https://artifacts.%PROJ%.internal/cfg.json -o cfg.json  #@ gha/tls-verify-disabled
"""

SCENARIOS["ssh-deploy"] = """name: Deploy VM
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  deploy-production:  #@ gha/deploy-without-environment, gha/deploy-without-concurrency
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - name: Deploy to prod
        env:
          SSH_KEY: ${{ secrets.PROD_SSH_KEY }}
        run: |
          set -x  #@ gha/set-x-with-secrets
          echo "$SSH_KEY" > key && chmod 600 key
          ssh -i key -o StrictHostKeyChecking=no deploy@prod.%PROJ%.com ./release.sh  #@ gha/ssh-host-key-unchecked
"""

SCENARIOS["docker-login-p"] = """name: Image
on:
  push:
    branches: [main]
permissions:
  contents: read
  packages: write  # push to GHCR
jobs:
  image:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - run: docker login -u "${{ github.actor }}" -p "${{ secrets.GITHUB_TOKEN }}" ghcr.io  #@ gha/docker-login-password-arg
      - run: docker build -t ghcr.io/acme/%PROJ%:${{ github.sha }} . && docker push ghcr.io/acme/%PROJ%:${{ github.sha }}
"""

SCENARIOS["artipacked"] = """name: Build site
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  build:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%  #@ gha/artipacked
      - uses: %SETUP_NODE%
        with:
          node-version: %NODE%
      - run: npm ci && npm run build
      - uses: actions/upload-artifact@%SHA:upload-artifact% # v4.4.3
        with:
          name: site
          path: .
"""

SCENARIOS["cache-poisoning-release"] = """name: Release binaries
on:
  push:
    tags: ["v*"]
permissions:
  contents: write  # upload release assets
jobs:
  release:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - uses: actions/setup-go@%SHA:setup-go% # v5.1.0
        with:
          go-version: "1.23"
          cache: true  #@ gha/cache-poisoning
      - uses: actions/cache@%SHA:cache% # v4.1.2  #@ gha/cache-poisoning
        with:
          path: ~/.cache/goreleaser
          key: goreleaser-${{ runner.os }}
      - run: goreleaser release --clean
        env:
          GITHUB_TOKEN: ${{ github.token }}
"""

SCENARIOS["self-hosted-pr"] = """name: GPU tests
on:
  pull_request:
permissions:
  contents: read
jobs:
  gpu:
    runs-on: [self-hosted, linux, gpu]  #@ gha/self-hosted-public-trigger
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - run: python -m pytest tests/gpu
  nightly:
    runs-on: self-hosted  #@ gha/self-hosted-public-trigger
    steps:
      - run: ./nightly.sh
"""

SCENARIOS["dependabot-automerge"] = """name: Dependabot auto-merge
on:
  pull_request_target:  #@ gha/dangerous-trigger
permissions:
  contents: write  # merge
  pull-requests: write  # approve
jobs:
  automerge:
    runs-on: %OS%
    if: github.actor == 'dependabot[bot]'  #@ gha/bot-condition
    steps:
      - run: gh pr merge --auto --squash "$PR_URL"
        env:
          PR_URL: ${{ github.event.pull_request.html_url }}
          GH_TOKEN: ${{ github.token }}
"""

SCENARIOS["unsound-conditions"] = """name: Deploy on main
on:
  push:
permissions:
  contents: read
jobs:
  deploy:
    if: ${{ github.ref == 'refs/heads/main' }} && ${{ github.repository == 'acme/%PROJ%' }}  #@ gha/unsound-condition
    runs-on: %OS%
    environment: staging
    steps:
      - run: ./deploy.sh staging
  publish:
    if: contains('refs/heads/main refs/heads/release', github.ref)  #@ gha/unsound-contains
    runs-on: %OS%
    steps:
      - run: ./publish.sh
  notify:
    if: |  #@ gha/unsound-condition
      ${{ github.event_name == 'push' }}
    runs-on: %OS%
    steps:
      - run: ./notify.sh
"""

SCENARIOS["privileged-service"] = """name: E2E
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  e2e:
    runs-on: %OS%
    services:
      dind:
        image: docker@sha256:0a5c46cb8e4b1a62a5a0a54bb6a35c31f7f0c66e50e26f1e3d6c2d49c43f2c1c
        options: --privileged  #@ gha/privileged-container
    steps:
      - run: ./e2e.sh
"""

SCENARIOS["security-continue-on-error"] = """name: Security
on:
  pull_request:
permissions:
  contents: read
jobs:
  scan:
    runs-on: %OS%
    steps:
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - run: pip install semgrep==1.90.0 && semgrep scan --error --config p/ci
        continue-on-error: true  #@ gha/security-step-continue-on-error
      - run: pip-audit -r requirements.txt
"""

SCENARIOS["hardened-reference"] = """name: Hardened CI
on:
  pull_request:
  push:
    branches: [main]
permissions: {}
jobs:
  test:
    runs-on: %OS%
    permissions:
      contents: read
    steps:
      - uses: step-security/harden-runner@%SHA:harden% # v2.10.1
        with:
          egress-policy: audit
      - uses: %CHECKOUT%
        with:
          persist-credentials: false
      - uses: %SETUP_PY%
        with:
          python-version: "%PY%"
      - run: python -m pip install --require-hashes -r requirements.lock
      - run: pytest -q
      - name: Comment
        if: github.event_name == 'pull_request'
        env:
          TITLE: ${{ github.event.pull_request.title }}
        run: echo "Tested $TITLE"
"""

SCENARIOS["composite-action"] = """name: Setup tool
description: Download and install the tool
inputs:
  version:
    description: Tool version
    required: true
  token:
    description: API token
runs:
  using: composite
  steps:
    - shell: bash
      run: |
        curl -fsSL "https://dl.example.com/tool/${{ inputs.version }}/tool.tgz" -o tool.tgz  #@ gha/template-injection-input
        tar xzf tool.tgz
    - uses: actions/cache@v4  #@ gha/unpinned-uses
      with:
        path: ~/.tool
        key: tool-${{ inputs.version }}
"""

DEPENDABOT: dict[str, str] = {
    "dependabot-bundler": """version: 2
updates:
  - package-ecosystem: bundler  #@ gha/dependabot-cooldown
    directory: /
    schedule:
      interval: weekly
    insecure-external-code-execution: allow  #@ gha/dependabot-external-code-execution
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
    cooldown:
      default-days: 7
""",
    "dependabot-npm": """version: 2
updates:
  - package-ecosystem: npm  #@ gha/dependabot-cooldown
    directory: /
    schedule:
      interval: daily
    open-pull-requests-limit: 10
""",
}
