module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_74rsMAzZcKSPpeaia5jdN8DO',
  slackToken: 'xoxb-395461444358-7566980397160-iAEplaBks0dFyOF6gyw8eCz9',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_99d3e51da8c011c0_258770aec78da6289c5a33a02ba7976b5634183f',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiMjIwMjEzNDUiLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.d2_xhQuMaEIpmX3V_L2SQA4FR6vaVm1OrcZVpiJgIap',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
