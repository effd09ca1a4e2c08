from services.persistence.app import create_app
from services.persistence.settings import PersistenceSettings
from shared.service import run_service


def main() -> None:
    run_service("persistence", PersistenceSettings, create_app)


if __name__ == "__main__":
    main()
