// docket audit keygen|checkpoint, and the checkpoints half of `audit verify`: signed witnesses of
// the audit chains kept outside the database (store/checkpoint.h; docs/audit.md).
#include "checkpoint_commands.h"

#include <sys/stat.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>

#include "command_support.h"
#include "core/text.h"
#include "store/checkpoint.h"
#include "store/signing_key.h"

namespace docket::cli {
namespace {

namespace fs = std::filesystem;

struct KeygenOptions {
  std::string out;
  std::string name = "checkpoint";
};

struct CheckpointOptions {
  std::string key;
  std::string out;
  std::string unit;
};

Status keygen(Context& context, const KeygenOptions& options) {
  std::error_code problem;
  if (fs::create_directories(options.out, problem); problem)
    return make_error(ErrorCode::storage,
                      "cannot make the folder " + in_quotes(options.out) + ": " + problem.message());
  const fs::path private_file = fs::path(options.out) / (options.name + ".key");
  const fs::path public_file = fs::path(options.out) / (options.name + ".pub");
  if (Status made = generate_key_pair(private_file, public_file); !made) return made;
  auto key = PublicKey::load(public_file);
  if (!key) return key.error();
  print_record(context.out,
               {{"private_key", private_file.string()}, {"public_key", public_file.string()}, {"key", key->hex()}},
               context.format, context.style);
  return Ok{};
}

Status checkpoint(Context& context, Workspace& workspace, const CheckpointOptions& options) {
  auto key = SigningKey::load(options.key);
  if (!key) return key.error();
  auto unit = signing_unit(workspace.directory(), options.unit);
  if (!unit) return unit.error();
  auto issued = issue_checkpoint(workspace, *key, unit->id, options.out);
  if (!issued) return issued.error();
  const Checkpoint& made = issued->written.checkpoint;
  print_record(context.out,
               {{"file", issued->written.file.string()},
                {"unit", made.unit},
                {"at", made.at},
                {"log_seq", std::to_string(made.log_seq)},
                {"admin_seq", std::to_string(made.admin_seq)},
                {"cases", std::to_string(made.cases.size())},
                {"queued", std::to_string(issued->queued)}},
               context.format, context.style);
  return Ok{};
}

// The checkpoint files of `folder`, in name order (time order). Errors: not_found, invalid_argument.
Result<std::vector<fs::path>> checkpoint_files(const std::string& folder) {
  std::error_code problem;
  if (!fs::is_directory(folder, problem))
    return make_error(ErrorCode::not_found, "no checkpoint folder " + in_quotes(folder));
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder, problem)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.starts_with("checkpoint-") && name.ends_with(".json"))
      files.push_back(entry.path());
  }
  if (files.empty())
    return make_error(ErrorCode::invalid_argument, "no checkpoint files (checkpoint-*.json) in " + in_quotes(folder));
  std::sort(files.begin(), files.end());
  return files;
}

std::string signature_problem(const Checkpoint& checkpoint, const PublicKey& key, const std::string& key_file) {
  if (signature_valid(checkpoint, key)) return "";
  std::string problem = "its signature does not verify with the public key " + in_quotes(key_file);
  if (checkpoint.key != key.hex()) problem += " (it names another key, " + checkpoint.key + ")";
  return problem + ": it was changed after signing, or signed by another key";
}

}  // namespace

Status verify_checkpoints(Context& context, Workspace& workspace, const std::string& folder,
                          const std::string& public_key_file) {
  std::optional<PublicKey> key;
  if (!public_key_file.empty()) {
    auto loaded = PublicKey::load(public_key_file);
    if (!loaded) return loaded.error();
    key = *loaded;
  }
  auto files = checkpoint_files(folder);
  if (!files) return files.error();
  for (const fs::path& file : *files) {
    auto text = read_file_content(file.string());
    if (!text) return text.error();
    auto parsed = parse_checkpoint(*text);
    if (!parsed)
      return make_error(ErrorCode::invalid_argument,
                        "checkpoint " + in_quotes(file.string()) + ": " + parsed.error().message);
    std::string chain, problem;
    if (key) problem = signature_problem(*parsed, *key, public_key_file);
    if (problem.empty()) {
      auto checked = check_checkpoint(workspace.database(), *parsed);
      if (!checked) return checked.error();
      chain = checked->chain + ": ";
      problem = checked->problem;
    }
    if (!problem.empty()) {
      context.err << "docket: audit_broken: checkpoint " << file.string() << ": " << chain << problem << "\n";
      context.exit_code = kExitRefused;
      return Ok{};
    }
  }
  const std::string checked = std::to_string(files->size());
  if (context.format == OutputFormat::table) {
    context.out << checked << " checkpoints verified"
                << (key ? "" : " (their signatures not checked: give --public-key)") << "\n";
    return Ok{};
  }
  print_record(context.out, {{"checkpoints_verified", checked}, {"signatures_checked", key ? "true" : "false"}},
               context.format, context.style);
  return Ok{};
}

void add_checkpoint_commands(CLI::App& audit, Context& context) {
  auto keygen_options = std::make_shared<KeygenOptions>();
  CLI::App* keygen_command =
      audit.add_subcommand("keygen", "Make an Ed25519 key pair for signing checkpoints (never overwrites a key)");
  keygen_command->add_option("--out", keygen_options->out, "Folder for NAME.key (mode 0600) and NAME.pub")->required();
  keygen_command->add_option("--name", keygen_options->name, "File name of the pair, without extension")
      ->capture_default_str();
  keygen_command->callback([&context, keygen_options] {
    if (const Status made = keygen(context, *keygen_options); !made) report(context, made.error());
  });

  auto options = std::make_shared<CheckpointOptions>();
  CLI::App* command = audit.add_subcommand(
      "checkpoint",
      "Sign the heads of every audit chain and write a checkpoint file into a folder; with --notifications, "
      "queue it for the level above (an audit.checkpoint rule, docs/notifications.md)");
  command->add_option("--key", options->key, "The unit's private key (from audit keygen)")->required();
  command->add_option("--out", options->out, "Folder of checkpoint files (made if missing)")->required();
  command->add_option("--unit", options->unit, "The unit that signs (default: the root of the organisation tree)");
  command->callback([&context, options] {
    with_workspace(context, [&](Workspace& workspace) { return checkpoint(context, workspace, *options); });
  });
}

}  // namespace docket::cli
