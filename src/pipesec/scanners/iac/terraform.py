"""Terraform rules (``tf/<slug>``) over AWS, Google Cloud, Azure and Alibaba Cloud resources.

Single-resource rules are data (``rules/<family>/*.yaml``, :mod:`.datarules`); the rules
that span resources or need more than a condition are Python, one module per area
(:mod:`.tf_aws`, :mod:`.tf_network`, :mod:`.tf_secrets`, :mod:`.tf_google`,
:mod:`.tf_azure`, :mod:`.tf_links`: checks that follow a reference between resources).
Checks run on one evaluated module instance (:class:`ModuleView`) and yield
``(path, Hit)``: the line of the offending attribute, or of the block that lacks a
setting. Values that cannot be known statically (references, functions) never fire.
"""

from __future__ import annotations

from pipesec.scanners.iac import tf_aws, tf_azure, tf_google, tf_links, tf_network, tf_secrets
from pipesec.scanners.iac.tfbase import REGISTRY, ModuleView, TfHit, at_attr, at_block, at_missing

#: registered by importing them (kept referenced for readers and linters)
MODULES = (tf_aws, tf_network, tf_secrets, tf_google, tf_azure, tf_links)


def _data_rules() -> None:
    from pipesec.scanners.iac.datarules import terraform_checks

    REGISTRY.checks.extend(terraform_checks())


_data_rules()
RULES = REGISTRY.rules()


__all__ = ["REGISTRY", "RULES", "ModuleView", "TfHit", "at_attr", "at_block", "at_missing"]
