# FlashCart. The two commands: `make up` (run it) and `make test` (check it).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
ENV := source scripts/env.sh &&

.PHONY: help up test doctor doctor-up install services services-stop build db migrate migrate-revert seed \
        start-api start-worker test-redis chromium balancer fuzz lint format typecheck unit e2e openapi compose-check bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

up: doctor-up install services build db migrate seed ## install, start services, migrate, seed, run api + worker
	@$(ENV) DELIVERY_SIMULATION=$${DELIVERY_SIMULATION:-true} scripts/run.sh

test: doctor install services test-redis chromium balancer ## lint, unit and e2e tests on a throwaway database; ends with "N passed, N failed"
	@$(ENV) scripts/test.sh

doctor: ## check every program make test needs; lists ALL missing at once with the one command that installs them (runs it when root)
	@scripts/doctor.sh test

doctor-up: # the same for make up (no Chromium, HAProxy or test Redis)
	@scripts/doctor.sh up

install: ## npm ci on the pinned Node.js (only when package-lock.json or Node.js changed)
	@$(ENV) scripts/install.sh

services: ## make PostgreSQL and Redis available (see scripts/services.sh)
	@scripts/services.sh up

test-redis: # a redis-server program for the tests that stop their own Redis
	@scripts/services.sh test-redis

balancer: # HAProxy for the bench and the scale-out test (see scripts/balancer.sh)
	@scripts/balancer.sh >/dev/null

chromium: # a headless Chromium for the browser tests (see scripts/chromium.sh)
	@scripts/chromium.sh >/dev/null

services-stop: ## stop the PostgreSQL/Redis this project started (never the system's)
	@scripts/services.sh down

build: install ## compile apps and libs to dist/
	@$(ENV) npm run build --silent

db: install ## create the database named in DATABASE_URL if missing
	@$(ENV) node scripts/create-database.mjs

migrate: build db ## apply pending migrations
	@$(ENV) npm run migrate --silent

migrate-revert: build ## revert the last migration
	@$(ENV) npm run migrate:revert --silent

seed: build ## load the demo data (idempotent) and the first admin
	@$(ENV) npm run seed --silent

start-api: build ## run only the api (foreground)
	@$(ENV) npm run start:api --silent

start-worker: build ## run only the worker (foreground)
	@$(ENV) npm run start:worker --silent

lint: install ## eslint, prettier, the TypeScript type checks, redocly on openapi.json and the Node.js pin
	@$(ENV) npx eslint . --max-warnings 0
	@$(ENV) npx prettier --check . --log-level warn
	@$(ENV) npx tsc -p tsconfig.json --noEmit
	@$(ENV) npx tsc -p clients/typescript/tsconfig.build.json --noEmit
	@$(ENV) npx redocly lint openapi.json --format=summary
	@scripts/check-node-pin.sh

format: install ## rewrite files with prettier and eslint --fix
	@$(ENV) npx prettier --write . --log-level warn
	@$(ENV) npx eslint . --fix

unit: install ## unit tests only
	@$(ENV) npm run test:unit --silent

e2e: doctor install services test-redis chromium balancer ## e2e tests only (fresh database and Redis prefix)
	@$(ENV) npm run test:e2e --silent

fuzz: install services test-redis ## hostile input from openapi.json for FUZZ_SECONDS (default 600); FUZZ_SEED=... replays a run
	@$(ENV) FUZZ_SECONDS=$${FUZZ_SECONDS:-600} node --experimental-vm-modules --no-warnings node_modules/jest/bin/jest.js --selectProjects e2e --testPathPatterns fuzz.e2e-spec

openapi: build ## write openapi.json from the code (no database needed) and the client's types from it
	@$(ENV) node dist/apps/api/src/openapi.js openapi.json && echo "openapi.json written"
	@$(ENV) npx openapi-typescript openapi.json -o clients/typescript/src/generated/openapi.ts --silent

bench: install services balancer ## benchmarks against same-run baselines; writes bench/results/latest.json
	@$(ENV) scripts/bench.sh

compose-check: ## validate docker-compose.yml and its load balancer's docker/haproxy.cfg
	@scripts/compose-check.sh

clean: ## remove build output
	rm -rf dist coverage
