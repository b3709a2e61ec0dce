#include "store/search_index.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/text.h"
#include "store/internal/search_tokenizer.h"
#include "store_fixture.h"

namespace docket {
namespace {

using testing::StoreTest;

class SearchIndexTest : public StoreTest {
 protected:
  // The numbers of the cases `text` finds, best first; fails the test when the query is refused.
  std::vector<std::string> found(const std::string& text, SearchQuery query = {}) {
    query.text = text;
    auto hits = SearchIndex(db_->sql()).search(query);
    if (!hits) {
      ADD_FAILURE() << text << ": " << hits.error().message;
      return {};
    }
    std::vector<std::string> numbers;
    for (const SearchHit& hit : *hits) numbers.push_back(hit.state.number);
    return numbers;
  }
  std::string snippet(const std::string& text) {
    auto hits = SearchIndex(db_->sql()).search(SearchQuery{.text = text});
    return hits && !hits->empty() ? hits->front().snippet : "";
  }
  void run(const Case& target, std::vector<Command> commands, std::vector<Upload> uploads = {}) {
    auto done = store_->execute(target.number, "lan", commands, std::nullopt, uploads);
    ASSERT_TRUE(done.ok()) << done.error().message;
  }
  Upload attach(const Case& target, const std::string& kind, const std::string& file_name, const std::string& content) {
    Upload upload{file_name, guess_media_type(file_name), content};
    run(target,
        {AttachDocument{kind, file_name, upload.sha256(), static_cast<std::int64_t>(content.size()),
                        upload.media_type}},
        {upload});
    return upload;
  }
  using Numbers = std::vector<std::string>;
};

TEST(FoldStrokedDTest, FoldsOnlyTheStrokedD) {
  EXPECT_EQ(fold_stroked_d("Đà Nẵng, đê điều"), "Dà Nẵng, dê diều");
  EXPECT_EQ(fold_stroked_d("giảm nghèo"), "giảm nghèo");
  EXPECT_EQ(fold_stroked_d("\xC4"), "\xC4");  // a cut character is kept as it is
}

TEST_F(SearchIndexTest, TheTokenizerFoldsDiacriticsCaseAndStrokedD) {
  EXPECT_EQ(search_tokens(db_->sql(), "Đề án GIẢM Nghèo, Đà Nẵng"),
            (Numbers{"de", "an", "giam", "ngheo", "da", "nang"}));
}

TEST_F(SearchIndexTest, FindsTitlesWithAndWithoutDiacritics) {
  const Case poverty = open_critique("Dự thảo Kế hoạch giảm nghèo bền vững 2026-2030");
  const Case roads = open_critique("Dự thảo Đề án phát triển giao thông nông thôn");
  EXPECT_EQ(found("giam ngheo"), Numbers{poverty.number});
  EXPECT_EQ(found("giảm nghèo"), Numbers{poverty.number});
  EXPECT_EQ(found("GIẢM   NGHÈO"), Numbers{poverty.number});
  EXPECT_EQ(found("nong thon"), Numbers{roads.number});
  EXPECT_EQ(found("ngheo*"), Numbers{poverty.number});
  EXPECT_EQ(found("ngh*"), Numbers{poverty.number});
  EXPECT_EQ(found("ngh"), Numbers{});  // a prefix only with *
  EXPECT_EQ(snippet("giam ngheo"), "Dự thảo Kế hoạch «giảm» «nghèo» bền vững 2026-2030");
}

TEST_F(SearchIndexTest, StrokedDAndDMatchEachOther) {
  const Case scheme = open_critique("Đề án đê điều Đà Nẵng");
  const Case plain = open_critique("Kế hoạch dân vận");
  EXPECT_EQ(found("de an"), Numbers{scheme.number});
  EXPECT_EQ(found("Đề Án"), Numbers{scheme.number});
  EXPECT_EQ(found("da nang"), Numbers{scheme.number});
  EXPECT_EQ(found("đân vận"), Numbers{plain.number});
  EXPECT_EQ(snippet("da nang"), "Đề án đê điều «Đà» «Nẵng»");
}

TEST_F(SearchIndexTest, EveryWordMustMatchAndTheTitleRanksFirst) {
  const Case in_comment = open_critique("Dự thảo Nghị quyết về an sinh xã hội");
  run(in_comment, {AddComment{"Cần bổ sung chỉ tiêu giảm nghèo đa chiều"}});
  const Case in_title = open_critique("Kế hoạch giảm nghèo bền vững");
  const Case one_word = open_critique("Kế hoạch giảm phát thải");
  EXPECT_EQ(found("giam ngheo"), (Numbers{in_title.number, in_comment.number}));
  const Numbers giam = found("giam");
  ASSERT_EQ(giam.size(), 3u);
  EXPECT_EQ(giam.back(), in_comment.number);  // a title match outweighs a comment match
  EXPECT_EQ(found("giam ngheo thai"), Numbers{});
  EXPECT_EQ(snippet("chi tieu"), "Cần bổ sung «chỉ» «tiêu» giảm nghèo đa chiều");
}

TEST_F(SearchIndexTest, TheWordAsWrittenRanksAboveItsNearHomographs) {
  // Inserted first, so that an order by insertion or by number would put them first.
  const Case supervision = open_critique("Giám sát việc bình xét hộ nghèo");
  const Case crooked = open_critique("Kế hoạch giảm ngõ nghẹo");
  const Case poverty = open_critique("Dự thảo Kế hoạch giảm nghèo bền vững");
  EXPECT_EQ(found("giảm nghèo").front(), poverty.number);
  EXPECT_EQ(found("giám sát nghèo"), (Numbers{supervision.number}));
  EXPECT_EQ(found("nghẹo").front(), crooked.number);
  // Without diacritics the query finds every spelling, as before.
  EXPECT_EQ(found("giam ngheo").size(), 3u);
  EXPECT_EQ(found("giảm nghèo").size(), 3u);  // folded matches still count, ranked below
}

TEST_F(SearchIndexTest, StrokedDAndTonesRankTheExactSpellingFirst) {
  const Case seat = open_critique("Dự thảo để án lại");
  const Case scheme = open_critique("Dự thảo đề án nông thôn mới");
  EXPECT_EQ(found("đề án").front(), scheme.number);
  EXPECT_EQ(found("để án").front(), seat.number);
  EXPECT_EQ(found("đề*").front(), scheme.number);  // a prefix written with its tone too
  EXPECT_EQ(found("de an").size(), 2u);
}

TEST_F(SearchIndexTest, AMarkTypedInTheQueryIsIgnored) {
  const Case poverty = open_critique("Kế hoạch giảm nghèo");
  EXPECT_EQ(found(std::string(kExactMark) + "giảm"), (Numbers{poverty.number}));
}

TEST_F(SearchIndexTest, FiltersByWorkflowUnitOpenAndUnits) {
  ASSERT_TRUE(Directory(*db_, clock_).add_user("xa", "Cán bộ xã", "gia-vien", {"officer"}).ok());
  const Case province = open_critique("Kế hoạch giảm nghèo tỉnh");
  auto commune = store_->open(
      "social-critique", "xa",
      OpenCase{
          "", "Kế hoạch giảm nghèo xã", "gia-vien", {{"submission_date", "2026-06-30"}, {"drafting_body", "UBND xã"}}});
  ASSERT_TRUE(commune.ok()) << commune.error().message;
  EXPECT_EQ(found("giam ngheo").size(), 2u);
  EXPECT_EQ(found("giam ngheo", SearchQuery{.unit = "gia-vien"}), Numbers{commune->number});
  EXPECT_EQ(found("giam ngheo", SearchQuery{.units = {"ninh-binh"}}), Numbers{province.number});
  EXPECT_EQ(found("giam ngheo", SearchQuery{.workflow = "supervision"}), Numbers{});
  run(province, {MoveCase{"withdraw", {{"end_reason", "Cơ quan soạn thảo rút dự thảo"}}, ""}});
  EXPECT_EQ(found("giam ngheo", SearchQuery{.open_only = true}), Numbers{commune->number});
  EXPECT_EQ(found("rut du thao"), Numbers{province.number});  // a field the transition set
  EXPECT_EQ(found("giam ngheo", SearchQuery{.offset = 0, .limit = 1}).size(), 1u);
  EXPECT_EQ(found("giam ngheo", SearchQuery{.offset = 1, .limit = 5}).size(), 1u);
}

TEST_F(SearchIndexTest, FollowsChangedFieldsCommentsAndRecommendations) {
  const Case critique = open_critique("Dự thảo Kế hoạch");
  run(critique, {SetFields{{{"document_title", "Quy hoạch vùng lũ"}}}});
  EXPECT_EQ(found("vung lu"), Numbers{critique.number});
  run(critique, {SetFields{{{"document_title", "Quy hoạch khu công nghiệp"}}}});
  EXPECT_EQ(found("vung lu"), Numbers{});  // the old value is gone
  EXPECT_EQ(found("khu cong nghiep"), Numbers{critique.number});
  run(critique, {AddComment{"Đề nghị lấy thêm ý kiến hợp tác xã"}});
  run(critique, {AddComment{"Đã gửi công văn"}});
  EXPECT_EQ(found("hop tac xa"), Numbers{critique.number});  // earlier comments stay
  EXPECT_EQ(found("cong van"), Numbers{critique.number});
  ASSERT_TRUE(
      store_->execute(critique.number, "chu-tich", {AddRecommendation{"so-ld", "Bổ sung hành lang thoát lũ"}}).ok());
  EXPECT_EQ(found("hanh lang"), Numbers{critique.number});
  issue_critique(critique.number);  // the drafting body answers an issued recommendation addressed to it
  ASSERT_TRUE(store_
                  ->execute(critique.number, "so-ld",
                            {AnswerRecommendation{1, "not_accepted", "Chưa bố trí được kinh phí", ""}})
                  .ok());
  EXPECT_EQ(found("kinh phi"), Numbers{critique.number});
}

TEST_F(SearchIndexTest, ARolledBackChangeIsNeverFound) {
  const Case critique = open_critique();
  auto refused =
      store_->execute(critique.number, "lan", {AddComment{"Ý kiến bị hủy"}, MoveCase{"no-such-transition", {}, ""}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(found("huy"), Numbers{});
}

// In a group commit the index is written once, just before COMMIT: what each request that
// committed changed is found, what a refused request tried is not.
TEST_F(SearchIndexTest, AGroupCommitIndexesWhatCommittedAndNothingOfARefusedRequest) {
  const Case dykes = open_critique("Dự thảo Đề án đê điều");
  const Case roads = open_critique("Dự thảo Đề án giao thông");
  const auto results = store_->execute_batch({
      {dykes.number, "lan", {AddComment{"Đề nghị gia cố kè sông Đáy"}}, std::nullopt, {}},
      {dykes.number, "lan", {AddComment{"Ý kiến bị hủy"}, MoveCase{"no-such-transition", {}, ""}}, std::nullopt, {}},
      {roads.number, "lan", {SetFields{{{"document_title", "Quy hoạch cầu dân sinh"}}}}, std::nullopt, {}},
      {dykes.number, "lan", {AddComment{"Bổ sung trạm bơm tiêu úng"}}, std::nullopt, {}},
  });
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_FALSE(results[1].ok());
  EXPECT_TRUE(results[2].ok());
  EXPECT_TRUE(results[3].ok());
  EXPECT_EQ(found("ke song Day"), Numbers{dykes.number});
  EXPECT_EQ(found("tram bom"), Numbers{dykes.number});  // two comments of one batch, both kept
  EXPECT_EQ(found("huy"), Numbers{});
  EXPECT_EQ(found("cau dan sinh"), Numbers{roads.number});
}

// A case opened by a request whose savepoint is rolled back gives its row id and number to the
// next case opened in the batch: the index must hold the case that committed.
TEST_F(SearchIndexTest, ACaseOpenedAndRolledBackInABatchLeavesNoTraceInTheIndex) {
  std::string withdrawn, kept;
  const auto statuses = db_->write_batch({
      [&]() -> Status {
        withdrawn = open_critique("Dự thảo quy chế chợ đêm").number;
        return make_error(ErrorCode::conflict, "the client gave up");
      },
      [&]() -> Status {
        kept = open_critique("Dự thảo đề án nước sạch nông thôn").number;
        return Ok{};
      },
  });
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_FALSE(statuses[0].ok());
  ASSERT_TRUE(statuses[1].ok()) << statuses[1].error().message;
  EXPECT_EQ(withdrawn, kept);  // the same number, given out twice: only the second stands
  EXPECT_EQ(found("cho dem"), Numbers{});
  EXPECT_EQ(found("nuoc sach"), Numbers{kept});
}

// The index is written from the state the last change of the batch saved, unless that change
// was rolled back: here a rolled-back comment and a committed transition give the case the same
// version, a second rolled-back comment is the last change, and only the transition stands.
TEST_F(SearchIndexTest, ARolledBackChangeFollowedByOneOfTheSameVersionIsNotIndexed) {
  const Case critique = open_critique("Dự thảo Đề án chợ nông thôn");
  // What "assign" needs.
  run(critique, {SetFields{{{"document_title", "Đề án chợ nông thôn"}, {"received_date", "2026-03-02"}}}});
  attach(critique, "draft", "du-thao.pdf", "%PDF-1.4 dự thảo");
  const auto statuses = db_->write_batch({
      [&]() -> Status {
        auto commented = store_->execute(critique.number, "lan", {AddComment{"Ý kiến bị hủy"}});
        if (!commented) return commented.error();
        return make_error(ErrorCode::conflict, "the client gave up");
      },
      [&]() -> Status {
        auto moved = store_->execute(critique.number, "chu-tich", {MoveCase{"assign", {}, ""}});
        return moved ? Status(Ok{}) : Status(moved.error());
      },
      [&]() -> Status {  // the batch's last change to the case, rolled back too
        auto commented = store_->execute(critique.number, "lan", {AddComment{"Cũng bị hủy"}});
        if (!commented) return commented.error();
        return make_error(ErrorCode::conflict, "the client gave up");
      },
  });
  ASSERT_EQ(statuses.size(), 3u);
  EXPECT_FALSE(statuses[0].ok());
  ASSERT_TRUE(statuses[1].ok()) << statuses[1].error().message;
  EXPECT_FALSE(statuses[2].ok());
  EXPECT_EQ(found("huy"), Numbers{});
  EXPECT_EQ(found("cho nong thon"), Numbers{critique.number});
}

TEST_F(SearchIndexTest, IndexesTheNewestPlainTextOrMarkdownVersionOfEachDocument) {
  const Case critique = open_critique("Dự thảo");
  attach(critique, "report", "bao-cao.md", "# Báo cáo\n\nTổng hợp ý kiến về **thủy lợi** nội đồng.\n");
  attach(critique, "other", "ghi-chu.txt", "Ghi chú: hạ tầng điện");
  attach(critique, "draft", "du-thao.pdf", "%PDF-1.4 kênh mương");
  EXPECT_EQ(found("thuy loi"), Numbers{critique.number});
  EXPECT_EQ(found("ha tang dien"), Numbers{critique.number});
  EXPECT_EQ(found("kenh muong"), Numbers{});  // not a text document
  EXPECT_NE(snippet("thuy loi").find("Tổng hợp ý kiến về **«thủy» «lợi»** nội đồng."), std::string::npos);
  attach(critique, "report", "bao-cao-2.md", "Báo cáo sửa đổi: nước sạch");
  EXPECT_EQ(found("thuy loi"), Numbers{});  // replaced by version 2
  EXPECT_EQ(found("nuoc sach"), Numbers{critique.number});
}

TEST_F(SearchIndexTest, AnyTypedTextIsAQueryOrAnErrorThatSaysWhatIsWrong) {
  const Case critique = open_critique("Kế hoạch \"giảm nghèo\" (AND) NEAR");
  EXPECT_EQ(found("\"giam"), Numbers{critique.number});
  EXPECT_EQ(found("giam\" OR"), Numbers{});  // OR is a word to find, not an operator
  EXPECT_EQ(found("(and) near( -"), Numbers{critique.number});
  EXPECT_EQ(found("ke-hoach"), Numbers{critique.number});  // one phrase: "ke hoach"
  EXPECT_EQ(found("hoach-ke"), Numbers{});
  SearchIndex index(db_->sql());
  const auto refused = [&](const std::string& text) {
    auto result = index.search(SearchQuery{.text = text});
    EXPECT_FALSE(result.ok()) << text;
    return result.ok() ? std::string() : to_string(result.error().code) + std::string(": ") + result.error().message;
  };
  EXPECT_EQ(refused(""),
            "invalid_argument: the search query is empty: give one or more words to look for, e.g. giam ngheo");
  EXPECT_EQ(refused("  \t "), refused(""));
  EXPECT_EQ(refused("-- «» *"), "invalid_argument: the search query \"-- «» *\" has no letters or digits to look for");
  EXPECT_NE(refused(std::string(501, 'a')).find("501 bytes long; the limit is 500"), std::string::npos);
  EXPECT_NE(refused("a b c d e f g h i j k l m n o p q").find("17 words; give at most 16"), std::string::npos);
  EXPECT_NE(refused("gi\xE1m").find("not valid UTF-8"), std::string::npos);
}

TEST_F(SearchIndexTest, ChangedCasesWaitForTheIndexInOneBatchAndASearchFindsThemAll) {
  const auto count = [&](const char* table) {
    return db_->sql().execAndGet(std::string("SELECT count(*) FROM ") + table).getInt();
  };
  const Case poverty = open_critique("Kế hoạch giảm nghèo");
  const Case roads = open_critique("Đề án giao thông");
  run(poverty, {AddComment{"Ý kiến Hội Nông dân"}});
  run(poverty, {AddComment{"Ý kiến Đoàn Thanh niên"}});
  attach(roads, "draft", "du-thao.pdf", "%PDF-1.4 giao thông");  // no searchable text changed
  // Committed, each case marked once however often it changed, and not indexed yet.
  EXPECT_EQ(count("search_pending"), 2);
  EXPECT_EQ(count("case_search"), 0);
  ASSERT_TRUE(SearchIndex::catch_up(*db_).ok());
  EXPECT_EQ(count("search_pending"), 0);
  EXPECT_EQ(count("case_search"), 2);
  EXPECT_EQ(found("hoi nong dan doan thanh nien"), Numbers{poverty.number});
  // A search indexes what is still pending before it looks.
  run(roads, {AddComment{"Đề nghị làm rõ nguồn vốn"}});
  EXPECT_EQ(count("search_pending"), 1);
  EXPECT_EQ(found("nguon von"), Numbers{roads.number});
  EXPECT_EQ(count("search_pending"), 0);
  // Nothing pending: catch_up writes nothing.
  const std::int64_t changes = sqlite3_total_changes(db_->sql().getHandle());
  ASSERT_TRUE(SearchIndex::catch_up(*db_).ok());
  EXPECT_EQ(sqlite3_total_changes(db_->sql().getHandle()), changes);
}

TEST_F(SearchIndexTest, AVersion4DatabaseIsMigratedAndItsCasesFound) {
  const Case critique = open_critique("Kế hoạch giảm nghèo");
  run(critique, {AddComment{"Ý kiến của Hội Nông dân"}});
  // Take the file back to schema 4: as it was before the index existed.
  store_.reset();
  db_->sql().exec("DROP TABLE case_search");
  db_->sql().exec("DROP TABLE search_pending");
  db_->sql().exec("PRAGMA user_version = 4");
  db_.reset();
  db_ = open_db();
  ASSERT_NE(db_, nullptr);
  EXPECT_EQ(db_->sql().execAndGet("PRAGMA user_version").getInt(), schema_version());
  store_ = std::make_unique<CaseStore>(*db_, catalog_, clock_);
  EXPECT_EQ(found("giam ngheo"), Numbers{critique.number});
  EXPECT_EQ(found("hoi nong dan"), Numbers{critique.number});
}

TEST_F(SearchIndexTest, AStorageFaultIsAnErrorNotAnException) {
  open_critique("Dự thảo Kế hoạch giảm nghèo");
  db_->sql().exec("ALTER TABLE search_pending RENAME TO gone_search_pending");
  for (SearchIndex index : {SearchIndex(*db_), SearchIndex(db_->sql())}) {
    const auto behind = index.behind();
    ASSERT_FALSE(behind.ok());
    EXPECT_EQ(behind.error().code, ErrorCode::storage) << behind.error().message;
    const auto hits = index.search(SearchQuery{.text = "giam ngheo"});
    ASSERT_FALSE(hits.ok());
    EXPECT_EQ(hits.error().code, ErrorCode::storage) << hits.error().message;
  }
  const Status caught_up = SearchIndex::catch_up(*db_);
  ASSERT_FALSE(caught_up.ok());
  EXPECT_EQ(caught_up.error().code, ErrorCode::storage) << caught_up.error().message;
}

}  // namespace
}  // namespace docket
