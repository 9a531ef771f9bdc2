"""CloudFormation semantics: Fn::ForEach loops, nested stacks with a local TemplateURL,
and other tools' Metadata suppressions (reported, never applied)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.iac.helpers import findings, notes, scan_family

from pipesec.core.config import Config
from pipesec.core.engine import ScanRequest, run_scan
from pipesec.core.model import Finding, Note
from pipesec.scanners.iac.cfn import MAX_FOREACH_RESOURCES, CfnError, parse

LOOP = """AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Parameters:
  Names:
    Type: CommaDelimitedList
    Default: "logs,data"
Resources:
  Fn::ForEach::Queues:
    - Name
    - !Ref Names
    - "Queue&{Name}":
        Type: AWS::SQS::Queue
        Properties:
          QueueName: !Sub "acme-${Name}"
          SqsManagedSseEnabled: false
  Fn::ForEach::Unknown:
    - Id
    - !GetAtt Something.List
    - "Topic${Id}":
        Type: AWS::SNS::Topic
"""


def test_for_each_expands_known_collections_with_the_identifier_resolved() -> None:
    t = parse("t.yaml", LOOP)
    assert t is not None
    assert [(r.name, r.resolved()["QueueName"]) for r in t.resources] == [
        ("Queuelogs", "acme-logs"),
        ("Queuedata", "acme-data"),
    ]
    hits = findings(scan_family("cfn", LOOP), "cfn/aws-sqs-unencrypted")
    assert sorted(f.message.split(":")[0] for f in hits) == ["Queuedata", "Queuelogs"]
    assert {f.location.start_line for f in hits} == {15}


def test_for_each_over_an_unknown_collection_adds_nothing_and_fails_nothing() -> None:
    t = parse("t.yaml", LOOP.replace("!Ref Names", "!GetAtt Other.Names"))
    assert t is not None and t.resources == []


PARENT = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Db:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: stacks/db.yaml
      Parameters:
        Public: "true"
  Escape:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ../outside.yaml
      Parameters:
        Public: "true"
"""
CHILD = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Public:
    Type: String
    Default: "false"
Resources:
  Instance:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
      PubliclyAccessible: !Ref Public
      StorageEncrypted: true
"""


def _scan(root: Path) -> list[Finding]:
    req = ScanRequest(root=root, config=Config(), scanners=["iac"])
    return list(run_scan(req).findings)


def test_nested_stack_is_checked_with_the_parameters_its_parent_passes(tmp_path: Path) -> None:
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "db.yaml").write_text(CHILD)
    alone = {(f.rule_id, f.location.path) for f in _scan(tmp_path)}
    assert ("cfn/aws-rds-public", "stacks/db.yaml") not in alone  # its default is private
    (tmp_path / "parent.yaml").write_text(PARENT)
    got = [f for f in _scan(tmp_path) if f.rule_id == "cfn/aws-rds-public"]
    assert [(f.location.path, f.location.start_line) for f in got] == [("stacks/db.yaml", 12)]
    assert "parameters parent.yaml passes as stack Db" in got[0].message
    # the child's own findings are not repeated by the parent's pass
    others = [f for f in _scan(tmp_path) if f.rule_id != "cfn/aws-rds-public"]
    assert len(others) == len({(f.rule_id, f.location.start_line) for f in others})


def test_metadata_suppressions_are_noted_and_never_applied() -> None:
    text = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Metadata:
      cfn_nag:
        rules_to_suppress:
          - id: W48
            reason: not needed
      checkov:
        skip:
          - id: CKV_AWS_27
    Properties:
      SqsManagedSseEnabled: false
"""
    items = scan_family("cfn", text)
    assert findings(items, "cfn/aws-sqs-unencrypted")
    got = [n for n in notes(items) if isinstance(n, Note)]
    assert [n.kind for n in got] == ["ignored-suppression"]
    assert "cfn_nag, checkov" in got[0].message


_VALUES = st.one_of(
    st.lists(st.text(alphabet="ab-_1", max_size=4), max_size=4),
    st.just("!Ref Names"),
    st.just("!GetAtt X.Y"),
    st.just("notalist"),
)


@settings(max_examples=40, deadline=None)
@given(
    st.text(alphabet="IdN&${}", max_size=6),
    _VALUES,
    st.text(alphabet="Q&${}IdN", max_size=8),
    st.booleans(),
)
def test_fuzz_for_each_shapes_never_crash(
    ident: str, values: object, key: str, nested: bool
) -> None:
    body = f'"{key}":\n        Type: AWS::SQS::Queue\n'
    if nested:
        body = f"Fn::ForEach::Inner:\n        - {ident or 'X'}\n        - [x]\n        - {body}"
    text = (
        'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Names:\n'
        '    Type: CommaDelimitedList\n    Default: "a,b"\nResources:\n'
        f"  Fn::ForEach::Loop:\n    - {ident!r}\n    - {values}\n    - {body}"
    )
    try:
        t = parse("t.yaml", text)
    except CfnError:
        return
    if t is not None:
        assert len(t.resources) <= MAX_FOREACH_RESOURCES
        for r in t.resources:
            r.resolved()
