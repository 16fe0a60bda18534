"""The web app in a real browser (headless Chromium through Selenium) against a real ``lagebild
serve``: the story list leads to a story, an article, an entity and search without a console
error (a Content-Security-Policy violation is one); an article added through the API appears on
the open story page without a reload; a hostile article's script, handler and link never run."""

from __future__ import annotations

import pytest

from browsing import NEEDS_BROWSER, console_errors, start_browser
from serving import HELD_OUT, Served, example_store

pytest.importorskip("selenium.webdriver")
pytestmark = NEEDS_BROWSER
APPEARS_SECONDS = 120  # the worker links the article, then the page's update stream fetches it


@pytest.fixture
def served(tmp_path, examples):
    server = Served(example_store(tmp_path, examples))
    yield server
    server.stop()


@pytest.fixture
def browser(tmp_path):
    driver = start_browser(tmp_path / "profile")
    yield driver
    driver.quit()


def test_story_list_story_article_entity_and_search(served, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(served.url + "/")
    stories = browser.find_elements(By.CSS_SELECTOR, "ol.stories li.card > a")
    assert len(stories) >= 3 and browser.find_element(By.CSS_SELECTOR, "li.card svg.timeline")
    stories[0].click()
    assert browser.find_element(By.CSS_SELECTOR, "main ol li ul.summary a.cite")
    browser.find_element(By.CSS_SELECTOR, "ul.articles a").click()
    assert "/articles/" in browser.current_url
    body = browser.find_element(By.CSS_SELECTOR, "article.page .body")
    assert body.find_elements(By.CSS_SELECTOR, "span[class^='e-']") and body.text
    entity = browser.find_element(By.CSS_SELECTOR, "ul.inline a")
    name = entity.text
    entity.click()
    assert browser.find_element(By.TAG_NAME, "h1").text == name and browser.find_elements(By.CSS_SELECTOR, "ul.articles li")
    search = browser.find_element(By.NAME, "q")
    search.send_keys("Erdbeben")
    search.submit()  # returns before the results page has loaded: wait for it
    WebDriverWait(browser, 10).until(lambda b: "/search" in b.current_url and b.find_elements(By.CSS_SELECTOR, "ol.hits"))
    hits = browser.find_elements(By.CSS_SELECTOR, "ol.hits li")
    assert hits and browser.find_elements(By.CSS_SELECTOR, "ol.hits mark")
    assert console_errors(browser) == []


def test_an_article_added_through_the_api_appears_on_the_open_story_page(served, browser, examples):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    ferry = next(story for story in served.client.get("/api/v1/stories").json()["items"] if "Nordlicht" in story["title"])
    browser.get(f"{served.url}/stories/{ferry['id']}")
    before = len(browser.find_elements(By.CSS_SELECTOR, "ul.articles li"))
    answer = served.client.post("/api/v1/articles", content=(examples / HELD_OUT).read_bytes(), headers=served.write_headers("text/plain"))
    assert answer.status_code == 201
    title = served.client.get(f"/api/v1/articles/{answer.json()['added'][0]}").json()["article"]["title"]
    # The page swaps its lists in place when the picture changes, so an element read a moment ago
    # may be gone: the wait reads the list afresh on each poll and tolerates a swap mid-read.
    settled = WebDriverWait(browser, APPEARS_SECONDS, poll_frequency=0.5, ignored_exceptions=(StaleElementReferenceException,))
    settled.until(lambda b: title in b.find_element(By.CSS_SELECTOR, "ul.articles").text)
    assert browser.execute_script("return document.querySelectorAll('ul.articles li').length") == before + 1
    assert not browser.find_element(By.ID, "live").get_attribute("hidden")  # the reader is told
    assert console_errors(browser) == []


def test_a_hostile_article_never_runs_in_the_browser(served, browser):
    from selenium.webdriver.common.by import By

    hostile = {
        "title": "Angriff <script>window.pwned = 'title'</script>",
        "text": (
            "Der Text trägt <img src=x onerror=\"window.pwned='img'\"> und <a href=\"javascript:window.pwned='link'\">einen Link</a>. "
            "<svg onload=\"window.pwned='svg'\"></svg> Der Sprecher sagte, alles sei in Ordnung. In Kiel kamen 40 Menschen."
        ),
        "date": "2026-03-20",
    }
    answer = served.client.post("/api/v1/articles", json=hostile, headers=served.write_headers())
    article_id = answer.json()["added"][0]
    served.wait_analysed()
    for path in (f"/articles/{article_id}", "/", "/search?q=Angriff"):
        browser.get(served.url + path)
        assert browser.execute_script("return window.pwned === undefined")
        assert not browser.find_elements(By.CSS_SELECTOR, "main img, main svg[onload], main a[href^='javascript']")
    browser.get(f"{served.url}/articles/{article_id}")
    assert "<script>window.pwned = 'title'</script>" in browser.find_element(By.TAG_NAME, "h1").text  # shown as text
    assert "onerror" in browser.find_element(By.CSS_SELECTOR, "article.page .body").text
