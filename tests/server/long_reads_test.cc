// Long reads (reports, the audit, lists of every due case) run on threads and a queue of their
// own: while they run, case reads, short lists and writes keep being answered.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "server_fixture.h"
#include "store/database.h"

namespace docket::server_test {
namespace {

constexpr const char* kProvinceRollup = "/api/v1/reports?period=2026-H1&unit=ninh-binh&rollup=true";

class LongReadsTest : public ServerTest {
 protected:
  // Opens `count` critique cases spread over the three units, in one transaction.
  void seed_cases(int count) {
    auto workspace = Workspace::open(DatabaseOptions{db_path_, false, 5000, false}, clock_);
    ASSERT_TRUE(workspace.ok()) << workspace.error().message;
    const std::pair<const char*, const char*> openers[] = {
        {"ninh-binh", "lan"}, {"gia-vien", "gv-can-bo"}, {"hoa-lu", "hl-can-bo"}};
    const Status seeded = (*workspace)->database().write([&]() -> Status {
      for (int i = 0; i < count; ++i) {
        const auto& [unit, officer] = openers[i % 3];
        auto opened = (*workspace)
                          ->cases()
                          .open("social-critique", officer,
                                OpenCase{"",
                                         "Dự thảo số " + std::to_string(i),
                                         unit,
                                         {{"submission_date", "2026-06-30"}, {"drafting_body", "so-ld"}}});
        if (!opened) return opened.error();
      }
      return Ok{};
    });
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
  }
};

// Many province roll-ups are queued on the one long reader. Once the first is answered the
// others are still queued or running; the case read, the list, the history and the comment sent
// then are all answered while most of the reports are still to come. (A roll-up counts kept
// facts, a few microseconds a case: 40 roll-ups of 12,000 cases keep the long reader busy.)
TEST_F(LongReadsTest, CaseReadsListsAndWritesAreAnsweredWhileReportsRun) {
  const std::string number = open_critique();
  seed_cases(12000);
  constexpr int kReports = 40;
  restart([](server::ServerOptions& options) {
    options.long_read_threads = 1;
    options.max_queued_long_reads = kReports;
  });
  std::atomic<int> reports_answered{0};
  std::vector<std::thread> reporters;
  for (int i = 0; i < kReports; ++i) {
    reporters.emplace_back([&] {
      HttpClient client(port(), std::chrono::seconds{300});
      const Reply report = client.get(kProvinceRollup, token("chu-tich"));
      EXPECT_EQ(report.status, 200) << report;
      ++reports_answered;
    });
  }
  while (reports_answered.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds{1});

  EXPECT_EQ(get("lan", "/api/v1/cases/" + number).status, 200);
  const Reply page = get("lan", "/api/v1/cases?limit=5");
  EXPECT_EQ(page.status, 200) << page;
  EXPECT_EQ(page.number("/items"), 5);
  EXPECT_EQ(get("lan", "/api/v1/cases/" + number + "/history").status, 200);
  EXPECT_EQ(act("lan", number, "comments", R"({"text":"Trong khi báo cáo chạy"})").status, 200);
  const int answered_meanwhile = reports_answered.load();

  for (auto& reporter : reporters) reporter.join();
  // On the readers, the list and the history would have waited behind the queued reports.
  EXPECT_LE(answered_meanwhile, kReports / 2) << "the short requests waited for the reports";
  EXPECT_EQ(reports_answered.load(), kReports);
}

// The long readers' queue has a limit of its own: beyond it a long read is refused with 429,
// and reads and lists that are not long are still answered.
TEST_F(LongReadsTest, ALongReadBeyondItsOwnQueueIs429WhileShortReadsAreAnswered) {
  const std::string number = open_critique();
  restart([](server::ServerOptions& options) { options.max_queued_long_reads = 0; });
  EXPECT_TRUE(is_error(get("chu-tich", kProvinceRollup), 429, "too_many_requests"));
  EXPECT_TRUE(is_error(get("admin", "/api/v1/audit/export"), 429, "too_many_requests"));
  EXPECT_TRUE(is_error(get("admin", "/api/v1/audit/verify"), 429, "too_many_requests"));
  EXPECT_TRUE(is_error(get("lan", "/api/v1/cases?overdue=true"), 429, "too_many_requests"));
  EXPECT_TRUE(is_error(get("lan", "/api/v1/cases?due_within=3d"), 429, "too_many_requests"));
  EXPECT_EQ(get("lan", "/api/v1/cases?limit=5").status, 200);
  EXPECT_EQ(get("lan", "/api/v1/cases/" + number + "/history").status, 200);
  EXPECT_EQ(act("lan", number, "comments", R"({"text":"Vẫn ghi được"})").status, 200);
}

}  // namespace
}  // namespace docket::server_test
