#include "command_tree.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string_view>

namespace docket::cli {
namespace {

// Optimal string alignment distance: inserting, deleting or replacing a letter, or swapping two
// neighbours ("caes" for "case"), costs 1.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t replace = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, replace});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

// The words that lead to `command`: "case move" for docket case move, "" for docket itself.
std::string path_of(const CLI::App& command) {
  std::string path;
  for (const CLI::App* level = &command; level->get_parent() != nullptr; level = level->get_parent()) {
    path = path.empty() ? level->get_name() : level->get_name() + " " + path;
  }
  return path;
}

std::string root_name(const CLI::App& command) {
  const CLI::App* root = &command;
  while (root->get_parent() != nullptr) root = root->get_parent();
  return root->get_name();
}

// "docket case" for the case command.
std::string full_name(const CLI::App& command) {
  const std::string path = path_of(command);
  return path.empty() ? root_name(command) : root_name(command) + " " + path;
}

std::string command_list(const CLI::App& level) {
  std::string list;
  for (const CLI::App* command : commands_of(level)) list += (list.empty() ? "" : ", ") + command->get_name();
  return list;
}

// The commands of `level` nearest to `word`, when any is near: at most two edits away, and
// fewer edits than the word has letters.
std::vector<std::string> nearest_commands(const CLI::App& level, const std::string& word) {
  std::vector<std::string> nearest;
  std::size_t best = std::min<std::size_t>(3, word.size());
  for (const CLI::App* command : commands_of(level)) {
    const std::size_t distance = edit_distance(word, command->get_name());
    if (distance < best) {
      nearest.clear();
      best = distance;
    }
    if (distance == best) nearest.push_back(command->get_name());
  }
  return nearest;
}

// Each level of the tree: its path, commands, options (its own and those of the levels above,
// which may follow a command), and the options that take a value.
struct Level {
  std::string path;
  std::vector<std::string> commands, options, valued;
};

void collect_levels(const CLI::App& command, Level inherited, std::vector<Level>& levels) {
  Level level{path_of(command), {}, std::move(inherited.options), std::move(inherited.valued)};
  for (const CLI::Option* option : command.get_options()) {
    if (!option->nonpositional()) continue;  // an argument, not an option
    std::vector<std::string> names;
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
    for (const std::string& name : names) {
      if (std::find(level.options.begin(), level.options.end(), name) != level.options.end()) continue;
      level.options.push_back(name);
      if (option->get_expected_max() > 0) level.valued.push_back(name);  // 0: a flag
    }
  }
  for (const CLI::App* sub : commands_of(command)) level.commands.push_back(sub->get_name());
  levels.push_back(level);
  for (const CLI::App* sub : commands_of(command)) collect_levels(*sub, level, levels);
}

std::string words(const std::vector<std::string>& list) {
  std::string text;
  for (const std::string& word : list) text += (text.empty() ? "" : " ") + word;
  return text;
}

// A bash function `name` that echoes the words `pick` gives for the level named by its argument.
void write_table(std::ostream& out, const std::string& name, const std::vector<Level>& levels,
                 const std::vector<std::string> Level::*pick) {
  out << name << "() {\n  case \"$1\" in\n";
  for (const Level& level : levels) out << "    '" << level.path << "') echo '" << words(level.*pick) << "' ;;\n";
  out << "  esac\n}\n";
}

constexpr const char* kCompletionFunction = R"bash(
# Completes the word under the cursor: an option after "-", else a command of the level the
# words before it reached ("docket help" completes commands as "docket" does); nothing (so bash
# offers file names) for the value of an option or an argument.
_docket() {
  local cur="${COMP_WORDS[COMP_CWORD]}" path="" word i skip=0
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="${COMP_WORDS[i]}"
    if ((skip)); then
      skip=0
      continue
    fi
    case "$word" in
      --*=*) ;;
      -*) [[ " $(_docket_valued "$path") " == *" $word "* ]] && skip=1 ;;
      *)
        [[ -z "$path" && "$word" == help ]] && continue
        [[ " $(_docket_commands "$path") " == *" $word "* ]] && path="${path:+$path }$word"
        ;;
    esac
  done
  ((skip)) && return 0
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_docket_options "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_docket_commands "$path")" -- "$cur"))
  fi
  return 0
}
complete -o default -F _docket docket
)bash";

}  // namespace

std::vector<const CLI::App*> commands_of(const CLI::App& command) {
  return command.get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty() && !sub->get_disabled(); });
}

std::string unknown_command(const CLI::App& level, const std::string& word) {
  const std::string path = path_of(level);
  const std::string prefix = path.empty() ? "" : path + " ";
  std::string line = "unknown command " + quoted(prefix + word);
  const std::vector<std::string> nearest = nearest_commands(level, word);
  if (nearest.empty()) return line + "; the commands of " + quoted(full_name(level)) + " are " + command_list(level);
  line += "; did you mean ";
  for (std::size_t i = 0; i < nearest.size(); ++i) line += (i == 0 ? "" : " or ") + quoted(prefix + nearest[i]);
  return line + "?";
}

std::optional<std::string> command_problem(const CLI::App& app, const CLI::ParseError& problem, int argc,
                                           const char* const* argv) {
  if (dynamic_cast<const CLI::RequiredError*>(&problem) == nullptr &&
      dynamic_cast<const CLI::ExtrasError*>(&problem) == nullptr)
    return std::nullopt;
  // The commands CLI11 recognised, outermost first, and the first word it could not place.
  std::vector<const CLI::App*> chain{&app};
  for (auto picked = app.get_subcommands(); !picked.empty(); picked = chain.back()->get_subcommands())
    chain.push_back(picked.front());
  const std::vector<std::string> left = app.remaining(true);
  if (!left.empty() && left.front().rfind('-', 0) == 0) return std::nullopt;  // an unknown option comes first
  // The level the word was given at: the recognised commands that come before it on the line.
  std::size_t depth = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!left.empty() && arg == left.front()) break;
    if (depth < chain.size() && arg == chain[depth]->get_name()) ++depth;
  }
  const CLI::App& level = *chain[depth - 1];
  if (commands_of(level).empty()) return std::nullopt;  // an argument too many, not a command
  if (!left.empty()) return unknown_command(level, left.front());
  if (depth < chain.size()) return std::nullopt;
  return quoted(full_name(level)) + " needs a command: " + command_list(level);
}

std::string bash_completion(const CLI::App& app) {
  std::vector<Level> levels;
  collect_levels(app, Level{}, levels);
  std::ostringstream out;
  out << "# bash completion for " << app.get_name() << ", generated by `" << app.get_name()
      << " completion bash` from its command tree.\n"
      << "# Load it into this shell:   source <(" << app.get_name() << " completion bash)\n"
      << "# or for every new shell:    " << app.get_name()
      << " completion bash > ~/.local/share/bash-completion/completions/" << app.get_name() << "\n\n"
      << "# The commands, the options and the options that take a value, by the command path before them.\n";
  write_table(out, "_docket_commands", levels, &Level::commands);
  write_table(out, "_docket_options", levels, &Level::options);
  write_table(out, "_docket_valued", levels, &Level::valued);
  out << kCompletionFunction;
  return out.str();
}

}  // namespace docket::cli
