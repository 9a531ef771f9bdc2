module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_yn6v60e2Wx5pC4dMy6AVSjcG',
  slackToken: 'xoxb-905373702247-1993798015425-AGwLWZO6dzZvCG9MoRZ1yO3q',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_0f3c23c055108b2e_5ce2a6b69bff69ef53bee0d6c18045d8000e53bc',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiNzAxNDU0NzkiLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.YExpgcA6-zTBXNkiYh995qiTmRjl7YFFi1C4qRqs9we',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
