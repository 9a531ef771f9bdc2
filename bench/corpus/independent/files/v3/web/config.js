module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_6b0SC79lm7GNbQagCGqiCRxI',
  slackToken: 'xoxb-284881987847-6781900550393-LdCS7qs8O88shUHYAXCAORWl',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_620cf1e515f5bde0_ab556a3a71187a4b12c8d62d726cbea9330d4c9d',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiNTEyMDkzOTQiLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.7PP58KUsxoNaVUhjAQu0QLfXsW_1Xn_0qxgqTv77b7R',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
