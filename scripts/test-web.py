"""The web page of `rag serve` in headless Chromium (driven by selenium), as scripts/test-web runs it.

Against a running server on an index of Corpus/: the documents are listed; 什么是预训练 gets both answers
(quoted sentences and the streamed generated answer), grounding marks, a citation that opens its passage
with source and heading, token candidates; an upload is listed and deleted; an English question shows the
Chinese translation it was searched by; a question the corpus does not
cover gets the "not covered" message, in Chinese and in English; the layout fits 1280×900 and a phone; on a
server with --api-key the page asks for the key (again after a wrong one) and keeps it for the tab.
Each check prints one line; the last line is "N passed, N failed". Exits 1 at the first failure.
"""
import argparse
import os
import re
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ANSWER_WAIT = 120      # seconds: generation takes 5–20 s per answer on 2 CPU cores, more under load
PAGE_WAIT = 30
UPLOAD_WAIT = 120      # ingesting one small file loads the encoder on first use


class Failure(Exception):
    """A check that did not hold: its message is the one line the test prints."""


class Checks:
    def __init__(self, driver, work):
        self.driver, self.work = driver, work
        self.passed = 0
        self.started = time.monotonic()

    def ok(self, what, started):
        self.passed += 1
        print(f"  ok  {what} ({time.monotonic() - started:.1f} s)", flush=True)

    # -- helpers --
    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def wait(self, what, condition, seconds):
        """Waits for condition(driver) to be truthy; fails early when the page shows an API error."""
        def probe(driver):
            error = self.page_error()
            if error:
                raise Failure(f"{what}: the page shows an error: {error}")
            return condition(driver)
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.2).until(probe)
        except TimeoutException:
            raise Failure(f"{what}: not after {seconds} s (status line: {self.text('#status')!r})") from None

    def page_error(self):
        return self.js("const e = document.getElementById('error'); return e && !e.hidden ? e.textContent : '';")

    def text(self, css):
        return self.js("const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : '';", css)

    def state(self, css):
        return self.js("const e = document.querySelector(arguments[0]); return e ? e.dataset.state : null;", css)

    def visible(self, css):
        return self.js("const e = document.querySelector(arguments[0]);"
                       "return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0;", css)

    def ask(self, question):
        box = self.find("#question")
        box.clear()
        box.send_keys(question, Keys.ENTER)  # the keyboard path: Enter submits

    def fits(self, what):
        overflow = self.js("return document.documentElement.scrollWidth - window.innerWidth;")
        if overflow > 1:
            raise Failure(f"{what}: the page is {overflow} px wider than the window")

    # -- the checks, in order --
    def page_loads(self, url):
        started = time.monotonic()
        self.driver.get(url)
        self.wait("the page loads", lambda d: self.find_all("#question"), PAGE_WAIT)
        if "rag" not in self.driver.title:
            raise Failure(f"the page title is {self.driver.title!r}, not rag's")
        self.wait("the header shows the index's counts", lambda d: re.search(r"\d", self.text("#health")), PAGE_WAIT)
        self.fits("at 1280×900")
        self.ok(f"page loads at 1280×900 ({self.text('#health')})", started)

    def documents_listed(self, corpus):
        started = time.monotonic()
        names = sorted(name for name in os.listdir(corpus) if not name.startswith("."))
        def listed(_):
            paths = self.js("return [...document.querySelectorAll('#documents li[data-path]')].map(li => li.dataset.path);")
            return paths if all(any(p.endswith("/" + n) or p == n for p in paths) for n in names) else None
        paths = self.wait(f"the document list shows the {len(names)} Corpus documents", listed, PAGE_WAIT)
        self.ok(f"document list shows all {len(names)} Corpus documents ({len(paths)} listed)", started)

    def ask_pretraining(self):
        started = time.monotonic()
        # Record when each token card arrives and the generation panel's states, to tell a stream from one
        # late batch.
        self.js("""window.__arrivals = []; window.__states = [];
            new MutationObserver(() => __arrivals.push(performance.now()))
              .observe(document.getElementById('tokens'), {childList: true});
            new MutationObserver(() => __states.push(document.getElementById('generation').dataset.state))
              .observe(document.getElementById('generation'), {attributes: true, attributeFilter: ['data-state']});""")
        self.ask("什么是预训练")
        self.wait("the retrieval-based answer", lambda d: self.state("#retrieval") == "done", ANSWER_WAIT)
        quotes = self.find_all("#retrieval-answer .quote")
        if not quotes:
            raise Failure("the retrieval-based answer quotes no sentence")
        if "Corpus/" not in quotes[0].text:
            raise Failure(f"the first quote names no Corpus source: {quotes[0].text!r}")
        retrieved = time.monotonic() - started
        self.wait("the generated answer, finished", lambda d: self.state("#generation") == "done", ANSWER_WAIT)
        answer = self.text("#generated-answer")
        if not answer or "资料中没有相关信息" in answer:
            raise Failure(f"the generated answer is empty or says it does not know: {answer!r}")
        pieces = len(self.find_all("#tokens .tok"))
        arrivals, states = self.js("return [window.__arrivals, window.__states];")
        spread = (max(arrivals) - min(arrivals)) if arrivals else 0
        if pieces < 2 or "streaming" not in states or len(set(round(a) for a in arrivals)) < 2:
            raise Failure(f"the generated answer was not streamed token by token: {pieces} pieces, "
                          f"{len(arrivals)} arrivals over {spread:.0f} ms, panel states {states}")
        if self.js("return document.documentElement.lang") != "zh-CN" or self.text("#ask") != "提问":
            raise Failure("the UI is not in Chinese after a Chinese question")
        self.ok(f"什么是预训练: {len(quotes)} quoted sentence(s) after {retrieved:.1f} s, generated answer "
                f"streamed in {pieces} pieces over {spread / 1000:.1f} s: {answer[:60]!r}", started)

    def grounding_marked(self):
        started = time.monotonic()
        marks = self.js("return [...document.querySelectorAll('#generated-answer .sentence')]"
                        ".map(s => s.dataset.supported);")
        if not marks or any(m not in ("true", "false") for m in marks):
            raise Failure(f"the generated sentences are not marked supported/unsupported: {marks}")
        if not self.visible("#grounding-block"):
            raise Failure("the grounding list is not shown")
        supported = marks.count("true")
        self.ok(f"grounding marks {len(marks)} sentence(s): {supported} supported, {len(marks) - supported} not", started)

    def citation_opens_passage(self):
        started = time.monotonic()
        buttons = self.find_all("#generated-answer button.cite") or self.find_all("#citations button.cite")
        where = "generated answer"
        if not buttons:
            raise Failure("the generated answer has no citation [n] to click (none by the model, none attributed)")
        button = buttons[0]
        n = button.get_attribute("data-n")
        button.click()
        self.wait(f"passage [{n}] opens", lambda d: self.js("return document.getElementById('passage-dialog').open"), PAGE_WAIT)
        source, heading, body = self.text("#passage-source"), self.text("#passage-heading"), self.text("#passage-text")
        if "Corpus/" not in source:
            raise Failure(f"passage [{n}] names no source: {source!r}")
        if not body:
            raise Failure(f"passage [{n}] shows no text")
        path = source.split(" ")[0]
        if path.endswith((".md", ".html")) and not (heading and self.visible("#passage-heading")):
            raise Failure(f"passage [{n}] from {path} shows no heading path")
        self.find("#passage-close").send_keys(Keys.ESCAPE)
        self.wait("the passage closes with Escape", lambda d: not self.js("return document.getElementById('passage-dialog').open"), PAGE_WAIT)
        if self.js("return document.activeElement") != button:
            raise Failure("closing the passage does not return focus to its citation")
        self.ok(f"citation [{n}] in the {where} opens {source} › {heading or '(no heading)'}", started)

    def token_probabilities(self):
        started = time.monotonic()
        if self.visible("#tokens-block"):
            raise Failure("token candidates show before the toggle is on")
        self.find("label:has(#show-probs)").click()
        self.wait("token candidates appear", lambda d: self.visible("#tokens-block"), PAGE_WAIT)
        probabilities = self.js("return [...document.querySelectorAll('#tokens .tok .p')].map(p => p.textContent);")
        if not probabilities or not all(0 <= float(p.lstrip("<")) <= 1 for p in probabilities):
            raise Failure(f"token candidates have no probabilities in 0…1: {probabilities[:10]}")
        first = self.js("const t = document.querySelector('#tokens .tok'); return t ? t.innerText.replace(/\\n/g, ' ') : '';")
        self.ok(f"token probabilities: {len(probabilities)} candidates shown (first token: {first})", started)

    def screenshot(self, path):
        started = time.monotonic()
        self.js("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur();")
        height = self.js("return Math.max(900, Math.ceil(document.documentElement.scrollHeight));")
        # the whole page at 1280 px wide, not only the first 900 px (the token choices are below the fold)
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 1280, "height": height, "deviceScaleFactor": 1, "mobile": False})
        try:
            self.driver.save_screenshot(path)
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        self.ok(f"screenshot saved to {path} (1280×{height})", started)

    def upload_and_delete(self):
        """Three files in one upload: two are indexed and listed, the third (an unknown type) is skipped with its
        reason; then both listed ones are deleted."""
        started = time.monotonic()
        files = {"rag-web-test-upload.md": "# 网页上传测试\n\n这份小文档只用来检查网页的上传和删除。它说：蓝色的猫住在月亮上。\n",
                 "rag-web-test-notes.txt": "Upload test notes. The blue cat lives on the moon.\n",
                 "rag-web-test-data.xyz": "not a document rag reads\n"}
        paths = []
        for name, text in files.items():
            paths.append(os.path.join(self.work, name))
            with open(paths[-1], "w", encoding="utf-8") as f:
                f.write(text)
        self.find("#upload").send_keys("\n".join(paths))  # one selection of several files
        indexed = [name for name in files if not name.endswith(".xyz")]
        rows = [f'#documents li[data-path$="{name}"]' for name in indexed]
        self.wait(f"{', '.join(indexed)} are listed after the upload", lambda d: all(self.find_all(r) for r in rows), UPLOAD_WAIT)
        result = self.text("#upload-result")
        if "rag-web-test-data.xyz" not in result:
            raise Failure(f"the upload result does not name the skipped rag-web-test-data.xyz: {result!r}")
        uploaded = time.monotonic() - started
        for row in rows:
            delete = self.find(row + " button.delete")
            delete.click()  # the first click asks "Delete?", the second deletes
            self.wait("the delete button asks for confirmation", lambda d: "confirming" in delete.get_attribute("class"), PAGE_WAIT)
            delete.click()
            self.wait(f"{row} leaves the list after the delete", lambda d: not self.find_all(row), PAGE_WAIT)
        self.ok(f"upload of 3 files: 2 listed after {uploaded:.1f} s, 1 skipped ({result}); both deleted", started)

    def english_question_searched_in_chinese(self):
        started = time.monotonic()
        self.ask("What is pre-training?")
        self.wait("the retrieval-based answer to an English question", lambda d: self.state("#retrieval") == "done", ANSWER_WAIT)
        line = self.text("#searched-as")
        if not self.visible("#searched-as") or not re.search(r"[\u4e00-\u9fff]", line):
            raise Failure(f"an English question over the Chinese corpus shows no Chinese search text (#searched-as: {line!r})")
        self.wait("the generated answer to the English question", lambda d: self.state("#generation") == "done", ANSWER_WAIT)
        self.ok(f"an English question is searched in Chinese: {line}", started)

    def not_covered(self, question, expected, language, ask_label):
        started = time.monotonic()
        self.ask(question)
        self.wait(f"the not-covered message for {question}", lambda d: self.state("#notice") == "not-covered"
                  and self.visible("#notice"), ANSWER_WAIT)
        message = self.text("#notice-message")
        if expected not in message:
            raise Failure(f"{question}: the notice says {message!r}, not {expected!r}")
        if self.visible("#answers"):
            raise Failure(f"{question}: answers are shown beside the not-covered message")
        if self.js("return document.documentElement.lang") != language or self.text("#ask") != ask_label:
            raise Failure(f"{question}: the UI is not in {language} (button says {self.text('#ask')!r})")
        self.ok(f"{question}: {message} {self.text('#notice-why')}", started)

    def narrow_screen(self):
        started = time.monotonic()
        self.driver.set_window_size(400, 860)
        self.fits("at 400 px wide")
        widths = self.js("return ['#retrieval', '#generation', '#documents-panel'].map(s => "
                         "Math.round(document.querySelector(s).getBoundingClientRect().width));")
        self.driver.set_window_size(1280, 900)
        if len(set(widths)) != 1 or widths[0] < 300:
            raise Failure(f"at 400 px the answers and documents are not one full-width column: {widths} px")
        self.ok(f"narrow screen (400 px): no horizontal scroll; answers and documents one column {widths[0]} px wide", started)

    def asks_for_key(self, url, key):
        started = time.monotonic()
        dialog_open = "return document.getElementById('key-dialog').open"
        self.driver.get(url)
        self.wait("the page asks for the API key", lambda d: self.js(dialog_open), PAGE_WAIT)
        first = self.text("#key-explain")
        self.find("#api-key").send_keys("not-the-key", Keys.ENTER)
        self.wait("the page asks again, saying the key was wrong", lambda d: self.js(dialog_open)
                  and self.text("#key-explain") not in ("", first), PAGE_WAIT)
        self.find("#api-key").send_keys(key, Keys.ENTER)
        listed = lambda d: self.find_all("#documents li[data-path]")
        self.wait("the documents load with the key", listed, PAGE_WAIT)
        if self.js("return sessionStorage.getItem('rag-api-key')") != key:
            raise Failure("the API key is not kept in sessionStorage")
        self.driver.refresh()
        self.wait("the documents load after a reload", listed, PAGE_WAIT)
        if self.js(dialog_open):
            raise Failure("the page asks for the key again after a reload in the same tab")
        self.driver.get_log("browser")  # the 401s of this check are expected: drop them
        self.ok("API key: asked on the first 401, asked again after a wrong key, kept for the tab", started)

    def no_script_errors(self):
        started = time.monotonic()
        try:
            logs = self.driver.get_log("browser")
        except WebDriverException:
            logs = []
        errors = [entry["message"] for entry in logs if entry.get("level") == "SEVERE"]
        if errors:
            raise Failure("the browser console has errors: " + " | ".join(errors[:3]))
        self.ok("no errors in the browser console", started)


