#!/usr/bin/python3
"""End-to-end tests of the web application in a real browser (Debian's chromium and
chromedriver through python3-selenium) against a real `docket serve` on loopback, over a
real SQLite file seeded with the docket CLI. A failing test saves a screenshot and the page's
HTML next to the database (the folder is printed).

Usage: browser_test.py DOCKET_BINARY REPOSITORY_ROOT
"""
import http.cookiejar
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

DOCKET = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
PASSWORD = "mat-khau-thu-2026"
TITLE = "Dự thảo Đề án nước sạch nông thôn — Ninh Bình"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Deployment:
    """A database seeded through the CLI and a server on it."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="docket-web-")
        self.db = os.path.join(self.folder, "docket.db")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.d("init")
        self.d("org", "import", os.path.join(ROOT, "scripts/demo/units.json"))
        users = [
            ("hung", "Phạm Văn Hùng", "ninh-binh", ["standing_board"]),
            ("lan", "Nguyễn Thị Lan", "ninh-binh", ["department_head", "officer"]),
            ("so-ld", "Sở Lao động – Thương binh và Xã hội", "ninh-binh", ["drafting_body"]),
            ("binh", "Trần Văn Bình", "gia-vien", ["standing_board", "officer", "department_head"]),
            ("quan-tri", "Quản trị hệ thống", "ninh-binh", ["auditor"]),
        ]
        for user, name, unit, roles in users:
            args = ["user", "add", user, "--name", name, "--unit", unit]
            for role in roles:
                args += ["--role", role]
            self.d(*args)
            self.d("user", "password", user, "--stdin", stdin=PASSWORD + "\n")
        self.d("user", "admin", "quan-tri")
        self.server = subprocess.Popen([DOCKET, "--db", self.db, "serve", "--listen", f"127.0.0.1:{self.port}",
                                        "--documents-config", os.path.join(ROOT, "config/documents.example.json")],
                                       stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.folder, "server.log"), "w"))
        for _ in range(200):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("docket serve did not start; see " + self.folder)

    def d(self, *args, stdin=None):
        done = subprocess.run([DOCKET, "--db", self.db, *args], input=stdin, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"docket {' '.join(args)}: {done.stderr}")
        return done.stdout.strip()

    def stop(self):
        self.server.terminate()
        self.server.wait(timeout=30)


def browser():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,1600", "--lang=vi"]:
        options.add_argument(flag)
    options.add_argument("--user-data-dir=" + tempfile.mkdtemp(prefix="docket-chromium-"))
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    return driver


class WebApplication(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.site = Deployment()
        cls.browser = browser()

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.site.stop()

    def setUp(self):
        self.browser.delete_all_cookies()

    def tearDown(self):
        outcome = self._outcome
        failed = any(error for _, error in getattr(outcome.result, "errors", []) + getattr(outcome.result, "failures", [])
                     if _ is self)
        if failed:
            name = os.path.join(self.site.folder, self.id().split(".")[-1])
            self.browser.save_screenshot(name + ".png")
            with open(name + ".html", "w") as page:
                page.write(self.browser.page_source)
            print(f"\nscreenshot: {name}.png", file=sys.stderr)

    # Helpers -----------------------------------------------------------------------------
    def go(self, path):
        self.browser.get(self.site.base + path)

    def sign_in(self, user):
        self.go("/sign-in")
        self.browser.find_element(By.ID, "user").send_keys(user)
        self.browser.find_element(By.ID, "password").send_keys(PASSWORD)
        self.submit(self.browser.find_element(By.ID, "sign-in"))
        self.assertIn("/inbox", self.browser.current_url)

    def submit(self, button):
        """Clicks a form's button and waits until the page the form leads to has replaced this one."""
        replaced = "does not belong to the document"  # chromedriver's word for a node of a page gone

        def gone(_):
            try:
                button.is_enabled()
                return False
            except StaleElementReferenceException:
                return True
            except WebDriverException as error:
                if replaced in str(error):
                    return True
                raise

        try:
            button.click()
        except WebDriverException as error:
            # The click went through and its page is already replacing this one.
            if replaced not in str(error):
                raise
        WebDriverWait(self.browser, 15).until(gone)

    def by_id(self, element_id):
        return self.browser.find_element(By.ID, element_id)

    def text_of(self, element_id):
        return self.by_id(element_id).text

    def open_critique(self, submission_date):
        self.go("/cases/new?workflow=social-critique")
        self.by_id("title").send_keys(TITLE)
        self.by_id("f-document_title").send_keys("Đề án nước sạch")
        Select(self.by_id("f-drafting_body")).select_by_value("so-ld")
        self.browser.execute_script(f"document.getElementById('f-submission_date').value='{submission_date}'")
        self.browser.execute_script("document.getElementById('f-received_date').value='2026-12-01'")
        Select(self.by_id("kind")).select_by_value("draft")
        draft = os.path.join(self.site.folder, "du-thao.txt")
        with open(draft, "w") as out:
            out.write("Dự thảo đề án (bản thử)\n")
        self.by_id("file").send_keys(draft)
        self.submit(self.by_id("do-open"))
        return self.text_of("case-number")

    def step(self, transition, fields=None, selects=None):
        details = self.by_id("step-" + transition)
        if not details.get_attribute("open"):
            details.find_element(By.TAG_NAME, "summary").click()
        for field, value in (fields or {}).items():
            self.by_id("f-" + field).send_keys(value)
        for field, value in (selects or {}).items():
            Select(self.by_id("f-" + field)).select_by_value(value)
        self.submit(self.by_id("do-" + transition))
        self.assertEqual(self.by_id("done").text, "Đã chuyển giai đoạn.")

    def attach(self, kind, name, content):
        path = os.path.join(self.site.folder, name)
        with open(path, "w") as out:
            out.write(content)
        Select(self.by_id("kind")).select_by_value(kind)
        self.by_id("file").send_keys(path)
        self.submit(self.by_id("do-attach"))
        self.assertEqual(self.by_id("done").text, "Đã tải lên tài liệu.")

    def session_cookie(self):
        return self.browser.get_cookie("docket_session")["value"]

    # Tests -------------------------------------------------------------------------------
    def test_a_critique_case_goes_from_draft_to_closed_through_the_forms(self):
        self.sign_in("lan")
        number = self.open_critique("2027-03-31")
        self.assertEqual(self.text_of("case-title"), TITLE)  # Vietnamese round-trips
        self.step("assign")
        self.submit(self.browser.find_element(By.ID, "sign-out"))
        self.sign_in("hung")
        self.go("/cases/" + number)
        self.step("choose_form", selects={"critique_form": "written_consultation"})
        self.submit(self.browser.find_element(By.ID, "sign-out"))
        self.sign_in("lan")
        self.go("/cases/" + number)
        self.step("send_for_opinions")
        self.attach("critique", "phan-bien.txt", "Văn bản phản biện")
        self.step("submit_critique_draft")
        self.submit(self.browser.find_element(By.ID, "sign-out"))
        self.sign_in("hung")
        self.go("/cases/" + number)
        self.step("approve")
        for text in ["Bổ sung tiêu chí hộ nghèo đa chiều", "Làm rõ nguồn vốn đối ứng"]:
            self.by_id("addressee").send_keys("so-ld")
            self.by_id("rec-text").send_keys(text)
            self.submit(self.by_id("do-recommend"))
            self.assertEqual(self.text_of("done"), "Đã thêm kiến nghị.")
        # The issue step waits for the issuing authority: listed, the button disabled.
        issue = self.by_id("step-issue")
        issue.find_element(By.TAG_NAME, "summary").click()
        self.assertIn("issuing_authority", issue.find_element(By.CLASS_NAME, "unmet").text)
        self.assertFalse(self.by_id("do-issue").is_enabled())
        self.edit_field("issuing_authority", "so-ld")
        self.step("issue")
        # The standing board gets the letter of its recommendations: a draft to download, then
        # issued with the next number of the province's outgoing register and kept with the case.
        draft = urllib.request.Request(self.by_id("letter-draft").get_attribute("href"),
                                       headers={"Cookie": "docket_session=" + self.session_cookie()})
        with urllib.request.urlopen(draft) as reply:
            self.assertEqual(reply.headers["Content-Type"],
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            self.assertIn("kien-nghi-" + number + ".docx", reply.headers["Content-Disposition"])
            self.assertTrue(reply.read().startswith(b"PK"))  # a zip: the .docx package
        self.submit(self.by_id("do-issue-letter"))
        self.assertEqual(self.text_of("done"), "Đã ban hành văn bản kiến nghị; văn bản có số ở mục Tài liệu.")
        self.assertIn("Văn bản kiến nghị · số 1/CV-MTTQ-BTT", self.text_of("documents"))
        self.assertIn("Ban hành văn bản số 1/CV-MTTQ-BTT", self.text_of("timeline"))
        self.submit(self.browser.find_element(By.ID, "sign-out"))
        # The drafting body answers each recommendation.
        self.sign_in("so-ld")
        self.assertIn(number, self.text_of("inbox"))
        self.go("/cases/" + number)
        for rec in ["1", "2"]:
            Select(self.by_id("status-" + rec)).select_by_value("accepted" if rec == "1" else "partly_accepted")
            self.by_id("answer-" + rec).send_keys("Tiếp thu, sẽ bổ sung")
            self.submit(self.by_id("do-answer-" + rec))
            self.assertEqual(self.text_of("done"), "Đã gửi trả lời kiến nghị.")
        self.assertEqual(self.by_id("rec-1").get_attribute("data-status"), "accepted")
        self.assertEqual(self.by_id("rec-2").get_attribute("data-status"), "partly_accepted")
        self.attach("reply", "tra-loi.txt", "Văn bản trả lời của Sở")
        self.submit(self.browser.find_element(By.ID, "sign-out"))
        self.sign_in("lan")
        self.go("/cases/" + number)
        self.step("record_answer")
        self.step("close")
        self.assertIn("đã kết thúc", self.text_of("stage"))
        self.assertIn("Nguyễn Thị Lan", self.text_of("timeline"))

    def edit_field(self, field, value):
        self.by_id("edit-fields").find_element(By.TAG_NAME, "summary").click()
        Select(self.by_id("set-" + field)).select_by_value(value)
        self.submit(self.by_id("do-set-fields"))
        self.assertEqual(self.text_of("done"), "Đã cập nhật thông tin.")

    def test_a_case_past_its_deadline_is_marked_overdue_in_the_inbox(self):
        self.sign_in("lan")
        number = self.open_critique("2026-11-20")  # due the day before: long past
        self.go("/inbox")
        row = self.browser.find_element(By.CSS_SELECTOR, f'#inbox tr[data-number="{number}"]')
        self.assertIn("overdue", row.get_attribute("class"))
        self.assertIn("quá hạn", row.text)

    def test_a_commune_officer_cannot_see_or_reach_a_province_case(self):
        self.sign_in("lan")
        number = self.open_critique("2027-04-30")
        self.submit(self.browser.find_element(By.ID, "sign-out"))
        self.sign_in("binh")
        self.go("/cases")
        self.assertNotIn(number, self.browser.page_source)
        self.go("/cases/" + number)
        self.assertIn("không có quyền xem", self.text_of("message"))
        self.assertNotIn(TITLE, self.browser.page_source)

    def test_a_forged_post_without_the_csrf_token_changes_nothing(self):
        self.sign_in("lan")
        number = self.open_critique("2027-05-31")
        before = self.site.d("--as", "lan", "case", "history", number)
        request = urllib.request.Request(
            self.site.base + f"/cases/{number}/comment",
            data=urllib.parse.urlencode({"text": "giả mạo", "version": "99"}).encode(),
            headers={"Cookie": "docket_session=" + self.session_cookie(),
                     "Content-Type": "application/x-www-form-urlencoded"})
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        self.assertEqual(refused.exception.code, 403)
        self.assertEqual(self.site.d("--as", "lan", "case", "history", number), before)

    def test_a_stale_form_is_refused_and_the_current_state_shown(self):
        self.sign_in("lan")
        number = self.open_critique("2027-06-30")
        # Someone else comments after this page was loaded.
        self.site.d("--as", "hung", "case", "comment", number, "Ý kiến của Thường trực")
        self.by_id("comment").send_keys("Ý kiến muộn")
        self.submit(self.by_id("do-comment"))
        self.assertIn("Hồ sơ đã thay đổi", self.text_of("refused"))
        self.assertIn("Ý kiến của Thường trực", self.text_of("changes"))
        self.assertEqual(self.by_id("comment").get_attribute("value"), "Ý kiến muộn")  # kept as typed
        history = self.site.d("--as", "lan", "case", "history", number)
        self.assertNotIn("Ý kiến muộn", history)

    def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(self):
        answers = []
        for user in ["lan", "khong-co-ai"]:
            self.go("/sign-in")
            self.by_id("user").send_keys(user)
            self.by_id("password").send_keys("sai-mat-khau")
            self.submit(self.by_id("sign-in"))
            answers.append(self.text_of("problem"))
        self.assertEqual(answers[0], answers[1])
        self.assertIn("không đúng", answers[0])
        self.go("/inbox")
        self.assertIn("/sign-in", self.browser.current_url)

    def test_search_finds_a_case_without_diacritics(self):
        self.sign_in("lan")
        number = self.open_critique("2027-07-31")
        self.go("/search?q=nuoc+sach")
        self.assertIn(number, self.text_of("hits"))

    def test_the_workflow_and_report_pages_show_the_graph_and_the_figures(self):
        self.sign_in("lan")
        self.go("/workflows/social-critique")
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "#graph svg g.stage")), 13)
        self.assertIn("Thường trực", self.text_of("transitions"))
        self.go("/reports?period=2026-H2&unit=ninh-binh&rollup=1")
        self.assertIn("ninh-binh", self.text_of("report"))

    def test_an_officer_checks_then_imports_the_committees_spreadsheet(self):
        self.sign_in("lan")
        self.go("/cases")
        self.submit(self.by_id("import"))
        sheet = os.path.join(self.site.folder, "so-theo-doi.csv")
        mapping = os.path.join(ROOT, "docs/examples/import-mapping.json")

        def write_sheet(second_date):
            with open(sheet, "w", encoding="utf-8") as out:
                out.write("Số hồ sơ,Tên dự thảo,Đơn vị,Ngày nhận,Ngày trình,Cơ quan chủ trì soạn thảo,Hình thức\n"
                          "PB-11/2026,Dự thảo Kế hoạch chuyển đổi số,Tỉnh Ninh Bình,02/03/2026,31/12/2026,"
                          "Sở Khoa học và Công nghệ,Hội nghị\n"
                          f"PB-12/2026,Dự thảo Đề án du lịch cộng đồng,Tỉnh Ninh Bình,{second_date},30/12/2026,"
                          "Sở Du lịch,Đối thoại\n")

        def send(button):
            Select(self.by_id("workflow")).select_by_value("social-critique")
            self.by_id("file").send_keys(sheet)
            self.by_id("mapping").send_keys(mapping)
            self.submit(self.by_id(button))

        # A date that does not exist: the check names its row and column, and nothing is stored.
        write_sheet("31/02/2026")
        send("do-check")
        refused = self.text_of("refused")
        self.assertIn("Có lỗi nên chưa nhập gì", refused)
        self.assertIn('row 3, column D "Ngày nhận"', refused)
        write_sheet("27/02/2026")
        send("do-check")
        self.assertIn("Số hồ sơ sẽ được nhập: 2", self.text_of("checked"))
        send("do-import")
        self.assertIn("Đã nhập số hồ sơ: 2", self.text_of("done"))
        self.go("/cases?unit=ninh-binh")
        self.assertIn("Dự thảo Đề án du lịch cộng đồng", self.browser.page_source)

    def test_an_administrator_adds_a_user_who_then_signs_in(self):
        self.sign_in("quan-tri")
        self.go("/admin")
        self.by_id("nu-id").send_keys("mai")
        self.by_id("nu-name").send_keys("Lê Thị Mai")
        Select(self.by_id("nu-unit")).select_by_value("gia-vien")
        Select(self.by_id("nu-role")).select_by_value("officer")
        self.submit(self.by_id("do-add-user"))
        self.assertEqual(self.text_of("done"), "Đã thêm người dùng.")
        self.by_id("p-mai").send_keys(PASSWORD)
        self.submit(self.browser.find_element(By.CSS_SELECTOR, "#user-mai form[action$='/password'] button"))
        self.assertEqual(self.text_of("done"), "Đã đặt mật khẩu.")
        self.submit(self.by_id("sign-out"))
        self.sign_in("mai")
        self.assertEqual(self.text_of("who"), "Lê Thị Mai")
        self.go("/admin")  # not an administrator
        self.assertIn("quản trị viên", self.text_of("message"))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
