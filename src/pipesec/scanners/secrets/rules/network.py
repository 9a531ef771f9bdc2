"""Secrets in network device configurations (Cisco IOS and the many CLIs that copy it).

A router's running-config, saved to a repository as a backup or a template, holds its
enable secret, SNMP write communities and TACACS/RADIUS PAC keys as plain lines. Type 0
values are clear text and type 7 values are a reversible encoding (public decoders undo it
in a second); type 5/8/9 values are password hashes, which can be cracked offline. Each rule
reads one command at the start of a line, so prose that mentions the command does not match.
"""

from __future__ import annotations

from pipesec.core.model import Severity
from pipesec.scanners.secrets.rules.base import SecretRule
from pipesec.scanners.secrets.rules.builders import ALNUM, HEX, custom, rand

#: a value that is a stand-in, not a configured secret (``<password>``, ``${ENABLE}``); a
#: hash (``$1$salt$…``, ``$9$…``) is a secret
_NOT_TEMPLATE = r"(?![<{%\[]|\$[A-Za-z{(])"
_REFS = (
    "https://www.cisco.com/c/en/us/support/docs/security-vpn/remote-authentication-dial-user-service-radius/107614-64.html",
)


def _enable_secret() -> SecretRule:
    return custom(
        "cisco-enable-secret",
        "Cisco",
        "Cisco IOS enable password or secret in a device configuration",
        r"(?m)^[ \t]*enable[ \t]+(?:password|secret)[ \t]+(?:level[ \t]+\d{1,2}[ \t]+)?"
        rf"(?:[0-9][ \t]+)?{_NOT_TEMPLATE}(\S{{4,128}})[ \t]*$",
        example=lambda r: (
            f"hostname edge-{rand(r, ALNUM, 4)}\nenable secret 0 {rand(r, ALNUM, 14)}\n"
        ),
        fixed=lambda r: "hostname edge-1\n! enable secret is set by the provisioning system\n",
        keywords=("enable password", "enable secret"),
        severity=Severity.HIGH,
        references=_REFS,
    )


def _snmp_rw_community() -> SecretRule:
    return custom(
        "snmp-rw-community",
        "Cisco",
        "SNMP read-write community string in a device configuration",
        rf"(?mi)^[ \t]*snmp-server[ \t]+community[ \t]+{_NOT_TEMPLATE}(\S{{2,64}})[ \t]+RW\b",
        example=lambda r: f"snmp-server community {rand(r, ALNUM, 12)} RW 10\n",
        fixed=lambda r: "snmp-server group ADMIN v3 priv\n",
        keywords=("snmp-server community",),
        severity=Severity.HIGH,
        references=_REFS,
    )


def _pac_key() -> SecretRule:
    return custom(
        "cisco-pac-key",
        "Cisco",
        "Cisco TACACS+/RADIUS PAC or server key in a device configuration",
        r"(?m)^[ \t]*(?:pac[ \t]+key[ \t]+[07]|key[ \t]+7)[ \t]+"
        rf"{_NOT_TEMPLATE}(\S{{4,128}})[ \t]*$",
        example=lambda r: f"radius server ISE\n pac key 7 {rand(r, HEX, 20).upper()}\n",
        fixed=lambda r: "radius server ISE\n address ipv4 192.0.2.10 auth-port 1812\n",
        keywords=("pac key", "key 7 "),
        severity=Severity.MEDIUM,
        references=_REFS,
    )


RULES: list[SecretRule] = [_enable_secret(), _snmp_rw_community(), _pac_key()]
