cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer T46a2zZeJatv0Gbac6uoUW9dmKRK9YExpgcA6-zT" https://api.shop.test/v1/me
curl -H "apikey: 6UXYMn2ytfeGzd9EUEH3CiewWgvOeH99" https://api.partner.test/rates
curl --user bob:'Harbor886?Vpp' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_3eJu4QmNxKmsMw37EEmsCElh:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Harbor63*Civ' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-227208306499-7741430935260-98As2REUlE3X81LhS0Jb0LKM&channel=C024'
