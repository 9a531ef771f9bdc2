cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer px5EjseRJjeFKAXcVH7Q6-JaeBCrylOZKuhHBqKL" https://api.shop.test/v1/me
curl -H "apikey: u9wx3YMlzF3bjDm9NCF6R70SRslFU8p5" https://api.partner.test/rates
curl --user bob:'Blue684!QOO' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_hW3RiREr7JjajutlNhaUPCNu:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Blue17*1Ze' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-947168012352-4109653984190-af0qjHMY1E6iFc3LFKuNaWuE&channel=C024'
