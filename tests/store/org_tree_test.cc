// The org tree changing over time as its users rely on it: a renamed, moved, closed or merged
// unit keeps its earlier forms for the days they held, its cases stay, and no case is opened
// at a unit that is closed or merged.
#include <gtest/gtest.h>

#include "core/time.h"
#include "store_fixture.h"

namespace docket::testing {
namespace {

Date day(const char* text) { return *parse_date(text); }

class OrgTreeTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    directory_ = std::make_unique<Directory>(*db_, clock_);
  }

  // The unit's form in the tree of `on`.
  UnitForm form_on(const char* on, const std::string& unit) {
    for (UnitForm& form : directory_->tree_on(day(on)).value()) {
      if (form.id == unit) return form;
    }
    ADD_FAILURE() << "no unit " << unit << " on " << on;
    return {};
  }
  Status open_at(const std::string& unit) {
    auto opened =
        store_->open("supervision", "lan",
                     OpenCase{"", "Giám sát", unit, {{"subject", "Hộ nghèo"}, {"supervised_body", "UBND xã"}}});
    return opened ? Status{Ok{}} : Status{opened.error()};
  }

  std::unique_ptr<Directory> directory_;
};

TEST_F(OrgTreeTest, ARenameHoldsFromItsDayAndTheOldNameBefore) {
  ASSERT_TRUE(directory_->rename_unit("gia-vien", "Ủy ban MTTQ xã Gia Viễn mới", day("2026-01-01")).ok());
  EXPECT_EQ(form_on("2025-12-31", "gia-vien").name, "Ủy ban MTTQ xã Gia Viễn");
  EXPECT_EQ(form_on("2026-01-01", "gia-vien").name, "Ủy ban MTTQ xã Gia Viễn mới");
  EXPECT_EQ(directory_->unit("gia-vien").value().name, "Ủy ban MTTQ xã Gia Viễn mới");
  EXPECT_EQ(directory_->unit_history("gia-vien").value().size(), 2u);
}

TEST_F(OrgTreeTest, AMoveChangesTheParentFromItsDayOn) {
  ASSERT_TRUE(directory_->add_unit({"gia-vien-huyen", "Ủy ban MTTQ huyện Gia Viễn", "district", "ninh-binh"}).ok());
  ASSERT_TRUE(directory_->move_unit("gia-vien", "gia-vien-huyen", day("2026-02-01")).ok());
  EXPECT_EQ(form_on("2026-01-31", "gia-vien").parent, "ninh-binh");
  EXPECT_EQ(form_on("2026-02-01", "gia-vien").parent, "gia-vien-huyen");
  EXPECT_EQ(directory_->subtree("gia-vien-huyen").value(), (std::vector<std::string>{"gia-vien-huyen", "gia-vien"}));
}

TEST_F(OrgTreeTest, AUnitCannotMoveUnderItselfOrBelowIt) {
  const Status moved = directory_->move_unit("ninh-binh", "gia-vien", day("2026-02-01"));
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(moved.error().message.find("itself or below it"), std::string::npos) << moved.error().message;
}

TEST_F(OrgTreeTest, ChangesTakeEffectNeitherInTheFutureNorBeforeTheLastOne) {
  const Status future = directory_->rename_unit("gia-vien", "X", day("2026-03-03"));  // the clock says 2026-03-02
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.error().message.find("after today (2026-03-02)"), std::string::npos) << future.error().message;
  ASSERT_TRUE(directory_->rename_unit("gia-vien", "Y", day("2026-02-01")).ok());
  const Status earlier = directory_->rename_unit("gia-vien", "Z", day("2026-01-15"));
  ASSERT_FALSE(earlier.ok());
  EXPECT_NE(earlier.error().message.find("last changed on 2026-02-01"), std::string::npos) << earlier.error().message;
}

TEST_F(OrgTreeTest, AClosedUnitKeepsItsCasesButTakesNoNewOnes) {
  ASSERT_TRUE(directory_->add_user("lan", "Nguyễn Thị Lan", "gia-vien", {"officer"}).ok());
  ASSERT_TRUE(open_at("gia-vien").ok());
  const Status refused = directory_->close_unit("ninh-binh", day("2026-03-01"));  // gia-vien is open below it
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("open units below it (gia-vien)"), std::string::npos)
      << refused.error().message;
  ASSERT_TRUE(directory_->close_unit("gia-vien", day("2026-03-01")).ok());
  EXPECT_FALSE(directory_->is_open("gia-vien").value());
  const Status opened = open_at("gia-vien");
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("no case can be opened there"), std::string::npos) << opened.error().message;
  CaseFilter filter;
  filter.units = {"gia-vien"};
  EXPECT_EQ(store_->list(filter).value().size(), 1u);
  EXPECT_FALSE(directory_->rename_unit("gia-vien", "X", day("2026-03-02")).ok());  // closed: it no longer changes
}

TEST_F(OrgTreeTest, AMergeNamesAnOpenUnitOtherThanItself) {
  ASSERT_TRUE(directory_->add_unit({"hoa-lu", "Ủy ban MTTQ phường Hoa Lư", "commune", "ninh-binh"}).ok());
  EXPECT_FALSE(directory_->merge_unit("hoa-lu", "hoa-lu", day("2026-03-01")).ok());
  EXPECT_EQ(directory_->merge_unit("hoa-lu", "khong-co", day("2026-03-01")).error().code, ErrorCode::not_found);
  ASSERT_TRUE(directory_->merge_unit("gia-vien", "hoa-lu", day("2026-03-01")).ok());
  EXPECT_EQ(form_on("2026-03-01", "gia-vien").merged_into, "hoa-lu");
  EXPECT_EQ(form_on("2026-02-28", "gia-vien").status, "open");
  const Status into_merged = directory_->merge_unit("hoa-lu", "gia-vien", day("2026-03-02"));
  ASSERT_FALSE(into_merged.ok());
  EXPECT_NE(into_merged.error().message.find("merged into \"hoa-lu\""), std::string::npos)
      << into_merged.error().message;
}

}  // namespace
}  // namespace docket::testing
