cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer 1qxB2svwLbg-Yk8QcuTrnsWS-kzZT-WJQNmGnb0W" https://api.shop.test/v1/me
curl -H "apikey: Nz9TCCgT04Kf8bv8tmj0ezfo0aoBnMdj" https://api.partner.test/rates
curl --user alice:'Moonlight347&lAL' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_Z4rV5XuR92LfV4PYQxqDvLqZ:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Harbor45&GTp' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-648202590367-8051221431883-AZOm4VuZdume4MQWwyDuKSUK&channel=C024'
