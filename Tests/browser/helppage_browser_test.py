#!/usr/bin/env python3
"""The help page in a real browser: Debian's chromium, headless, driven
with Selenium (scripts/ensure-deps test, scripts/ensure-test-tools).

Run against a running `vertrouwd helppage` and its daemon, as
Tests/IntegrationTests/HelpPageIntegrationTests.swift does:

    helppage_browser_test.py --url http://127.0.0.1:PORT/ \
        --state STATE.db --screenshots DIR

It checks, with a screenshot of each state:
  * the page at 360 px and 1280 px wide has no horizontal overflow
    (document.documentElement.scrollWidth <= innerWidth), and the advice is
    on the first screen and visible;
  * the form is filled in and sent with the keyboard alone (Tab, Space,
    arrow keys, Enter), and the thank-you page shows the advice again;
  * the report is counted by the daemon (its state database);
  * every screenshot is a real picture, not a blank page (pixel statistics).

Prints one line per check and "N passed, N failed"; exit status 1 on any
failure. Standard library and Selenium only.
"""
import argparse
import base64
import os
import sqlite3
import struct
import sys
import time
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)), flush=True)
    return ok


# --- PNG statistics, without Pillow -----------------------------------------

def png_pixels(path):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB or RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and color in (2, 6), "unexpected PNG format"
            channels = 4 if color == 6 else 3
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return width, height, [[tuple(row[x:x + 3]) for x in range(0, stride, channels)] for row in rows]


def image_statistics(path):
    """Share of pixels that are not page background, distinct colours, and
    the spread of luminance, over a sample of the picture."""
    width, height, rows = png_pixels(path)
    sample = [px for row in rows[::4] for px in row[::4]]
    background = (246, 247, 249)  # the page's background colour
    ink = sum(1 for p in sample if max(abs(p[i] - background[i]) for i in range(3)) > 24) / len(sample)
    luminance = [0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2] for p in sample]
    mean = sum(luminance) / len(luminance)
    spread = (sum((v - mean) ** 2 for v in luminance) / len(luminance)) ** 0.5
    return {"width": width, "height": height, "ink": ink, "colours": len(set(sample)), "spread": spread}


# --- The browser ------------------------------------------------------------

def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--window-size=1280,900"):
        options.add_argument(argument)
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    return driver


def viewport(driver, width, mobile):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 780 if mobile else 900, "deviceScaleFactor": 1, "mobile": mobile})


