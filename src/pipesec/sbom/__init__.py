"""SBOMs and VEX: build CycloneDX 1.6 (JSON/XML) from a scan's components, read SBOMs other
tools made (CycloneDX, SPDX) as a dependency source, and read OpenVEX / CycloneDX VEX
statements that suppress findings.
"""
