from services.exporter.app import create_app
from services.exporter.settings import ExporterSettings
from shared.service import run_service


def main() -> None:
    run_service("exporter", ExporterSettings, create_app)


if __name__ == "__main__":
    main()
