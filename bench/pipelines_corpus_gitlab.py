# ruff: noqa: E501
"""GitLab CI scenarios of the pipelines benchmark corpus (same marker conventions as
bench/pipelines_corpus_gha.py). A scenario is a dict of files: ``.gitlab-ci.yml`` and any
local includes it names."""

from __future__ import annotations

D = "@sha256:%DIGEST%"

SCENARIOS: dict[str, dict[str, str]] = {}

SCENARIOS["python-service"] = {
    ".gitlab-ci.yml": """stages: [test, build, deploy]

variables:
  PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"
  %FAKE_DB_PASSWORD_VARIABLE%  #@ gitlab/hardcoded-credential

default:
  image: python:%PY%-slim  #@ gitlab/image-no-digest

test:
  stage: test
  script:
    - pip install -r requirements.txt
    - pytest --junitxml=report.xml

build:
  stage: build
  image: docker:27.3"""
    + D
    + """
  services:
    - docker:27.3-dind"""
    + D
    + """
  variables:
    DOCKER_TLS_CERTDIR: ""  #@ gitlab/dind-without-tls
  script:
    - docker login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" "$CI_REGISTRY"  #@ gitlab/docker-login-password-arg
    - docker build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA" .
    - docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA"

deploy_production:
  stage: deploy
  image: bitnami/kubectl:latest  #@ gitlab/image-latest
  environment: production  #@ gitlab/deploy-prod-not-manual, gitlab/deploy-prod-unrestricted
  script:
    - kubectl set image deploy/%PROJ% app="$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA"
""",
}

SCENARIOS["includes-and-templates"] = {
    ".gitlab-ci.yml": """include:
  - local: /ci/common.yml
  - template: Jobs/SAST.gitlab-ci.yml
  - template: Jobs/Secret-Detection.gitlab-ci.yml
  - project: platform/ci-templates  #@ gitlab/project-include-unpinned
    file: /templates/lint.yml
  - project: platform/ci-templates
    ref: main  #@ gitlab/project-include-unpinned
    file: /templates/release.yml
  - remote: https://ci.%PROJ%.example.com/templates/notify.yml  #@ gitlab/remote-include-unpinned
  - component: $CI_SERVER_FQDN/%PROJ%/components/lint@~latest  #@ gitlab/component-unpinned
  - component: $CI_SERVER_FQDN/%PROJ%/components/build@2.1.0

stages: [test, build]

sast:
  allow_failure: true  #@ gitlab/security-job-allow-failure

secret_detection:
  variables:
    SECRET_DETECTION_HISTORIC_SCAN: "true"

unit:
  extends: .node
  stage: test
  script:
    - npm ci
    - npm test
""",
    "ci/common.yml": """.node:
  image: node:%NODE%"""
    + D
    + """
  before_script:
    - !reference [.tools, before_script]

.tools:
  before_script:
    - curl -fsSL https://get.%PROJ%.dev/tools.sh | sh  #@ gitlab/curl-pipe-shell
""",
}

SCENARIOS["remote-http-include"] = {
    ".gitlab-ci.yml": """include:
  - remote: http://templates.%PROJ%.example.com/build.yml  #@ gitlab/remote-include-http, gitlab/remote-include-unpinned
  - remote: https://templates.%PROJ%.example.com/test.yml
    integrity: sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=

build:
  image: golang:1.23"""
    + D
    + """
  script:
    - go build ./...
""",
}

SCENARIOS["mr-pipeline-secrets"] = {
    ".gitlab-ci.yml": """workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

e2e:
  image: mcr.microsoft.com/playwright:v1.48.2-jammy"""
    + D
    + """
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"  #@ gitlab/fork-mr-secrets
  script:
    - npx playwright test --reporter=line
    - 'curl -fsS -H "Authorization: Bearer $STAGING_API_TOKEN" https://staging.%PROJ%.com/reset'

e2e_safe:
  image: mcr.microsoft.com/playwright:v1.48.2-jammy"""
    + D
    + """
  rules:
    - if: $CI_MERGE_REQUEST_SOURCE_PROJECT_ID != $CI_PROJECT_ID
      when: never
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - 'curl -fsS -H "Authorization: Bearer $STAGING_API_TOKEN" https://staging.%PROJ%.com/reset'
""",
}

SCENARIOS["script-injection"] = {
    ".gitlab-ci.yml": """notify:
  image: alpine:3.20"""
    + D
    + """
  script:
    - 'eval "echo Deploying: $CI_COMMIT_TITLE"'  #@ gitlab/script-injection
    - sh -c "git log -1 --format=%s $CI_COMMIT_BRANCH"  #@ gitlab/script-injection
    - echo "Building $CI_MERGE_REQUEST_TITLE"
    - 'curl -X POST -d "text=$CI_COMMIT_MESSAGE" "$SLACK_WEBHOOK_URL"'
""",
}

SCENARIOS["component-inputs"] = {
    ".gitlab-ci.yml": """spec:
  inputs:
    stage:
      default: test
    target:
      description: make target
    level:
      options: [info, debug]
      default: info
---
run-make:
  stage: $[[ inputs.stage ]]
  image: gcc:14"""
    + D
    + """
  script:
    - make $[[ inputs.target ]]  #@ gitlab/inputs-injection
    - echo "log level $[[ inputs.level ]]"
""",
}

