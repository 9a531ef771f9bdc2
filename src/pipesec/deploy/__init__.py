"""The deploy gate (``pipesec deploy-gate``) and the Kubernetes admission webhook
(``pipesec admission serve``): the decision in front of production, built on the
signatures and attestations of :mod:`pipesec.attest`."""
