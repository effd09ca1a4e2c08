"""`python -m services.interview [serve]`: the interview service, which asks the questions (settings from the
environment, README.md)."""

import argparse

from services.interview.app import create_app
from services.interview.settings import InterviewSettings
from shared.ai.offline import embedding
from shared.platform.service import run_service


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m services.interview", description=__doc__)
    parser.add_subparsers(dest="command").add_parser("serve", help="run the interview service (the default)")
    parser.parse_args()  # --help, or anything else, answered here: not a service started by mistake
    # the follow-up question needs only the rules' reading of the previous answer (is it vague, does it
    # name a number): the sentence-embedding model (~140 MB) stays in the scoring service
    embedding.go_without()
    run_service("interview", InterviewSettings, create_app)


if __name__ == "__main__":
    main()
