cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer aiT9qoHXP1zFCLgXN_IkYk-jl7HvDNosZFcNMG7d" https://api.shop.test/v1/me
curl -H "apikey: hQe9suBYpvivBvFlQCUa2hZ85luOIDcg" https://api.partner.test/rates
curl --user deploy:'Kangaroo446#Tz2' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_xdgj5CqMi3OG6ODLhUV5wuWA:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Kangaroo08%925' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-740090366204-9873238106261-VJ4oJDmfv1tUMtSXWaKmhzsM&channel=C024'
