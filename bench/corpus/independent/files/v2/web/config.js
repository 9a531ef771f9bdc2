module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_TlOcdKVAKRntAsEO26gCmX4b',
  slackToken: 'xoxb-487103641062-5278900771580-DiBEst7EtRjcR8hOhJsct9my',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_e7cf639edb428e94_15b05316d20a2777d36b51c7b7bfde550f62af98',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiNzM3NjU4MTQiLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.ZO3rFBd7QFsMPIPDJcQAyiM3wNlQ0MdJ-a7lzYoq5yg',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
