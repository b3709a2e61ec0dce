// What the CLI learns from its own CLI11 command tree rather than from a list kept by hand: the
// commands of each level, the nearest command to a mistyped word, and the bash completion
// script. Pure over the tree; not thread-safe (the tree is the invocation's).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace docket::cli {

// The named sub-commands of `command`, in the order they were added.
std::vector<const CLI::App*> commands_of(const CLI::App& command);

// `word` is not a command of `level`: the line that says so, naming the nearest command (the
// nearest ones, when they tie) when one is close to it, else listing the level's commands:
//   unknown command "case opne"; did you mean "case open"?
//   unknown command "xyz"; the commands of "docket" are workflow, demo, init, ...
std::string unknown_command(const CLI::App& level, const std::string& word);

// After CLI11 refused the command line `argv` with `problem`, the line that says why when the
// reason is an unknown command ("docket caes", "docket case opne") or a missing one ("docket
// case"), from what CLI11 recognised of the line under `app`; nullopt for any other reason (an
// unknown option, a missing argument), which CLI11's own message says best.
std::optional<std::string> command_problem(const CLI::App& app, const CLI::ParseError& problem, int argc,
                                           const char* const* argv);

// A bash completion script for `app`, the docket command tree: at each level, its commands and options
// (those of the levels above too, which may follow a command), skipping the value of an option
// that takes one; a value or an argument falls back to file names.
std::string bash_completion(const CLI::App& app);

}  // namespace docket::cli
