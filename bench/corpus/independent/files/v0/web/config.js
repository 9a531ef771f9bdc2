module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_n5jOaBaaRQh92fn3hiEbrUKp',
  slackToken: 'xoxb-720521487740-0000916449279-dux8KUCERkj9Zhx9PkOZAEyX',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_e8a981a049d7ccc7_e90a88d519448fb2fc6791ce680ce2b27c8af666',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiMzEyNDU5OTUiLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.ZtFf_VnV7ktOdSJcmeA-BHJ2m5qGeRzxWkdgeV6-iYp',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
