"""Chain of custody: keys, signatures, DSSE envelopes, in-toto statements, verification.

Standards only: cosign's key and blob-signature formats, DSSE, in-toto Statement v1, SLSA
provenance v1 and Sigstore bundles. The deploy gate and the admission webhook call the
functions of ``keys``, ``dsse``, ``statement`` and ``verify``; the CLI lives in
``pipesec.cli.attest``.
"""
