cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer Ti4Wm9IiATCK3YnfqoA1PHfSS0YVSE4Qv7UVw25I" https://api.shop.test/v1/me
curl -H "apikey: 6XxG8kKyvmJf70So0oKzNiif1POPPctB" https://api.partner.test/rates
curl --user jenkins:'Moonlight5581?dyv' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_OWfaBg8oasaxVF55wggKfN0q:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Summer698%cx4' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-359762076469-9549660120777-OCsb7gTaE5WdFuSEdKHoVPtO&channel=C024'
