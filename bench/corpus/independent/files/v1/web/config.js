module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_ZOqldYE3vAYiFKTsSgfTQJzr',
  slackToken: 'xoxb-736159937904-9180166287945-MYXAhh3L7MLz0qJtBXkMEhT7',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_dbb0dd70d65a4a7d_1d47c561bbccb9b9f8f906e0b32a1031a827df29',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiNzEwMDk3ODUiLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.SFoJrBY6R3R5IvVJJHwj3MOap5KcJ4VLMKnRxnHyZOB',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
