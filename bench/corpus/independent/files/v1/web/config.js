module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_YUEZ1YfY4hrayf41I1OH9pz2',
  slackToken: 'xoxb-315908699280-1233255605628-0FmStHaXmvAnVCS74otc2vVy',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_7dc223393f121614_7dc78b4ae5e8e1967f9b04237405f508bc6f087a',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiMjY0NTU1MjAiLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.N_aDk86A9rp6paOxyWiczMjov4SozWJzHZo1DGW0m2x',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
