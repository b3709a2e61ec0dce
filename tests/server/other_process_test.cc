// What the server keeps between requests (case readings and their JSON, tokens, roles, the
// writer's cases, roles and log tip) never hides a commit made by another process: here the
// real `docket` binary changes the database under a running, warmed-up server.
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace docket::server_test {
namespace {

class OtherProcessTest : public ServerTest {
 protected:
  // Reads the case several times over fresh connections, so that each I/O thread has read and
  // rendered it and every reader keeps it.
  void warm(const std::string& user, const std::string& number) {
    for (int i = 0; i < 4; ++i) {
      HttpClient fresh(port());
      EXPECT_EQ(fresh.get("/api/v1/cases/" + number, token(user)).status, 200);
      EXPECT_EQ(fresh.get("/api/v1/cases?limit=5", token(user)).status, 200);
    }
  }
};

TEST_F(OtherProcessTest, ACaseChangedByAnotherProcessIsReadAndChangedFurtherFromWhatItCommitted) {
  const std::string number = open_critique();
  ASSERT_FALSE(number.empty());
  warm("lan", number);
  const std::string before = etag("lan", number);

  const Ran commented = docket({"--as", "lan", "case", "comment", number, "Ý kiến từ dòng lệnh"});
  ASSERT_EQ(commented.exit_code, 0) << commented.out;

  for (int i = 0; i < 4; ++i) {  // every I/O thread, with its kept reading and JSON
    HttpClient fresh(port());
    const Reply read = fresh.get("/api/v1/cases/" + number, token("lan"));
    ASSERT_EQ(read.status, 200) << read;
    EXPECT_NE(read.header("etag"), before) << "connection " << i << " answered the reading from before the commit";
  }
  const std::vector<std::string> types = event_types(number);
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.back(), "comment.added");

  // The writer kept the case and the log's newest event from its last command: its next command
  // must build on the other process's event, or the version and the hash chains break.
  EXPECT_EQ(act("lan", number, "comments", R"({"text":"Ý kiến qua API"})").status, 200);
  const Ran verified = docket({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
  EXPECT_EQ(event_types(number).size(), types.size() + 1);
}

TEST_F(OtherProcessTest, ATokenRevokedByAnotherProcessIsRefusedAtOnce) {
  ASSERT_EQ(get("so-tc", "/api/v1/cases?limit=5").status, 200);
  ASSERT_EQ(get("so-tc", "/api/v1/cases?limit=5").status, 200);
  const Ran revoked = docket({"user", "revoke", "so-tc"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.out;
  for (int i = 0; i < 4; ++i) {
    HttpClient fresh(port());
    EXPECT_EQ(fresh.get("/api/v1/cases?limit=5", token("so-tc")).status, 401) << "connection " << i;
  }
}

TEST_F(OtherProcessTest, ARoleGrantedByAnotherProcessLetsTheUserReadAndAct) {
  const std::string number = open_critique();
  ASSERT_FALSE(number.empty());
  // hl-can-bo works at hoa-lu: a province case is not theirs, for the readers and the writer.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get("hl-can-bo", "/api/v1/cases/" + number).status, 404);
  EXPECT_EQ(post("hl-can-bo", "/api/v1/cases/" + number + "/comments", R"({"text":"x"})", etag("lan", number)).status,
            404);

  const Ran granted =
      docket({"user", "add", "hl-can-bo", "--name", "Cán bộ Hoa Lư", "--unit", "ninh-binh", "--role", "officer"});
  ASSERT_EQ(granted.exit_code, 0) << granted.out;

  for (int i = 0; i < 4; ++i) {
    HttpClient fresh(port());
    EXPECT_EQ(fresh.get("/api/v1/cases/" + number, token("hl-can-bo")).status, 200) << "connection " << i;
  }
  EXPECT_EQ(act("hl-can-bo", number, "comments", R"({"text":"Đã được giao"})").status, 200);
}

}  // namespace
}  // namespace docket::server_test
