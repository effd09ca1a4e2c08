# The two commands a newcomer needs: `make run` and `make test`. Both install what is missing first.
.PHONY: run test test-faults test-fast lint asyncapi install rabbitmq test-tools lock clean

run: install rabbitmq
	.venv/bin/python -m tools.run $(ARGS)

test: install rabbitmq test-tools
	.venv/bin/python -m pytest $(PYTEST_ARGS)

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
