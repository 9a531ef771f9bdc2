"""Acme Notes: a tiny Flask note-taking service.

DELIBERATELY INSECURE: this is pipesec's demo project. Every flaw is planted on purpose
and listed in ../EXPECTED.md. Never deploy it.
"""
