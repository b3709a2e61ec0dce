// Who may read a case (core/read_access.h): the unit's members, the outside parties a case
// names, the read_below roles above the unit, and administrators; nobody else.
#include "core/read_access.h"

#include <gtest/gtest.h>

#include "test_workflow.h"

namespace docket {
namespace {

using testing::label;
using testing::test_workflow;

// The test workflow with an outside party ("body", named by the party field "addressee") and a
// role that reads the units below ("board").
WorkflowDefinition readable_workflow() {
  WorkflowDefinition definition = test_workflow();
  definition.permissions.outside_parties = {"body"};
  definition.permissions.read_below = {"board"};
  definition.fields.push_back(FieldDefinition{"addressee", label("Addressee"), FieldType::party, false, {}});
  return definition;
}

class ReadAccessTest : public ::testing::Test {
 protected:
  ReadAccessTest() {
    case_.number = "TF-2026-0001";
    case_.workflow_id = definition_.id;
    case_.workflow_version = definition_.version;
    case_.unit = "gia-vien";
    case_.fields = {{"addressee", "so-ld"}, {"reviewer", "so-tc"}};
  }
  bool reads(const ReaderFacts& reader) const { return may_read(definition_, case_, reader); }

  WorkflowDefinition definition_ = readable_workflow();
  Case case_;
};

TEST_F(ReadAccessTest, AMemberOfTheCasesUnitReadsIt) {
  EXPECT_TRUE(reads({"lan", false, {"officer"}, {}}));
  EXPECT_TRUE(reads({"lan", false, {"body", "board"}, {}}));  // one of the workflow's own roles is enough
}

TEST_F(ReadAccessTest, NobodyElseReadsIt) {
  EXPECT_FALSE(reads({"lan", false, {}, {}}));
  EXPECT_FALSE(reads({"lan", false, {}, {"officer"}}));  // officer above the unit: not a read_below role
}

TEST_F(ReadAccessTest, AnOutsidePartyReadsOnlyTheCasesWhosePartyFieldNamesIt) {
  EXPECT_TRUE(reads({"so-ld", false, {"body"}, {}}));
  EXPECT_FALSE(reads({"so-kh", false, {"body"}, {}}));
  // A user field naming them is not a party field.
  EXPECT_FALSE(reads({"so-tc", false, {"body"}, {}}));
}

TEST_F(ReadAccessTest, ARoleOnlyAnotherWorkflowDeclaresReadsAsAnOutsideParty) {
  // A drafting body looking at a supervision case: the role means nothing to this workflow.
  EXPECT_TRUE(reads({"so-ld", false, {"drafting_body"}, {}}));
  EXPECT_FALSE(reads({"so-kh", false, {"drafting_body"}, {}}));
}

TEST_F(ReadAccessTest, APartyHoldingNoRoleAtTheUnitDoesNotReadTheCasesThatNameIt) {
  EXPECT_FALSE(reads({"so-ld", false, {}, {}}));
  EXPECT_FALSE(reads({"so-ld", false, {}, {"body"}}));
}

TEST_F(ReadAccessTest, AReadBelowRoleAboveTheUnitReadsIt) {
  EXPECT_TRUE(reads({"chu-tich", false, {}, {"board"}}));
  EXPECT_TRUE(reads_from_above(definition_, {"officer", "board"}));
  EXPECT_FALSE(reads_from_above(definition_, {"officer", "body"}));
}

TEST_F(ReadAccessTest, AnAdministratorReadsEveryCase) { EXPECT_TRUE(reads({"quan-tri", true, {}, {}})); }

TEST_F(ReadAccessTest, TheRuleInPartsGivesTheSameAnswers) {
  EXPECT_TRUE(reads_at_unit(definition_, case_, "lan", {"officer"}));
  EXPECT_TRUE(reads_at_unit(definition_, case_, "so-ld", {"body"}));
  EXPECT_FALSE(reads_at_unit(definition_, case_, "so-kh", {"body"}));
  EXPECT_FALSE(reads_at_unit(definition_, case_, "so-ld", {}));
}

TEST_F(ReadAccessTest, ARoleNamedAboveReadsTheCasesOfTheUnitDirectlyBelow) {
  definition_.transitions[1].roles = {"officer@above"};  // approve: the officer of the unit above
  EXPECT_TRUE(reads({"tra", false, {}, {"officer"}, {"officer"}}));
  EXPECT_FALSE(reads({"tra", false, {}, {"officer"}, {}}));  // held further up: not the parent
  EXPECT_TRUE(acts_from_above(definition_, {"officer"}));
  EXPECT_FALSE(acts_from_above(definition_, {"body"}));
}

TEST_F(ReadAccessTest, TheHoldersOfTheRoleACaseIsEscalatedToReadItWhileItStands) {
  const ReaderFacts province_board{"tinh", false, {}, {}, {}, {"officer"}};
  EXPECT_FALSE(reads(province_board));
  case_.deadline = CaseDeadline{"draft", "2026-05-10", {}, true, "officer", "ninh-binh"};
  EXPECT_TRUE(reads(province_board));
  EXPECT_FALSE(reads({"tinh", false, {}, {}, {}, {"body"}}));  // another role there
}

TEST(ActsBelowInAny, NamesTheAboveAndEscalatedRolesAndTheRolesCasesEscalateTo) {
  WorkflowCatalog catalog;
  WorkflowDefinition definition = readable_workflow();
  definition.transitions[1].roles = {"officer@above"};
  definition.stages[0].deadline->escalate_after = 0;
  definition.stages[0].deadline->escalate_to = "board";
  ASSERT_TRUE(catalog.add(definition).ok());
  EXPECT_TRUE(acts_below_in_any(catalog, "officer"));
  EXPECT_TRUE(acts_below_in_any(catalog, "board"));
  EXPECT_FALSE(acts_below_in_any(catalog, "body"));
}

TEST(ReadsBelowInAny, AsksTheLatestVersionOfEachWorkflow) {
  WorkflowCatalog catalog;
  WorkflowDefinition first = readable_workflow();
  WorkflowDefinition second = readable_workflow();
  second.version = 2;
  second.permissions.read_below = {"officer"};
  ASSERT_TRUE(catalog.add(first).ok());
  ASSERT_TRUE(catalog.add(second).ok());
  EXPECT_TRUE(reads_below_in_any(catalog, "officer"));
  EXPECT_FALSE(reads_below_in_any(catalog, "board"));  // only version 1 lets the board read below
  EXPECT_FALSE(reads_below_in_any(WorkflowCatalog{}, "officer"));
}

}  // namespace
}  // namespace docket
