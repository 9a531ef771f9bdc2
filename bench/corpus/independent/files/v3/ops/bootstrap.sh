#!/usr/bin/env bash
set -euo pipefail
docker run -d --name pg -e POSTGRES_PASSWORD=Tr0ub4dor696?HKr postgres:16
docker run -d --name cache -e REDIS_PASSWORD="$REDIS_PASSWORD" redis:7
docker login -u ci -p 'Blue0266%VGo' registry.corp.test
echo "$CI_REGISTRY_PASSWORD" | docker login -u ci --password-stdin registry
sshpass -p 'Velvet85#mBD' rsync -a dist/ deploy@web1.corp.test:/srv/www/
mysql -h db.corp.test -u shop -p'Kangaroo6106*ryl' shop < migrate.sql
mysql --defaults-extra-file=/run/secrets/my.cnf shop < migrate.sql
