cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer zaMgboNMKcG8dt8TLM_3SfixmXATUMPRNQao70cP" https://api.shop.test/v1/me
curl -H "apikey: JeoqZSZ7aTa42gIHlqlCPlOBuqkll0QL" https://api.partner.test/rates
curl --user bob:'Moonlight255?zaI' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_aBGncPuFlnonUjWGGkcQkqm9:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Kangaroo6511*yX9' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-678637569505-3008152580330-JlYPnK8JiK81VRtDI7HxyDXM&channel=C024'
