# The two commands a newcomer needs: `make run` and `make test`. Both install what is missing first.
.PHONY: run run-mongo test test-mongo test-faults test-fast lint asyncapi install rabbitmq test-tools lock clean

run: install rabbitmq
	.venv/bin/python -m tools.run $(ARGS)

# the same, with MongoDB as the store: a local SecantusDB (a development server, tools/secantus.py) unless
# MONGODB_URL names a server
run-mongo: install rabbitmq
	.venv/bin/python -m tools.run --mongodb $(ARGS)

# everything (the store cases against SQLite and a real MongoDB server), then the end-to-end interview and
# read-API tests again with MongoDB as the services' store (tests/mongodb.py says which server)
test: install rabbitmq test-tools
	.venv/bin/python -m pytest $(PYTEST_ARGS)
	TEST_STORE=mongodb .venv/bin/python -m pytest $(MONGO_STACK_TESTS) $(PYTEST_ARGS)

# the MongoDB-backed part alone
MONGO_STACK_TESTS = tests/e2e/test_interview.py tests/e2e/test_read_api.py
test-mongo: install rabbitmq test-tools
	TEST_STORE=mongodb .venv/bin/python -m pytest tests/integration/test_stores.py tests/integration/test_recruiting_store.py \
		tests/integration/test_seed_analyses.py tests/faults/test_mongodb.py $(MONGO_STACK_TESTS) $(PYTEST_ARGS)

# the fault-injection suite alone (it is part of `make test` too)
test-faults: install rabbitmq
	.venv/bin/python -m pytest tests/faults -s $(PYTEST_ARGS)

# unit tests only: no broker, no processes
test-fast: install
	.venv/bin/python -m pytest tests/unit $(PYTEST_ARGS)

install:
	@tools/bootstrap

rabbitmq:
	@tools/ensure-rabbitmq

test-tools:
	@tools/ensure-test-tools

# Re-pin every dependency after changing pyproject.toml (writes constraints.txt).
lock:
	rm -rf .venv-lock && python3 -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --upgrade pip && .venv-lock/bin/pip install --quiet -e '.[dev]'
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^interviewer' > constraints.txt
	rm -rf .venv-lock

clean:
	rm -rf .venv .pytest_cache .hypothesis test-output

lint: install
	.venv/bin/ruff check shared services tools tests bench
	.venv/bin/ruff format --check shared services tools tests bench
	.venv/bin/mypy
	tools/validate-asyncapi

# docs/asyncapi.yaml from the event contracts (shared/contracts/)
asyncapi: install
	.venv/bin/python -m tools.asyncapi
