#!/usr/bin/env bash
set -euo pipefail
docker run -d --name pg -e POSTGRES_PASSWORD=Tr0ub4dor407&B1W postgres:16
docker run -d --name cache -e REDIS_PASSWORD="$REDIS_PASSWORD" redis:7
docker login -u ci -p 'Kangaroo30#9eE' registry.corp.test
echo "$CI_REGISTRY_PASSWORD" | docker login -u ci --password-stdin registry
sshpass -p 'Blue57!5x9' rsync -a dist/ deploy@web1.corp.test:/srv/www/
mysql -h db.corp.test -u shop -p'Velvet50#113' shop < migrate.sql
mysql --defaults-extra-file=/run/secrets/my.cnf shop < migrate.sql
