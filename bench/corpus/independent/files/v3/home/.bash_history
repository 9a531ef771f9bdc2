cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer 0WOG3O9Wv7rGZ03KvsLyIa67WwidiNqm2ilwoAoF" https://api.shop.test/v1/me
curl -H "apikey: n6kK3x6rShSMBsnjmyf8fws1JUe1KBF7" https://api.partner.test/rates
curl --user svc_app:'Kangaroo96#2yV' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_rXCAVr929MwnqKeMxdyHhMql:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Tr0ub4dor4721#DxB' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-300495893454-2149896477829-Mh75v2KGNXjY9sVLCikJyV92&channel=C024'