SCENARIOS["artifacts-and-tokens"] = {
    ".gitlab-ci.yml": """build:
  image: node:%NODE%"""
    + D
    + """
  script:
    - echo "NPM_TOKEN=$NPM_TOKEN" > .env
    - npm ci && npm run build
  artifacts:
    paths:
      - dist/
      - .env  #@ gitlab/artifacts-credential-files
      - deploy/kubeconfig  #@ gitlab/artifacts-credential-files

report:
  image: curlimages/curl:8.10.1"""
    + D
    + """
  script:
    - 'curl -H "JOB-TOKEN: $CI_JOB_TOKEN" https://hooks.%PROJ%.net/ci-report'  #@ gitlab/job-token-third-party
    - 'curl -H "JOB-TOKEN: $CI_JOB_TOKEN" "$CI_API_V4_URL/projects/$CI_PROJECT_ID/packages"'

debug:
  image: alpine:3.20"""
    + D
    + """
  script:
    - printenv  #@ gitlab/secret-echo
    - echo "token is $DEPLOY_TOKEN"  #@ gitlab/secret-echo
""",
}

SCENARIOS["static-cloud-keys"] = {
    ".gitlab-ci.yml": """deploy_s3:
  image: amazon/aws-cli:2.18.0"""
    + D
    + """
  variables:
    AWS_ACCESS_KEY_ID: $PROD_AWS_KEY_ID  #@ gitlab/static-cloud-keys
    AWS_DEFAULT_REGION: eu-west-1
  script:
    - aws s3 sync public/ s3://%PROJ%-site

deploy_gcp:
  image: google/cloud-sdk:497.0.0"""
    + D
    + """
  script:
    - echo "$GCLOUD_SERVICE_KEY" > key.json  #@ gitlab/static-cloud-keys
    - gcloud auth activate-service-account --key-file key.json

deploy_oidc:
  image: amazon/aws-cli:2.18.0"""
    + D
    + """
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
  variables:
    AWS_ROLE_ARN: arn:aws:iam::123456789012:role/%PROJ%
  script:
    - aws sts assume-role-with-web-identity --role-arn "$AWS_ROLE_ARN" --role-session-name ci --web-identity-token "$AWS_TOKEN"
""",
}

SCENARIOS["debug-trace-and-set-x"] = {
    ".gitlab-ci.yml": """variables:
  CI_DEBUG_TRACE: "true"  #@ gitlab/debug-trace

release:
  image: alpine:3.20"""
    + D
    + """
  script:
    - set -x  #@ gitlab/set-x-with-secrets
    - 'curl -fsS -u "ci:$RELEASE_PASSWORD" https://repo.%PROJ%.com/upload -T dist.tgz'
""",
}

SCENARIOS["manual-prod-good"] = {
    ".gitlab-ci.yml": """stages: [deploy]

.deploy:
  image: alpine/helm:3.16.2"""
    + D
    + """
  script:
    - helm upgrade --install %PROJ% chart/ --namespace "$KUBE_NAMESPACE"

deploy_staging:
  extends: .deploy
  environment: staging
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

deploy_production:
  extends: .deploy
  environment:
    name: production
    url: https://%PROJ%.com
  rules:
    - if: $CI_COMMIT_TAG
      when: manual
""",
}

SCENARIOS["prod-from-any-branch"] = {
    ".gitlab-ci.yml": """deploy_prod:
  image: alpine:3.20"""
    + D
    + """
  environment:
    name: production  #@ gitlab/deploy-prod-unrestricted
  when: manual
  script:
    - ssh -o UserKnownHostsFile=/dev/null deploy@%PROJ%.com ./release.sh  #@ gitlab/ssh-host-key-unchecked
""",
}

SCENARIOS["docker-socket-and-trigger"] = {
    ".gitlab-ci.yml": """build:
  image: docker:27.3"""
    + D
    + """
  variables:
    DOCKER_HOST: unix:///var/run/docker.sock  #@ gitlab/docker-socket
  script:
    - docker build -t %PROJ% .

downstream:
  trigger:
    project: %PROJ%/deployments
    forward:
      pipeline_variables: true  #@ gitlab/trigger-forwards-variables
""",
}

SCENARIOS["tooling-installs"] = {
    ".gitlab-ci.yml": """lint:
  image: python:%PY%"""
    + D
    + """
  script:
    - pip install --extra-index-url https://pypi.%PROJ%.internal/simple acme-lint  #@ gitlab/extra-index-url, gitlab/unpinned-tool-install
    - pip install ruff==0.7.1 -r requirements-dev.txt
    - npm install -g prettier  #@ gitlab/unpinned-tool-install
    - curl --insecure -o tool.tgz https://artifacts.%PROJ%.internal/tool.tgz  #@ gitlab/tls-verify-disabled
    - curl -fsSLo /usr/local/bin/hadolint https://github.com/hadolint/hadolint/releases/download/v2.12.0/hadolint-Linux-x86_64  #@ gitlab/unverified-download
    - chmod +x /usr/local/bin/hadolint
""",
}

SCENARIOS["clean-hardened"] = {
    ".gitlab-ci.yml": """workflow:
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"

include:
  - component: $CI_SERVER_FQDN/components/secret-detection/secret-detection@1.1.2
  - project: platform/ci-templates
    ref: 9f2c1e7b4d3a5f6e8c0b1a2d3e4f5a6b7c8d9e0f
    file: /templates/sast.yml

test:
  image: python:%PY%-slim"""
    + D
    + """
  script:
    - python -m pip install --require-hashes -r requirements.lock
    - pytest -q
""",
}
