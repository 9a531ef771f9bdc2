cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer qQ21i3EUYs2HVMl4cPoY_5wpUeEbtgK7PhEE5G84" https://api.shop.test/v1/me
curl -H "apikey: yholZZ3Y2xhwL0TTYD6j9dBUneUZCQLE" https://api.partner.test/rates
curl --user deploy:'Summer9066#G7T' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_VvPHX8HLJj6RPdPrLaFKWAKd:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Harbor93&vnK' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-517928515901-4692850715832-3tINj5Grq6LRrCYUjsqSCn6M&channel=C024'