def screenshot(driver, directory, name, full=True):
    """A PNG of the whole page (or the viewport), written and checked."""
    parameters = {"format": "png", "captureBeyondViewport": full}
    if full:
        metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics["cssContentSize"]
        parameters["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000), "scale": 1}
    data = base64.b64decode(driver.execute_cdp_cmd("Page.captureScreenshot", parameters)["data"])
    path = os.path.join(directory, name + ".png")
    with open(path, "wb") as f:
        f.write(data)
    stats = image_statistics(path)
    check(f"{name}: screenshot is not blank", stats["ink"] > 0.03 and stats["colours"] > 20 and stats["spread"] > 20, stats)
    return path


def no_overflow(driver, name, width):
    inner = driver.execute_script("return window.innerWidth")
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    check(f"{name}: viewport is {width} px", inner == width, inner)
    check(f"{name}: no horizontal overflow", scroll <= inner, f"scrollWidth {scroll} > innerWidth {inner}")


def advice_visible(driver, name, expected):
    items = driver.find_elements(By.CSS_SELECTOR, "ol.advice li")
    check(f"{name}: five pieces of advice", len(items) == 5, len(items))
    if not items:
        return
    first = items[0]
    check(f"{name}: the advice is displayed", first.is_displayed() and expected in first.text, first.text[:80])
    top = driver.execute_script("return arguments[0].getBoundingClientRect().top", first)
    height = driver.execute_script("return window.innerHeight")
    check(f"{name}: the advice starts on the first screen", 0 <= top < height, f"top {top}, height {height}")


def press(driver, *keys):
    actions = ActionChains(driver)
    for key in keys:
        actions.send_keys(key)
    actions.perform()


def active(driver):
    return driver.execute_script(
        "var e = document.activeElement; return e ? [e.tagName, e.name || '', e.value || '', e.type || ''] : null")


def tab_to(driver, name, limit=60):
    for _ in range(limit):
        press(driver, Keys.TAB)
        if active(driver)[1] == name:
            return True
    return False


def counted(state, timeout=30):
    """(category, cohort, channel) → count from the daemon's buckets, once
    it has counted anything."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            db = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=5)
            rows = db.execute("SELECT category, cohort, channel, sum(count) FROM buckets GROUP BY 1, 2, 3").fetchall()
            db.close()
            if rows:
                return {(r[0], r[1], r[2]): r[3] for r in rows}
        except sqlite3.Error:
            pass
        time.sleep(0.2)  # polling the database for an event, bounded by the timeout
    return {}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--state", help="the daemon's state database, to check the report is counted")
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    base = args.url if args.url.endswith("/") else args.url + "/"

    driver = browser()
    try:
        # The start page, phone and desktop, Dutch and English.
        for width, mobile in ((360, True), (1280, False)):
            viewport(driver, width, mobile)
            driver.get(base)
            name = f"start-nl-{width}"
            check(f"{name}: Dutch by default", driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl")
            no_overflow(driver, name, width)
            advice_visible(driver, name, "Stop het contact en betaal niet.")
            screenshot(driver, args.screenshots, name)
        viewport(driver, 360, True)
        driver.get(base + "en")
        no_overflow(driver, "start-en-360", 360)
        advice_visible(driver, "start-en-360", "Stop the contact and don’t pay.")
        check("start-en-360: the switch back says Nederlands",
              driver.find_element(By.CSS_SELECTOR, "a.lang").text == "Nederlands")
        screenshot(driver, args.screenshots, "start-en-360")
        check("no script on the page", driver.execute_script("return document.scripts.length") == 0)
        check("no text field on the page", len(driver.find_elements(
            By.CSS_SELECTOR, "textarea, input:not([type=radio]):not([type=hidden])")) == 0)

        # The report, with the keyboard alone, on a phone.
        driver.get(base)
        driver.execute_script("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()")
        check("keyboard: Tab reaches 'who'", tab_to(driver, "who"), active(driver))
        press(driver, Keys.SPACE)                      # "Over mij"
        check("keyboard: Space chooses 'me'", active(driver)[2] == "me" and
              driver.find_element(By.CSS_SELECTOR, "input[name=who][value=me]").is_selected(), active(driver))
        press(driver, Keys.TAB, Keys.ARROW_DOWN)        # what: the second situation
        check("keyboard: arrow chooses 'payment'",
              driver.find_element(By.CSS_SELECTOR, "input[name=what][value=payment]").is_selected(), active(driver))
        press(driver, Keys.TAB, Keys.ARROW_UP)          # platform: the channel before "rather not say"
        platform = active(driver)[2]
        check("keyboard: a platform is chosen", platform not in ("", "unknown"), active(driver))
        press(driver, Keys.TAB, Keys.ARROW_UP)          # year: the cohort before "rather not say"
        year = active(driver)[2]
        check("keyboard: a year group is chosen", year not in ("", "unknown"), active(driver))
        press(driver, Keys.TAB)
        check("keyboard: Tab reaches the button", active(driver)[0] == "BUTTON", active(driver))
        screenshot(driver, args.screenshots, "form-filled-360", full=False)
        press(driver, Keys.ENTER)
        deadline = time.time() + 20
        while time.time() < deadline and "/report" not in driver.current_url:
            time.sleep(0.1)  # waiting for the navigation, bounded
        body = driver.find_element(By.TAG_NAME, "body").text
        check("thanks: the thank-you page shows", "Dank je, het is doorgegeven" in body, body[:200])
        no_overflow(driver, "thanks-360", 360)
        check("thanks: the advice again", "Stop het contact en betaal niet." in body)
        check("thanks: the subject cookie lasts a week",
              any(c["name"] == "vt_subject" and c.get("httpOnly") for c in driver.get_cookies()), driver.get_cookies())
        screenshot(driver, args.screenshots, "thanks-360")
        viewport(driver, 1280, False)
        no_overflow(driver, "thanks-1280", 1280)
        screenshot(driver, args.screenshots, "thanks-1280")

        # A page that does not exist.
        viewport(driver, 360, True)
        driver.get(base + "nergens")
        body = driver.find_element(By.TAG_NAME, "body").text
        check("404: its own page with the emergency numbers", "Deze pagina bestaat niet" in body and "112" in body, body[:200])
        no_overflow(driver, "error-404-360", 360)
        screenshot(driver, args.screenshots, "error-404-360")

        if args.state:
            counts = counted(args.state)
            expected_key = ("sextortion.payment", year, platform)
            check("the daemon counted the report", counts.get(expected_key) == 1 and sum(counts.values()) == 1,
                  f"{counts}, expected {expected_key}")
    finally:
        driver.quit()

    failed = results.count(False)
    print(f"{results.count(True)} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
