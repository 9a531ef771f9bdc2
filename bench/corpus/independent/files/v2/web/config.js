module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_izpcD224CFqDR6ymtei16KZB',
  slackToken: 'xoxb-850016077648-3938613804274-YSEinxsNmWfr1FmPJsM8JkMv',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_c9718806c08e0eb6_c6e914f31f95465be43d5108573f50632a0795f6',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiOTUxMDI1NjMiLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.MgGzk2WbIr45dbCG9YgsbGhy1LVQOvZ0oyb4SxKhd2Q',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
