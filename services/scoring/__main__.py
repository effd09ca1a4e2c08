"""`python -m services.scoring [serve | shadow ...]`: the scoring service (settings from the environment,
README.md), or a shadow run of a candidate scorer over stored answers (`shadow --help`)."""

import argparse
import sys

from services.scoring.app import create_app
from services.scoring.settings import ScoringSettings
from shared.platform.service import run_service


def main() -> None:
    if sys.argv[1:2] == ["shadow"]:  # a shadow run (services/scoring/shadow.py), not the service: its own options
        from services.scoring import shadow

        sys.exit(shadow.main(sys.argv[2:]))
    parser = argparse.ArgumentParser(prog="python -m services.scoring", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the scoring service (the default)")
    commands.add_parser("shadow", help="score stored answers with another scorer, beside the live scores")
    parser.parse_args()  # --help, or anything else, answered here: not a service started by mistake
    run_service("scoring", ScoringSettings, create_app)


if __name__ == "__main__":
    main()
