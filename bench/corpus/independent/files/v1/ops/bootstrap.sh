#!/usr/bin/env bash
set -euo pipefail
docker run -d --name pg -e POSTGRES_PASSWORD=Summer0799!4Gg postgres:16
docker run -d --name cache -e REDIS_PASSWORD="$REDIS_PASSWORD" redis:7
docker login -u ci -p 'Blue2323%oWM' registry.corp.test
echo "$CI_REGISTRY_PASSWORD" | docker login -u ci --password-stdin registry
sshpass -p 'Blue042%ANc' rsync -a dist/ deploy@web1.corp.test:/srv/www/
mysql -h db.corp.test -u shop -p'Kangaroo5056?WYW' shop < migrate.sql
mysql --defaults-extra-file=/run/secrets/my.cnf shop < migrate.sql
