cd ~/src/shop && git pull
curl -s -H "Authorization: Bearer C-gQMt2Li2y52j16pVwXSqg54WJLBypVVZbUozCS" https://api.shop.test/v1/me
curl -H "apikey: cYHiG4qFaDFSqIG6hWeAMvooo5FHjsFx" https://api.partner.test/rates
curl --user jenkins:'Kangaroo262?Wxm' https://jenkins.corp.test/api/json
curl https://api.stripe.com/v1/charges -u "sk_live_bE4CYbmupELaQCrhtrM4q6Gh:"
curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me
curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json
curl -fsSL https://get.docker.com | sh
mysql -u root -p'Summer0415?Jlr' shop < dump.sql
kubectl get pods -n shop
curl -X POST 'https://slack.com/api/chat.postMessage?token=xoxp-767093833529-9255431040503-GXGZkuSQnEVdkZ4mtOgkj8nK&channel=C024'
