module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_9xoi6ZWScLgBPYjWQsRFozE9',
  slackToken: 'xoxb-369205983997-8844383706823-HGTLTLdD5G9SD4aHaYcRBhVq',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_da9b6f9e79ba59c3_a4fdebbedcb5b4016aa5ff4d77a0a806987c4007',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiMDE0NjI5OTEiLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.DuxFEjfkBywelKtiurlWMmaKRfemqzWJBotqe7GudzG',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
