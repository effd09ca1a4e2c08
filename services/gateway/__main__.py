"""`python -m services.gateway [serve]`: the candidate API, the web app and the dashboard (settings from the
environment, README.md)."""

import argparse

from services.gateway.app import create_app
from services.gateway.settings import GatewaySettings
from shared.platform.service import run_service


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m services.gateway", description=__doc__)
    parser.add_subparsers(dest="command").add_parser("serve", help="run the gateway (the default)")
    parser.parse_args()  # --help, or anything else, answered here: not a service started by mistake
    run_service("gateway", GatewaySettings, create_app)


if __name__ == "__main__":
    main()
