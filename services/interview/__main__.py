from services.interview.app import create_app
from services.interview.settings import InterviewSettings
from shared.platform.service import run_service


def main() -> None:
    run_service("interview", InterviewSettings, create_app)


if __name__ == "__main__":
    main()
