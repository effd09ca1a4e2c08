from services.gateway.app import create_app
from services.gateway.settings import GatewaySettings
from shared.platform.service import run_service


def main() -> None:
    run_service("gateway", GatewaySettings, create_app)


if __name__ == "__main__":
    main()
