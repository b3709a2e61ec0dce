// A full disk under a running server, as an operator meets it: the database lives on a real
// tmpfs of a few MiB, and a file fills what is left. A write is refused with 507 storage_full
// and stores nothing; reads, and search over what was indexed, go on being answered; once space
// is freed, writes succeed again without a restart and the history verifies.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "server_fixture.h"

namespace docket::server_test {
namespace {

class DiskFullTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    client_.reset();
    server_.reset();
    disk_ = folder_ / "disk";
    std::filesystem::create_directory(disk_);
    if (::mount("tmpfs", disk_.c_str(), "tmpfs", 0, "size=24m") != 0)
      GTEST_SKIP() << "mounting a tmpfs needs root (CAP_SYS_ADMIN): " << std::strerror(errno);
    mounted_ = true;
    for (const char* suffix : {"", "-wal"}) {
      const std::filesystem::path from = db_path_.string() + suffix;
      if (std::filesystem::exists(from)) std::filesystem::copy_file(from, disk_ / ("docket.db" + std::string(suffix)));
    }
    db_path_ = disk_ / "docket.db";
    restart();
  }

  void TearDown() override {
    client_.reset();
    server_.reset();
    if (mounted_) ::umount2(disk_.c_str(), MNT_DETACH);
    ServerTest::TearDown();
  }

  // Writes a file until the disk refuses more.
  void fill() {
    const int fd = ::open((disk_ / "filler").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0) << std::strerror(errno);
    const std::string block(64 * 1024, 'x');
    while (::write(fd, block.data(), block.size()) > 0) {
    }
    const int full = errno;
    ::close(fd);
    ASSERT_EQ(full, ENOSPC) << std::strerror(full);
  }

  Reply open(const std::string& title) {
    return post("lan", "/api/v1/cases",
                R"({"workflow":"social-critique","unit":"ninh-binh","title":)" + quoted(title) +
                    R"(,"fields":{"submission_date":"2026-06-30","drafting_body":"so-ld"}})");
  }

  std::size_t found(const std::string& words) {
    const Reply reply = get("lan", "/api/v1/search?q=" + words);
    EXPECT_EQ(reply.status, 200) << reply;
    const rapidjson::Document body = reply.json();
    return body.IsObject() && body.HasMember("items") ? body["items"].Size() : 0;
  }

  std::filesystem::path disk_;
  bool mounted_ = false;
};

TEST_F(DiskFullTest, WritesAre507WhileReadsAndSearchGoOnAndAllWorksAgainOnceSpaceIsFreed) {
  const std::string number = open_critique();
  ASSERT_FALSE(number.empty());
  EXPECT_EQ(found("giam+ngheo"), 1u);
  // A comment by another process leaves the case to be indexed by the next search (which may
  // still find room in the WAL SQLite reuses after a checkpoint).
  const Ran commented = docket({"--as", "lan", "case", "comment", number, "Nước sạch nông thôn"});
  ASSERT_EQ(commented.exit_code, 0) << commented.out;
  const std::size_t events = event_types(number).size();

  fill();
  const Reply refused = open("Kế hoạch phát triển du lịch");
  EXPECT_TRUE(is_error(refused, 507, "storage_full")) << refused;
  EXPECT_NE(refused.at("/error/message").find("the disk holding the database is full"), std::string::npos) << refused;
  EXPECT_TRUE(is_error(upload("lan", number, "draft", "du-thao.pdf", std::string(1 << 20, 'p')), 507, "storage_full"));
  EXPECT_TRUE(is_error(act("lan", number, "comments", R"({"text":"Ý kiến khi đĩa đầy"})"), 507, "storage_full"));

  const Ran by_hand = docket({"--as", "lan", "case", "comment", number, "Ý kiến từ dòng lệnh"});
  EXPECT_EQ(by_hand.exit_code, 5) << by_hand.out;
  EXPECT_NE(by_hand.out.find("storage_full: the disk holding the database is full"), std::string::npos) << by_hand.out;

  EXPECT_EQ(get("lan", "/api/v1/cases/" + number).status, 200);
  EXPECT_EQ(event_types(number).size(), events);
  EXPECT_EQ(found("giam+ngheo"), 1u);  // searched as indexed, whether or not the catch-up found room

  ASSERT_TRUE(std::filesystem::remove(disk_ / "filler"));
  const Reply opened = open("Kế hoạch phát triển du lịch");
  EXPECT_EQ(opened.status, 201) << opened;
  EXPECT_EQ(act("lan", number, "comments", R"({"text":"Ý kiến khi đĩa trống"})").status, 200);
  EXPECT_EQ(event_types(number).size(), events + 1);
  EXPECT_EQ(found("nuoc+sach"), 1u);
  EXPECT_EQ(found("du+lich"), 1u);

  client_.reset();
  server_.reset();
  const Ran verified = docket({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
}

}  // namespace
}  // namespace docket::server_test
