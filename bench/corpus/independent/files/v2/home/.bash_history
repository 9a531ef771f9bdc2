cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer WS6iT1jIGPMlEH1_FPwx001R8qvpx-ucF3qzXUTH" https://api.shop.test/v1/me
curl -H "apikey: NOrYO2GqawCtSsZt9abMGOycCf08BTIS" https://api.partner.test/rates
curl --user jenkins:'Velvet8821&yCm' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_ibig5S7PjwGZ6cxAd72dPjTE:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Summer92?LM3' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-866580603017-5949461342116-j0Z6DCz8isZ7WgnUQe5qwko3&channel=C024'
