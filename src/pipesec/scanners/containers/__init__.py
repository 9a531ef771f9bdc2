"""Container images (issue 17): reading images, their packages, secrets and hardening."""
