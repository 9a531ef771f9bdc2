#!/usr/bin/env bash
set -euo pipefail
docker run -d --name pg -e POSTGRES_PASSWORD=Moonlight61#IGw postgres:16
docker run -d --name cache -e REDIS_PASSWORD="$REDIS_PASSWORD" redis:7
docker login -u ci -p 'Kangaroo0974?BtH' registry.corp.test
echo "$CI_REGISTRY_PASSWORD" | docker login -u ci --password-stdin registry
sshpass -p 'Moonlight096!0Ai' rsync -a dist/ deploy@web1.corp.test:/srv/www/
mysql -h db.corp.test -u shop -p'Summer894&Vay' shop < migrate.sql
mysql --defaults-extra-file=/run/secrets/my.cnf shop < migrate.sql
