cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer qT3Ul4ffqkOkgWrdioyq-KvCiSGuPJ6sG9AHEOVe" https://api.shop.test/v1/me
curl -H "apikey: mlzkO7rRu5ykYYqhXHdO2x93CJHLS45g" https://api.partner.test/rates
curl --user svc_app:'Moonlight6546%Kjx' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_xCGClbaNFDpCWNX0D1lZEzge:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Kangaroo73#NV9' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-048449500324-9668502739000-aKwtgHwIoALtLinxN1Ekia7Z&channel=C024'
