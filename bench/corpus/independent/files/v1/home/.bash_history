cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer RJznmTLjp7FUJgFiBX2NVUPBbj_jyU8byAhOuqVr" https://api.shop.test/v1/me
curl -H "apikey: 8wTmJD03Z9OYQJl3veuE2VYmsEIdddDu" https://api.partner.test/rates
curl --user bob:'Moonlight56%2eI' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_IG4CedweRjIdFQq1oZQdvb7N:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Tr0ub4dor7878%PHS' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-723288166006-2082486176656-ZH2rd8GmTiXJ7wmUwcwR0xl7&channel=C024'
