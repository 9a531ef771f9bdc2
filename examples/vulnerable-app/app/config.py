"""Runtime configuration of Acme Notes.

DELIBERATELY INSECURE (pipesec demo): these credentials are fake but well-formed, and
committing them is the mistake the secrets scanner exists to catch. The fix is to read
each one from the environment (see the commented lines) and keep the values in the CI
platform's secret store.
"""

import os

# AWS: uploads note attachments to S3
AWS_ACCESS_KEY_ID = "AKIAV5UCDRD6PM6HU2ZX"
AWS_SECRET_ACCESS_KEY = "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"
AWS_REGION = os.environ.get("AWS_REGION", "eu-west-1")

# GitHub: opens issues from support notes
GITHUB_TOKEN = "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"
# GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]

# Stripe: paid plans
STRIPE_SECRET_KEY = "sk_live_zoc51FeogdvbzDp8mFmQp5zvqYMtrb1u"

# Slack: notifications to #notes-alerts
SLACK_BOT_TOKEN = "xoxb-553579285699-9016815215358-MGKAuWfpTbmRsHdRXfr8nBNX"
SLACK_WEBHOOK_URL = "https://hooks.slack.com/services/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"

DATABASE_URL = os.environ.get(
    "DATABASE_URL", "postgresql://notes:3V3xkhTOa1bFFHiCv1Jt@db.internal:5432/notes"
)
