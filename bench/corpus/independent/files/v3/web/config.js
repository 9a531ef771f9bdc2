module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_EjTqBdxmbFymN6KzdgxPLMlW',
  slackToken: 'xoxb-271295295925-2008361163720-Pf7FQvXJ5Cc8RW3Er0EBMITO',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_2e1d583ab814644d_ad37abdd322ee10fe3f1930799fdab6e5af6e9f7',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiNDQ1MTY4NTciLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.-ZjUGyQ78mL-qo-b-FVVrQGyXGlnH1tkUxUDPHdczJj',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
