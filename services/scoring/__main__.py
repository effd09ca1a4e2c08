from services.scoring.app import create_app
from services.scoring.settings import ScoringSettings
from shared.platform.service import run_service


def main() -> None:
    run_service("scoring", ScoringSettings, create_app)


if __name__ == "__main__":
    main()
