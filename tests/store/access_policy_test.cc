// Who may read which case (store/access_policy.h) over the built-in workflows and a real
// directory, and CaseStore::execute_as_reader, which refuses a reader who may not read a case
// as if it did not exist.
#include "store/access_policy.h"

#include "store_fixture.h"

namespace docket {
namespace {

class AccessPolicyTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    directory_ = std::make_unique<Directory>(*db_, clock_);
    policy_ = std::make_unique<AccessPolicy>(*directory_, catalog_);
    Directory& directory = *directory_;
    ASSERT_TRUE(directory.add_user("gv-can-bo", "Đinh Văn Bình", "gia-vien", {"officer"}).ok());
    ASSERT_TRUE(directory.add_user("so-tc", "Sở Tài chính", "ninh-binh", {"drafting_body"}).ok());
    for_so_ld_ = open_case("lan", "ninh-binh", "so-ld");
    for_so_tc_ = open_case("lan", "ninh-binh", "so-tc");
    at_gia_vien_ = open_case("gv-can-bo", "gia-vien", "so-ld");
  }

  void TearDown() override {
    policy_.reset();
    directory_.reset();
    StoreTest::TearDown();
  }

  Case open_case(const std::string& user, const std::string& unit, const std::string& drafting_body) {
    auto opened = store_->open(
        "social-critique", user,
        OpenCase{"", "Dự thảo", unit, {{"submission_date", "2026-06-30"}, {"drafting_body", drafting_body}}});
    if (!opened) ADD_FAILURE() << opened.error().message;
    return opened ? opened.value() : Case{};
  }
  Reader reader(const std::string& user) { return policy_->reader(user).value(); }
  bool reads(const std::string& user, const Case& current) { return policy_->can_read(reader(user), current); }

  std::unique_ptr<Directory> directory_;
  std::unique_ptr<AccessPolicy> policy_;
  Case for_so_ld_, for_so_tc_, at_gia_vien_;
};

TEST_F(AccessPolicyTest, MembersReadTheirUnitsCasesAndTheProvinceReadsTheCommunes) {
  EXPECT_TRUE(reads("lan", for_so_ld_));
  EXPECT_TRUE(reads("lan", at_gia_vien_));  // department_head reads below
  EXPECT_TRUE(reads("chu-tich", at_gia_vien_));
  EXPECT_TRUE(reads("gv-can-bo", at_gia_vien_));
  EXPECT_FALSE(reads("gv-can-bo", for_so_ld_));  // the province is above, not below
}

TEST_F(AccessPolicyTest, ADraftingBodyReadsOnlyTheCasesAtItsUnitThatNameIt) {
  EXPECT_TRUE(reads("so-ld", for_so_ld_));
  EXPECT_FALSE(reads("so-ld", for_so_tc_));
  EXPECT_TRUE(reads("so-tc", for_so_tc_));
  EXPECT_FALSE(reads("so-ld", at_gia_vien_));  // named, but it holds no role at the commune
}

TEST_F(AccessPolicyTest, AnAdministratorReadsEveryCaseAndEveryUnit) {
  EXPECT_FALSE(reader("gv-can-bo").admin);
  ASSERT_TRUE(directory_->set_admin("gv-can-bo", true).ok());
  EXPECT_TRUE(reader("gv-can-bo").admin);
  EXPECT_TRUE(reads("gv-can-bo", for_so_ld_));
  EXPECT_EQ(policy_->readable_units(reader("gv-can-bo")), std::nullopt);
}

TEST_F(AccessPolicyTest, ReadableUnitsAreWhereTheUserHoldsRolesAndBelowWhereTheyReadBelow) {
  using Units = std::optional<std::vector<std::string>>;
  EXPECT_EQ(policy_->readable_units(reader("chu-tich")), (Units{{"gia-vien", "ninh-binh"}}));
  EXPECT_EQ(policy_->readable_units(reader("so-ld")), (Units{{"ninh-binh"}}));
  EXPECT_EQ(policy_->readable_units(reader("gv-can-bo")), (Units{{"gia-vien"}}));
  EXPECT_EQ(policy_->readable_units(Reader{"nobody", false}), (Units{std::vector<std::string>{}}));
}

TEST_F(AccessPolicyTest, AnUnknownUserIsNoReader) {
  const auto nobody = policy_->reader("nobody");
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.error().code, ErrorCode::not_found);
  EXPECT_NE(nobody.error().message.find("nobody"), std::string::npos) << nobody.error().message;
}

TEST_F(AccessPolicyTest, AReaderWhoMayNotReadACaseMayNotChangeItAndLearnsNothingOfIt) {
  const Reader so_ld = reader("so-ld");
  const auto refused =
      store_->execute_as_reader(so_ld, for_so_tc_.number, {AddComment{"Ý kiến"}}, for_so_tc_.version, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(is_unknown_case(refused.error(), for_so_tc_.number)) << refused.error().message;
  // The same words as for a case that is not there, even with a stale version.
  const auto missing = store_->execute_as_reader(so_ld, "PB-2026-9999", {AddComment{"Ý kiến"}}, 1, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, unknown_case("PB-2026-9999").message);
  const auto stale = store_->execute_as_reader(so_ld, for_so_tc_.number, {AddComment{"Ý kiến"}}, 99, {});
  EXPECT_TRUE(!stale.ok() && is_unknown_case(stale.error(), for_so_tc_.number));
  EXPECT_EQ(store_->get(for_so_tc_.number).value().version, for_so_tc_.version) << "nothing was written";
}

TEST_F(AccessPolicyTest, AReaderWhoMayReadACaseIsRefusedByTheWorkflowOnly) {
  // The province's standing board reads the commune's case but holds no role there.
  const auto refused = store_->execute_as_reader(reader("chu-tich"), at_gia_vien_.number, {AddComment{"Tỉnh"}},
                                                 at_gia_vien_.version, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::role_not_allowed) << refused.error().message;
  const auto stale = store_->execute_as_reader(reader("gv-can-bo"), at_gia_vien_.number, {AddComment{"Xã"}}, 99, {});
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::conflict);
  const auto commented =
      store_->execute_as_reader(reader("gv-can-bo"), at_gia_vien_.number, {AddComment{"Xã"}}, at_gia_vien_.version, {});
  ASSERT_TRUE(commented.ok()) << commented.error().message;
  EXPECT_EQ(commented->version, at_gia_vien_.version + 1);
}

}  // namespace
}  // namespace docket
