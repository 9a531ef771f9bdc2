module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_NaIEnF1Dk0c7ExfIoAWYfkRo',
  slackToken: 'xoxb-578355061839-4589629655563-yeTBwxoHgeJckvsrtexIAXFH',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_c0fb356422911d23_7e90d9384cb7b1e38c1d9da7fa276a0845378bdc',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiODEyMDM5OTAiLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.aKKd0R-3BRlG6j9U9_ENT_DMLw12w3qG9lnyFhev8e0',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
