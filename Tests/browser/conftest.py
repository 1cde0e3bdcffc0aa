"""Options and fixtures of the browser test: the built `cluster`, headless Chromium, the corpora."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Selenium must not try to download a driver or a browser: Debian's are used.
os.environ.setdefault("SE_OFFLINE", "true")


def pytest_addoption(parser):
    parser.addoption(
        "--cluster",
        default=os.environ.get("CLUSTER_BIN"),
        help="path of the built cluster binary (required; the test builds nothing)",
    )
    parser.addoption(
        "--screenshot",
        default=os.environ.get("HTML_REPORT_SCREENSHOT"),
        help="where to save the screenshot of the ECB+ DEV report (PNG); the pair view goes "
        "beside it as NAME-pair.png (default: the test's temporary folder)",
    )
    parser.addoption(
        "--ecbplus",
        default=os.environ.get(
            "STORYCLUSTER_ECBPLUS", str(ROOT.parent / "shared/data/ecbplus/dev.jsonl")
        ),
        help="ECB+ DEV (default: ../shared/data/ecbplus/dev.jsonl beside the checkout)",
    )


@pytest.fixture(scope="session")
def cluster(request):
    path = request.config.getoption("--cluster")
    if not path:
        pytest.fail("give the built binary: --cluster .build/release/cluster")
    path = Path(path).resolve()
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} is not an executable cluster binary; build it first")
    return path


@pytest.fixture(scope="session")
def ecbplus(request):
    path = Path(request.config.getoption("--ecbplus"))
    if not path.is_file():
        message = f"ECB+ DEV is missing: {path}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI must have ../shared/data beside the clone)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def screenshot_path(request, tmp_path_factory):
    given = request.config.getoption("--screenshot")
    return Path(given) if given else tmp_path_factory.mktemp("shots") / "html-report.png"


@pytest.fixture(scope="session")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail("install Debian's chromium and chromium-driver (apt-get install chromium "
                    "chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def run_cluster(cluster, *arguments, output=None):
    """Runs `cluster` and returns its standard output (bytes); fails the test on a non-zero exit."""
    command = [str(cluster), *map(str, arguments)]
    if output is not None:
        command += ["--output", str(output)]
    done = subprocess.run(command, capture_output=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}: {done.stderr!r}"
    return done.stdout
