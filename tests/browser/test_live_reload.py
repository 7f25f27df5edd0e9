"""In a real browser, a page served by ``spectrace serve`` reloads itself after a build that
succeeded, and shows the error line of one that failed, as text."""

from __future__ import annotations

import pytest

from spectrace.serve import LiveSite

PAGE = "<!DOCTYPE html><html><head><title>5 Glossary</title></head><body><p>5.1</p></body></html>"


@pytest.fixture
def site(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "index.html").write_text(PAGE, encoding="utf-8")
    served = LiveSite(tmp_path / "html").start()
    yield served
    served.close()


def wait(browser, condition, seconds: float = 15):
    from selenium.webdriver.support.wait import WebDriverWait

    return WebDriverWait(browser, seconds, poll_frequency=0.1).until(lambda _: condition())


def test_a_failed_build_shows_its_error_and_a_good_one_reloads_the_page(browser, site):
    browser.get(site.url)
    browser.execute_script("window.loadedBefore = true")  # gone once the page reloads
    site.announce(False, "error: specs/x.rst: line 3: <b>not markup</b>")
    banner = wait(browser, lambda: browser.find_elements("id", "spectrace-live-error"))[0]
    assert banner.text.splitlines() == [
        "The last build failed; this is the previous site.",
        "error: specs/x.rst: line 3: <b>not markup</b>",
    ]
    assert not browser.find_elements("css selector", "#spectrace-live-error b")
    assert browser.execute_script("return window.loadedBefore") is True  # not reloaded

    site.announce(True)
    wait(browser, lambda: browser.execute_script("return window.loadedBefore") is None)
    assert not browser.find_elements("id", "spectrace-live-error")


def test_a_page_opened_after_a_failed_build_shows_the_error_at_once(browser, site):
    site.announce(False, "error: spectrace.toml: not valid TOML")
    browser.get(site.url)
    banner = wait(browser, lambda: browser.find_elements("id", "spectrace-live-error"))[0]
    assert banner.text.endswith("error: spectrace.toml: not valid TOML")
