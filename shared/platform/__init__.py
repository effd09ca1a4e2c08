"""How a service runs: the broker and its dead letters, the one service bootstrap, HTTP errors and
limits, settings, logs, metrics and telemetry. Built on the contracts, never the other way round."""
