// A small workflow built in code for the core's unit tests: every kind of guard appears once.
//
//   draft --submit(sets kind)--> review --approve(requires doc "report", field "reviewer",
//   kind in {full})--> answering --finish(all answered)--> done;  review --reject--> draft;
//   * --cancel--> cancelled
#pragma once

#include "core/workflow.h"

namespace docket::testing {

inline Label label(const char* en) { return Label{std::string("vi: ") + en, en}; }

inline WorkflowDefinition test_workflow(int version = 1) {
  WorkflowDefinition def;
  def.id = "test-flow";
  def.version = version;
  def.title = label("Test flow");
  def.case_prefix = "TF";
  def.roles = {{"officer", label("Officer")}, {"board", label("Board")}, {"body", label("Outside body")}};
  def.document_kinds = {{"report", label("Report")}, {"reply", label("Reply")}};
  // open, assign, comment, set_fields, attach, recommend, answer, issue, read_below, outside_parties
  def.permissions = {{"officer"},
                     {"board"},
                     {"officer", "board"},
                     {"officer"},
                     {"officer", "body"},
                     {"board"},
                     {"body", "officer"},
                     {"board"},
                     {},
                     {}};
  FieldDefinition due{"due_date", label("Due"), FieldType::date, true, {}};
  FieldDefinition kind{
      "kind", label("Kind"), FieldType::enumeration, false, {{"full", label("Full")}, {"short", label("Short")}}};
  FieldDefinition reviewer{"reviewer", label("Reviewer"), FieldType::user, false, {}};
  FieldDefinition households{"households", label("Households"), FieldType::integer, false, {}};
  FieldDefinition notes{"notes", label("Notes"), FieldType::long_text, false, {}};
  def.fields = {due, kind, reviewer, households, notes};
  def.stages = {{"draft", label("Draft"), true, false, DeadlineSpec{}},
                {"review", label("Review"), false, false, std::nullopt},
                {"answering", label("Answering"), false, false, std::nullopt},
                {"done", label("Done"), false, true, std::nullopt},
                {"cancelled", label("Cancelled"), false, true, std::nullopt}};
  TransitionDefinition submit{"submit", label("Submit"), false, {"draft"}, "review", {"officer"}, {}, {"kind"}};
  TransitionDefinition approve{"approve", label("Approve"), false, {"review"}, "answering", {"board"}, {}, {}};
  approve.requires_.fields = {"reviewer"};
  approve.requires_.documents = {"report"};
  approve.requires_.field_values = {{"kind", {"full"}}};
  TransitionDefinition reject{"reject", label("Reject"), false, {"review"}, "draft", {"board"}, {}, {}};
  TransitionDefinition finish{"finish", label("Finish"), false, {"answering"}, "done", {"board"}, {}, {}};
  finish.requires_.all_recommendations_answered = true;
  TransitionDefinition cancel{"cancel", label("Cancel"), true, {}, "cancelled", {"board"}, {}, {}};
  def.transitions = {submit, approve, reject, finish, cancel};
  return def;
}

}  // namespace docket::testing
