// The audit over HTTP and what the server does with a database changed behind its back: a
// document whose bytes were replaced is not served, a file SQLite calls malformed takes no
// write (503 storage_corrupt), and one verification runs at a time while case reads go on.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "server_fixture.h"
#include "store/database.h"

namespace docket::server_test {
namespace {

class AuditApiTest : public ServerTest {};

TEST_F(AuditApiTest, ADocumentWhoseBytesWereReplacedIsNotServedUnderItsHash) {
  const std::string number = open_critique();
  ASSERT_EQ(upload("lan", number, "draft", "du-thao.pdf", "%PDF-1.4 bản gốc").status, 200);
  ASSERT_EQ(get("lan", "/api/v1/cases/" + number + "/documents/draft/1").status, 200);
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    ASSERT_EQ(db.exec("UPDATE blobs SET content = CAST('%PDF-1.4 bản giả' AS BLOB)"), 1);
  }
  const Reply served = get("lan", "/api/v1/cases/" + number + "/documents/draft/1");
  EXPECT_TRUE(is_error(served, 500, "integrity")) << served;
  EXPECT_EQ(served.body.find("bản giả"), std::string::npos) << served;
  const Reply verified = get("admin", "/api/v1/audit/verify");
  EXPECT_EQ(verified.status, 200) << verified;
  EXPECT_EQ(verified.number("/ok"), 0) << verified;
  EXPECT_EQ(verified.at("/case"), number) << verified;
}

TEST_F(AuditApiTest, AWriteIntoAFileSqliteCallsMalformedIs503StorageCorrupt) {
  open_critique();
  restart([this](server::ServerOptions&) {
    // open_case_counts: written when a case opens, read by nothing the server does at start.
    std::int64_t page = 0, page_size = 0;
    {
      SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      page = db.execAndGet("SELECT rootpage FROM sqlite_schema WHERE name = 'open_case_counts'").getInt64();
      page_size = db.execAndGet("PRAGMA page_size").getInt64();
    }
    std::FILE* file = std::fopen(db_path_.c_str(), "r+b");
    ASSERT_NE(file, nullptr);
    std::fseek(file, static_cast<long>((page - 1) * page_size), SEEK_SET);
    std::fwrite(std::string(16, '\xff').data(), 1, 16, file);
    std::fclose(file);
  });
  const std::int64_t cases_before = SQLite::Database(db_path_).execAndGet("SELECT COUNT(*) FROM cases").getInt64();
  const Reply opened = post("lan", "/api/v1/cases",
                            R"({"workflow":"social-critique","unit":"ninh-binh","title":"Vào tệp hỏng",)"
                            R"("fields":{"submission_date":"2026-06-30","drafting_body":"so-ld"}})");
  EXPECT_TRUE(is_error(opened, 503, "storage_corrupt")) << opened;
  EXPECT_NE(opened.at("/error/message").find("restore the latest backup"), std::string::npos) << opened;
  EXPECT_EQ(SQLite::Database(db_path_).execAndGet("SELECT COUNT(*) FROM cases").getInt64(), cases_before);
}

// Two auditors ask at once, again and again: while one verification runs, the other is answered
// 409 verify_running at once, and a case read sent then is answered before the running one ends.
TEST_F(AuditApiTest, OneVerificationAtATimeWhileCaseReadsAreAnswered) {
  const std::string number = open_critique();
  {
    auto workspace = Workspace::open(DatabaseOptions{db_path_, false, 5000, false}, clock_);
    ASSERT_TRUE(workspace.ok()) << workspace.error().message;
    const Status seeded = (*workspace)->database().write([&]() -> Status {
      for (int i = 0; i < 3000; ++i) {
        auto opened = (*workspace)
                          ->cases()
                          .open("social-critique", "lan",
                                OpenCase{"",
                                         "Dự thảo số " + std::to_string(i),
                                         "ninh-binh",
                                         {{"submission_date", "2026-06-30"}, {"drafting_body", "so-ld"}}});
        if (!opened) return opened.error();
      }
      return Ok{};
    });
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
  }
  restart([](server::ServerOptions& options) { options.long_read_threads = 2; });
  int refused = 0, read_meanwhile = 0;
  for (int round = 0; round < 20 && read_meanwhile == 0; ++round) {
    std::atomic<int> verifies_done{0};
    std::atomic<bool> go{false};
    std::vector<Reply> replies(2);
    std::vector<std::thread> auditors;
    for (int i = 0; i < 2; ++i) {
      auditors.emplace_back([&, i] {
        HttpClient client(port(), std::chrono::seconds{300});
        while (!go.load()) std::this_thread::yield();
        replies[static_cast<std::size_t>(i)] = client.get("/api/v1/audit/verify", token("admin"));
        if (replies[static_cast<std::size_t>(i)].status == 409) {
          // The other verification is running now: a case read is answered before it ends.
          const Reply read = client.get("/api/v1/cases/" + number, token("lan"));
          EXPECT_EQ(read.status, 200) << read;
          if (verifies_done.load() == 0) ++read_meanwhile;
        }
        ++verifies_done;
      });
    }
    go = true;
    for (auto& auditor : auditors) auditor.join();
    for (const Reply& reply : replies) {
      if (reply.status == 409) {
        ++refused;
        EXPECT_TRUE(is_error(reply, 409, "verify_running")) << reply;
        EXPECT_EQ(reply.header("retry-after"), "5") << reply;
      } else {
        EXPECT_EQ(reply.status, 200) << reply;
        EXPECT_EQ(reply.number("/ok"), 1) << reply;
      }
    }
  }
  EXPECT_GT(refused, 0) << "two verifications never ran at once, or both were answered";
  EXPECT_GT(read_meanwhile, 0) << "no case read was answered while a verification ran";
  EXPECT_EQ(get("admin", "/api/v1/audit/verify").status, 200) << "the one-at-a-time flag stayed set";
}

}  // namespace
}  // namespace docket::server_test
