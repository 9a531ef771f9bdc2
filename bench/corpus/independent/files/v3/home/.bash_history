cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer kqytjj5POvj47CO0x5nwQbWIxZA84GF9vHFqoJ5e" https://api.shop.test/v1/me
curl -H "apikey: qx6XOGAFTwmEXuiQLaPGyy9klO4mboGZ" https://api.partner.test/rates
curl --user bob:'Kangaroo6885?h8u' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_OeFFyEsiU6LCivdOpgjCIJmj:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Summer452!9YQ' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-627896254072-7794225991900-QsabPloPQV4413J5InyIlQQd&channel=C024'
