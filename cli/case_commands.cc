// docket case open|assign|unassign|move|comment|set|attach|recommend|answer: commands that change a
// case. Each runs as one transaction in the store; --expect-version makes it conditional on
// the case not having changed since the caller read it.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>

#include "app.h"
#include "case_list.h"
#include "case_view.h"
#include "command_support.h"
#include "workspace/value_warnings.h"

namespace docket::cli {
namespace {

// What every changing command names: the case, and optionally the version it expects.
struct CaseTarget {
  std::string number;
  std::int64_t expect_version = -1;  // -1: not given
};

// The commands (and the files) one invocation asks the store to run together.
struct Change {
  std::vector<Command> commands;
  std::vector<Upload> uploads;
};

// Builds the change once the database is open (it may look things up there).
using ChangeBuilder = std::function<Result<Change>(Workspace&)>;

void add_target_options(CLI::App& command, CaseTarget& target) {
  command.add_option("number", target.number, "Case number, e.g. PB-2026-0001")->required();
  command
      .add_option("--expect-version", target.expect_version,
                  "Refuse (conflict) unless the case is still at this version")
      ->check(CLI::NonNegativeNumber);
}

// Values the commands gave that deserve a second look (a workspace date already past, a party
// who is not a user), on stderr.
void warn_about_values(Context& context, Workspace& workspace, const Case& changed,
                       const std::vector<Command>& commands) {
  for (const auto& warning : value_warnings(workspace, changed, commands))
    context.err << "warning: " << changed.number << ": " << warning << "\n";
}

// Builds the change, then runs it on the case as the acting user and prints the new state.
void run_change(Context& context, const CaseTarget& target, const ChangeBuilder& build) {
  const std::string& user = require_acting_user(context);
  with_workspace(context, [&](Workspace& workspace) -> Status {
    auto change = build(workspace);
    if (!change) return change.error();
    const auto expected =
        target.expect_version >= 0 ? std::optional<std::int64_t>(target.expect_version) : std::nullopt;
    auto changed = workspace.cases().execute(target.number, user, change->commands, expected, change->uploads);
    if (!changed) return changed.error();
    print_case_summary(context, workspace.catalog(), *changed);
    warn_about_values(context, workspace, *changed, change->commands);
    return Ok{};
  });
}

// Registers a changing sub-command whose options live in `options` (a CaseTarget and more).
template <typename Options>
CLI::App* add_change_command(CLI::App& cases, Context& context, const char* name, const char* description,
                             std::shared_ptr<Options> options, Result<Change> (*build)(const Options&, Workspace&)) {
  CLI::App* command = cases.add_subcommand(name, description);
  add_target_options(*command, *options);
  command->callback([&context, options, build] {
    run_change(context, *options, [&](Workspace& workspace) { return build(*options, workspace); });
  });
  return command;
}

Change single(Command command) { return Change{{std::move(command)}, {}}; }

// The file at `path` as an upload; not_found naming the file when it does not exist.
Result<Upload> upload_of(const std::string& path) {
  auto content = read_file_content(path);
  if (!content) return content.error();
  const std::string file_name = std::filesystem::path(path).filename().string();
  return Upload{file_name, guess_media_type(file_name), std::move(*content)};
}

AttachDocument attachment_of(const Upload& upload, const std::string& kind) {
  return AttachDocument{kind, upload.file_name, upload.sha256(), static_cast<std::int64_t>(upload.content.size()),
                        upload.media_type};
}

struct OpenOptions {
  std::string workflow, unit, title;
  std::vector<std::string> fields;
};

void open_case(Context& context, const OpenOptions& options) {
  const std::string& user = require_acting_user(context);
  OpenCase command{"", options.title, options.unit, field_values(options.fields)};
  with_workspace(context, [&](Workspace& workspace) -> Status {
    auto opened = workspace.cases().open(options.workflow, user, command);
    if (!opened) return opened.error();
    if (context.format == OutputFormat::table) {
      context.out << opened->number << "\n";  // just the number, so scripts can capture it
    } else {
      print_case_summary(context, workspace.catalog(), *opened);
    }
    warn_about_values(context, workspace, *opened, {command});
    return Ok{};
  });
}

void add_open(CLI::App& cases, Context& context) {
  auto options = std::make_shared<OpenOptions>();
  CLI::App* command = cases.add_subcommand("open", "Open a case; prints its new number");
  command->add_option("workflow", options->workflow, "Workflow id, e.g. social-critique")->required();
  command->add_option("--unit", options->unit, "The organisation unit that owns the case")->required();
  command->add_option("--title", options->title, "The case title")->required();
  add_field_option(*command, options->fields, "A field value (repeat): --field submission_date=2026-06-30");
  command->callback([&context, options] { open_case(context, *options); });
}

struct AssignOptions : CaseTarget {
  std::string assignee;
};
struct MoveOptions : CaseTarget {
  std::string transition, comment;
  std::vector<std::string> fields;
};
struct FieldOptions : CaseTarget {
  std::vector<std::string> fields;
};
struct CommentOptions : CaseTarget {
  std::string text;
};
struct RecommendOptions : CaseTarget {
  std::string addressee, text;
};
struct AttachOptions : CaseTarget {
  std::string file, kind;
};
struct AnswerOptions : CaseTarget {
  int recommendation = 0;
  std::string status, text, file;
};

// The store looks the assignee up (not_found for an unknown user) and the workflow decides
// whether they may hold the case.
Result<Change> assign_to(const AssignOptions& options, Workspace&) {
  if (options.assignee.empty()) {
    return make_error(ErrorCode::invalid_argument, "assign needs a user; to leave case " + options.number +
                                                       " unassigned run: docket case unassign " + options.number);
  }
  return single(AssignCase{options.assignee, {}, {}});
}

Result<Change> unassign(const CaseTarget&, Workspace&) { return single(UnassignCase{}); }

Result<Change> move_along(const MoveOptions& options, Workspace&) {
  return single(MoveCase{options.transition, field_values(options.fields), options.comment});
}

Result<Change> set_fields(const FieldOptions& options, Workspace&) {
  return single(SetFields{field_values(options.fields)});
}

Result<Change> comment_on(const CommentOptions& options, Workspace&) { return single(AddComment{options.text}); }

Result<Change> recommend_to(const RecommendOptions& options, Workspace&) {
  return single(AddRecommendation{options.addressee, options.text});
}

Result<Change> attach(const AttachOptions& options, Workspace&) {
  auto upload = upload_of(options.file);
  if (!upload) return upload.error();
  Change change{{attachment_of(*upload, options.kind)}, {}};
  change.uploads.push_back(std::move(*upload));
  return change;
}

// With a reply file: the file is attached as kind "reply" and the answer points at its
// SHA-256, in the same transaction.
Result<Change> answer(const AnswerOptions& options, Workspace&) {
  AnswerRecommendation command{options.recommendation, options.status, options.text, ""};
  if (options.file.empty()) return single(command);
  auto reply = upload_of(options.file);
  if (!reply) return reply.error();
  command.reply_document = reply->sha256();
  Change change{{attachment_of(*reply, "reply"), command}, {}};
  change.uploads.push_back(std::move(*reply));
  return change;
}

void add_assign_move_set(CLI::App& cases, Context& context) {
  auto assign = std::make_shared<AssignOptions>();
  CLI::App* command = add_change_command(cases, context, "assign", "Assign the case to a user", assign, assign_to);
  command->add_option("user", assign->assignee, "The user who will handle the case")->required();

  auto unassign_target = std::make_shared<CaseTarget>();
  add_change_command(cases, context, "unassign", "Leave the case assigned to nobody", unassign_target, unassign);

  auto move = std::make_shared<MoveOptions>();
  command =
      add_change_command(cases, context, "move", "Move the case along a transition of its workflow", move, move_along);
  command->add_option("transition", move->transition, "Transition id, e.g. assign")->required();
  add_field_option(*command, move->fields, "A value the transition sets (repeat)");
  command->add_option("--comment", move->comment, "A comment recorded with the move");

  auto set = std::make_shared<FieldOptions>();
  command = add_change_command(cases, context, "set", "Set fields (an empty value clears one)", set, set_fields);
  add_field_option(*command, set->fields, "A field value (repeat)");
}

void add_comment_and_recommend(CLI::App& cases, Context& context) {
  auto comment = std::make_shared<CommentOptions>();
  CLI::App* command = add_change_command(cases, context, "comment", "Add a comment to the case", comment, comment_on);
  command->add_option("text", comment->text, "The comment")->required();

  auto recommend = std::make_shared<RecommendOptions>();
  command = add_change_command(cases, context, "recommend", "Make a numbered recommendation to a body", recommend,
                               recommend_to);
  command->add_option("--to", recommend->addressee, "The body that must answer")->required();
  command->add_option("text", recommend->text, "The recommendation")->required();
}

void add_attach_and_answer(CLI::App& cases, Context& context) {
  auto attach_options = std::make_shared<AttachOptions>();
  CLI::App* command = add_change_command(cases, context, "attach", "Attach a file to the case", attach_options, attach);
  command->add_option("file", attach_options->file, "The file to attach")->required();
  command->add_option("--kind", attach_options->kind, "Document kind, e.g. draft, critique, reply")->required();

  auto answer_options = std::make_shared<AnswerOptions>();
  command = add_change_command(cases, context, "answer", "Record a body's answer to a recommendation", answer_options,
                               answer);
  command->add_option("recommendation", answer_options->recommendation, "Recommendation number")->required();
  command->add_option("--status", answer_options->status, "The answer")
      ->required()
      ->check(CLI::IsMember({"accepted", "partly_accepted", "not_accepted"}));
  command->add_option("--text", answer_options->text, "The answer or explanation (required for not_accepted)");
  command->add_option("--file", answer_options->file, "The reply document; attached as kind \"reply\"");
}

}  // namespace

void add_case_commands(CLI::App& app, Context& context) {
  CLI::App* cases = app.add_subcommand("case", "Open, move and read cases (changes need --as)");
  cases->require_subcommand(1);
  cases->option_defaults()->always_capture_default(false);  // no "=-1" or "=[]" in the help
  add_open(*cases, context);
  add_assign_move_set(*cases, context);
  add_comment_and_recommend(*cases, context);
  add_attach_and_answer(*cases, context);
  add_case_list_command(*cases, context);
  add_recommendation_list_command(*cases, context);
  add_case_import_command(*cases, context);
  add_case_view_commands(*cases, context);
}

}  // namespace docket::cli
