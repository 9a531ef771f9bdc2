module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_SDwr18BDHicVIkHVIXl78HwV',
  slackToken: 'xoxb-689685402601-5346437436273-ekTIXdbzen52wJ0FD2bc1h8l',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_0c4d80dd3f7ce9a6_d19fc8ddf0f6d7953a4e642450765bd34a85f0c6',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiMTY5NDEzMDQiLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.NGgUqhl0Ppqko4dxFr3iEXOnUXd6DgM_RXkl_q2M3Iq',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
