"""The HTML report in a real browser: headless Chromium and ChromeDriver from Debian's packages,
driven by Selenium (skipped where they are not installed). It loads without console errors, the
story list leads to a story, citation links land on their articles, the claims table is there,
and hostile article text stays text."""

from __future__ import annotations

import pytest

from browsing import NEEDS_BROWSER, console_errors as _console_errors, start_browser
from helpers import run_cli

pytest.importorskip("selenium.webdriver")
pytestmark = NEEDS_BROWSER


@pytest.fixture
def browser(tmp_path):
    driver = start_browser(tmp_path / "profile")
    yield driver
    driver.quit()


def _in_view(driver, element) -> bool:
    top = driver.execute_script("return arguments[0].getBoundingClientRect().top", element)
    return -5 <= top < driver.execute_script("return window.innerHeight")


def test_story_list_story_citations_and_claims_work(tmp_path, examples, browser):
    from selenium.webdriver.common.by import By

    page = tmp_path / "report.html"
    assert run_cli("analyze", examples, "--html", page, "--quiet").exit_code == 0
    browser.get(page.as_uri())
    assert _console_errors(browser) == []
    story_links = browser.find_elements(By.CSS_SELECTOR, "nav#stories a")
    assert len(story_links) >= 3
    story_links[0].click()
    story = browser.find_element(By.ID, browser.current_url.split("#")[1])
    assert story.get_attribute("class") == "story" and _in_view(browser, story)
    assert story.find_element(By.CSS_SELECTOR, "svg.timeline circle")
    citation = story.find_element(By.CSS_SELECTOR, "ul.summary a.cite")
    target = citation.get_attribute("href").split("#")[1]
    citation.click()
    article = browser.find_element(By.ID, target)
    assert article.tag_name == "article" and _in_view(browser, article)
    article.find_element(By.TAG_NAME, "summary").click()  # open the article text
    assert article.find_element(By.CSS_SELECTOR, ".body").is_displayed()
    conflicting = browser.find_elements(By.CSS_SELECTOR, "table.claims tr.conflicting")
    assert conflicting and all(row.find_element(By.TAG_NAME, "a").get_attribute("href").split("#")[1].startswith("a-") for row in conflicting)
    browser.find_element(By.CSS_SELECTOR, "nav#stories a[href='#others']").click()  # the stories of one article each
    others = browser.find_element(By.ID, "others")
    assert _in_view(browser, others) and others.find_elements(By.CSS_SELECTOR, "li[id^='a-']")
    assert browser.save_screenshot(str(tmp_path / "report.png"))
    assert _console_errors(browser) == []


def test_hostile_article_and_feed_text_never_runs(tmp_path, browser):
    from selenium.webdriver.common.by import By

    hostile = tmp_path / "in"
    hostile.mkdir()
    (hostile / "hostile.txt").write_text(
        "<script>document.title='pwned'</script> Titel\n\n"
        "Ein Bild <img src=x onerror=\"document.title='pwned'\"> und ein <a href=\"javascript:alert(1)\">Link</a>. Noch ein Satz hier.",
        encoding="utf-8",
    )
    (hostile / "feed.xml").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><title>Meldung &lt;img src=x onerror=alert(2)&gt;</title>"
        "<link>javascript:alert(3)</link><description>Die Polizei meldete am Montag einen Einsatz in der Stadt. "
        "&lt;a href=\"javascript:alert(4)\" onclick=\"alert(5)\"&gt;hier&lt;/a&gt; Weitere Angaben machte sie nicht.</description>"
        "</item></channel></rss>",
        encoding="utf-8",
    )
    page = tmp_path / "report.html"
    assert run_cli("analyze", hostile, "--html", page, "--quiet").exit_code == 0
    browser.get(page.as_uri())  # an alert would make every later call fail
    assert browser.title.startswith("Lagebild")
    assert browser.find_elements(By.CSS_SELECTOR, "script, img, [onerror], [onclick]") == []
    assert browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript']") == []
    assert "<script>document.title='pwned'</script>" in browser.find_element(By.TAG_NAME, "body").text
    assert _console_errors(browser) == []
