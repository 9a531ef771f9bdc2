"""GitLab CI: include/extends/!reference resolution and the rules on a realistic project."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core.model import Finding, Note, PostureCheck, ScanError
from pipesec.core.yamlpos import YamlError
from pipesec.scanners.pipelines.gitlab_model import load_pipeline

from .helpers import scan_tree

FIXTURE = Path(__file__).parents[2] / "fixtures" / "pipelines" / "gitlab-app"


def _pipeline(files: dict[str, str]):  # type: ignore[no-untyped-def]
    return load_pipeline(
        ".gitlab-ci.yml", files[".gitlab-ci.yml"], files.get, lambda: sorted(files)
    )


def test_fixture_findings_point_into_the_right_files(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "g")
    items = scan_tree(tmp_path / "g")
    got = {
        (i.rule_id, i.location.path, i.location.start_line)
        for i in items
        if isinstance(i, Finding) and i.rule_id != "gitlab/missing-security-gate"
    }
    assert got == {
        ("gitlab/project-include-unpinned", ".gitlab-ci.yml", 6),
        ("gitlab/remote-include-unpinned", ".gitlab-ci.yml", 8),
        ("gitlab/hardcoded-credential", ".gitlab-ci.yml", 14),
        ("gitlab/image-no-digest", ".gitlab-ci.yml", 17),
        ("gitlab/unpinned-tool-install", ".gitlab-ci.yml", 25),
        ("gitlab/artifacts-credential-files", ".gitlab-ci.yml", 30),
        ("gitlab/script-injection", ".gitlab-ci.yml", 37),
        ("gitlab/security-job-allow-failure", ".gitlab-ci.yml", 40),
        ("gitlab/curl-pipe-shell", "ci/common.yml", 4),  # via !reference in default:
        ("gitlab/image-latest", "ci/common.yml", 7),  # via extends: .python-job
        ("gitlab/image-no-digest", "ci/deploy.yml", 2),
        ("gitlab/ssh-host-key-unchecked", "ci/deploy.yml", 5),
        ("gitlab/deploy-prod-not-manual", "ci/deploy.yml", 16),
        ("gitlab/deploy-prod-unrestricted", "ci/deploy.yml", 16),
        ("gitlab/static-cloud-keys", "ci/deploy.yml", 18),
    }
    secret = next(i for i in items if isinstance(i, Finding) and i.rule_id.endswith("credential"))
    assert "eyJpYXQiOjE3MTIwMDAwMDAsInVybCI6ImV4YW1wbGUifQ" not in secret.snippet
    notes = [i for i in items if isinstance(i, Note)]
    assert len(notes) == 3 and all("offline" in n.message for n in notes)
    posture = {i.gate: i.present for i in items if isinstance(i, PostureCheck)}
    assert posture["secret-scanning"] is True
    assert posture["manual-approval"] is False
    assert posture["sast"] is False


def test_extends_default_reference_and_inherit() -> None:
    pipe = _pipeline(
        {
            ".gitlab-ci.yml": """
default:
  image: ruby:3.3
  before_script: [bundle install]
.base:
  variables: {A: "1", B: "2"}
  script: [echo base]
.mid:
  extends: .base
  variables: {B: "3"}
job:
  extends: [.mid]
  script:
    - !reference [.base, script]
    - echo job
solo:
  inherit:
    default: false
  script: [echo solo]