def start_browser():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                 "--lang=en-US", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_window_size(1280, 900)
    return driver


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="where rag serve answers, e.g. http://127.0.0.1:8080")
    parser.add_argument("--key-url", help="a second server on the same index, started with --api-key")
    parser.add_argument("--key", help="that server's API key")
    parser.add_argument("--corpus", default="Corpus", help="the folder the index was ingested from")
    parser.add_argument("--work", required=True, help="a scratch folder (the upload file, a failure screenshot)")
    parser.add_argument("--screenshot", default="docs/serve-page.png")
    args = parser.parse_args()
    os.makedirs(os.path.dirname(args.screenshot) or ".", exist_ok=True)

    print(f"test-web: headless Chromium against {args.url}", flush=True)
    driver = start_browser()
    checks = Checks(driver, args.work)
    failed = 0
    try:
        checks.page_loads(args.url)
        checks.documents_listed(args.corpus)
        checks.ask_pretraining()
        checks.grounding_marked()
        checks.citation_opens_passage()
        checks.token_probabilities()
        checks.screenshot(args.screenshot)
        checks.narrow_screen()
        checks.upload_and_delete()
        checks.english_question_searched_in_chinese()
        checks.not_covered("今天上海的天气怎么样?", "文档中没有涉及这个问题的内容", "zh-CN", "提问")
        checks.not_covered("What is the weather in Shanghai today?", "The documents do not cover this question", "en", "Ask")
        checks.no_script_errors()
        if args.key_url:
            checks.asks_for_key(args.key_url, args.key)
    except (Failure, WebDriverException) as error:
        failed = 1
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"test-web: FAIL: {message}", file=sys.stderr, flush=True)
        shot = os.path.join(args.work, "failure.png")
        try:
            driver.save_screenshot(shot)
            print(f"test-web: the page at the failure: {shot} (scripts/test-web --keep keeps it)", file=sys.stderr)
        except WebDriverException:
            pass
    finally:
        driver.quit()
    print(f"test-web: {checks.passed} passed, {failed} failed in {time.monotonic() - checks.started:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
