// docket help [COMMAND...] and docket completion bash: both read the command tree itself
// (command_tree.h), so a new command is in the help and the completion without more work.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <memory>

#include "app.h"
#include "command_tree.h"

namespace docket::cli {
namespace {

// Prints the help of the command `words` name under `app`, as `docket WORDS... --help` does; an
// unknown word is a usage error that names the nearest command.
void print_help(Context& context, const CLI::App& app, const std::vector<std::string>& words) {
  const CLI::App* command = &app;
  std::string name = app.get_name();
  for (const std::string& word : words) {
    const auto found = commands_of(*command);
    const auto named =
        std::find_if(found.begin(), found.end(), [&](const CLI::App* sub) { return sub->get_name() == word; });
    if (named == found.end()) {
      context.err << "docket: usage: " << unknown_command(*command, word) << "\n";
      context.exit_code = kExitUsage;
      return;
    }
    command = *named;
    name += " " + word;
  }
  // Through the formatter: App::help() would print the help of the command being run (help).
  context.out << command->get_formatter()->make_help(command, name, CLI::AppFormatMode::Normal);
}

}  // namespace

void add_help_commands(CLI::App& app, Context& context) {
  auto words = std::make_shared<std::vector<std::string>>();
  CLI::App* help = app.add_subcommand("help", "Print the help of docket, or of a command: docket help case move");
  help->add_option("command", *words, "The command and its sub-commands");
  help->callback([&context, &app, words] { print_help(context, app, *words); });

  auto shell = std::make_shared<std::string>();
  CLI::App* completion =
      app.add_subcommand("completion", "Print a completion script for the shell: source <(docket completion bash)");
  completion->add_option("shell", *shell, "The shell (bash)")->required()->check(CLI::IsMember({"bash"}));
  completion->callback([&context, &app, shell] {
    if (*shell == "bash") context.out << bash_completion(app);
  });
}

}  // namespace docket::cli