""",
        }
    )
    jobs = {j.name: j for j in pipe.jobs}
    job = jobs["job"]
    assert job.node.get("variables").to_python() == {"A": "1", "B": "3"}  # type: ignore[union-attr]
    assert [n.text() for n in job.script_nodes()] == ["bundle install", "echo base", "echo job"]
    assert job.get("image").text() == "ruby:3.3"  # type: ignore[union-attr]
    assert jobs["solo"].get("image") is None
    assert not pipe.problems


def test_include_cycle_missing_file_and_globs() -> None:
    pipe = _pipeline(
        {
            ".gitlab-ci.yml": "include:\n  - local: a.yml\n  - local: nope.yml\n"
            "  - local: 'jobs/*.yml'\n",
            "a.yml": "include: b.yml\nfrom_a:\n  script: [a]\n",
            "b.yml": "include: a.yml\nfrom_b:\n  script: [b]\n",
            "jobs/x.yml": "x:\n  script: [x]\n",
            "jobs/y.yml": "y:\n  script: [y]\n",
        }
    )
    assert {j.name for j in pipe.jobs} == {"from_a", "from_b", "x", "y"}
    messages = [p.message for p in pipe.problems]
    assert any("include cycle: .gitlab-ci.yml -> a.yml -> b.yml -> a.yml" in m for m in messages)
    assert any("nope.yml" in m and "not found" in m for m in messages)


def test_extends_cycle_and_outside_paths() -> None:
    pipe = _pipeline(
        {
            ".gitlab-ci.yml": "include: ../../etc/passwd\n.a:\n  extends: .b\n.b:\n  extends: .a\n"
            "j:\n  extends: .a\n  script: [x]\n",
        }
    )
    messages = " ".join(p.message for p in pipe.problems)
    assert "outside the repository" in messages
    assert "extends cycle" in messages


def test_bad_included_yaml_is_an_error_for_that_file(tmp_path: Path) -> None:
    items = scan_tree(
        tmp_path,
        {
            ".gitlab-ci.yml": "include: ci/bad.yml\nj:\n  image: node:latest\n  script: [x]\n",
            "ci/bad.yml": "a: [1\n",
        },
    )
    errors = [i for i in items if isinstance(i, ScanError)]
    assert [(e.path, e.line) for e in errors] == [("ci/bad.yml", 2)]
    assert any(isinstance(i, Finding) and i.rule_id == "gitlab/image-latest" for i in items)


def test_nested_project_dir_paths(tmp_path: Path) -> None:
    items = scan_tree(
        tmp_path,
        {
            "svc/.gitlab-ci.yml": "include: /ci/x.yml\n",
            "svc/ci/x.yml": "j:\n  image: node:latest\n  script: [x]\n",
        },
    )
    f = [i for i in items if isinstance(i, Finding) and i.rule_id == "gitlab/image-latest"]
    assert [(x.location.path, x.location.start_line) for x in f] == [("svc/ci/x.yml", 2)]


_NAMES = ["a.yml", "b.yml", "c.yml", "d.yml"]


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(_NAMES),
        st.tuples(
            st.lists(st.sampled_from([*_NAMES, "missing.yml", "*.yml", "../x.yml"]), max_size=4),
            st.lists(st.sampled_from([".t", "j1", "j2", ".u"]), max_size=3),
            st.booleans(),
        ),
        max_size=4,
    ),
    st.lists(st.sampled_from(_NAMES), max_size=3),
)
def test_fuzz_include_graphs_terminate(
    files: dict[str, tuple[list[str], list[str], bool]], root_includes: list[str]
) -> None:
    texts: dict[str, str] = {}
    for name, (incs, extends, broken) in files.items():
        body = "include:\n" + "".join(f"  - local: '{i}'\n" for i in incs) if incs else ""
        for k, job in enumerate(extends):
            body += f"{job}{k}:\n  extends: {extends[(k + 1) % len(extends)]}0\n  script: [x]\n"
        if broken:
            body += "bad: [\n"
        texts[name] = body
    texts[".gitlab-ci.yml"] = (
        "include:\n" + "".join(f"  - local: {i}\n" for i in root_includes) if root_includes else ""
    ) + "root:\n  script: [x]\n"
    try:
        pipe = _pipeline(texts)
    except YamlError:
        return
    assert len(pipe.docs) <= 150
    assert any(j.name == "root" for j in pipe.jobs)


def test_rules_from_references_are_flattened(tmp_path: Path) -> None:
    items = scan_tree(
        tmp_path,
        {
            ".gitlab-ci.yml": """.release_rules:
  rules:
    - if: $CI_COMMIT_TAG
      when: manual

deploy_production:
  image: alpine:3.20@sha256:%s
  environment: production
  rules:
    - !reference [.release_rules, rules]
  script:
    - ./deploy.sh
"""
            % ("ab" * 32),
        },
    )
    ids = {i.rule_id for i in items if isinstance(i, Finding)}
    assert "gitlab/deploy-prod-not-manual" not in ids
    assert "gitlab/deploy-prod-unrestricted" not in ids


def test_inputs_of_included_files_use_their_own_spec(tmp_path: Path) -> None:
    spec = (
        "spec:\n  inputs:\n    target:\n    level:\n      options: [info, debug]\n---\n"
        "{job}:\n  image: gcc:14@sha256:%s\n  script:\n"
        "    - make $[[ inputs.target ]] LOG=$[[ inputs.level ]]\n" % ("cd" * 32)
    )
    items = scan_tree(
        tmp_path,
        {
            ".gitlab-ci.yml": "include:\n  - local: ci/build.yml\n    inputs:\n      target: all\n",
            "ci/build.yml": spec.replace("{job}", "build"),
        },
    )
    hits = [
        (i.location.path, i.location.start_line, i.message)
        for i in items
        if isinstance(i, Finding) and i.rule_id == "gitlab/inputs-injection"
    ]
    assert [(p, n) for p, n, _ in hits] == [("ci/build.yml", 10)]
    assert "'target'" in hits[0][2]
