module.exports = {
  port: process.env.PORT || 3000,
  stripeKey: 'rk_live_BGFKoTnaQbZGDJH9QTe4nyx6',
  slackToken: 'xoxb-597246541108-6643611028948-S4fFR1pDtgvBJbX5kmSq6bvj',
  sessionSecret: process.env.SESSION_SECRET,
  sourcegraphToken: 'sgp_505c5ec10944f285_0b6629cfbbe90c0aaaa0c495b9bb7d77607e0803',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiMjYwMTgxMDciLCAicm9sZSI6ICJzZXJ2aWNlIiwgImlhdCI6IDE3MzMwMDAwMDB9.kDeoXD4PN4iCE2jBv8V1J-RogiB1YdBhb19K6kC-lPl',
  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
};
