import sys

from services.scoring.app import create_app
from services.scoring.settings import ScoringSettings
from shared.platform.service import run_service


def main() -> None:
    if sys.argv[1:2] == ["shadow"]:  # a shadow run (services/scoring/shadow.py), not the service
        from services.scoring import shadow

        sys.exit(shadow.main(sys.argv[2:]))
    run_service("scoring", ScoringSettings, create_app)


if __name__ == "__main__":
    main()
