// docket user password USER [--stdin]: sets the password the user signs in to the web
// application with (store/sign_in.h). Asked twice at the terminal without echo, or read as one
// line from standard input; never taken from the command line, where other accounts see it.
#include <termios.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>

#include "app.h"
#include "command_support.h"
#include "store/sign_in.h"

namespace docket::cli {
namespace {

// Turns the terminal's echo off while it lives, and back to how it was after.
class EchoOff {
 public:
  EchoOff() : changed_(::tcgetattr(STDIN_FILENO, &saved_) == 0) {
    if (!changed_) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    changed_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (changed_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool changed_ = false;
};

// One line of standard input without its line ending; nullopt at the end of input.
std::optional<std::string> read_line() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The password typed at the terminal, twice. Errors: invalid_argument (no terminal, the two
// differ, input ended).
Result<std::string> prompt_twice(Context& context, const std::string& user) {
  if (::isatty(STDIN_FILENO) == 0) {
    return make_error(ErrorCode::invalid_argument,
                      "standard input is not a terminal: give the password on it with --stdin");
  }
  std::optional<std::string> first, second;
  {
    const EchoOff quiet;
    context.err << "New password for " << user << ": " << std::flush;
    first = read_line();
    context.err << "\nThe same again: " << std::flush;
    if (first) second = read_line();
    context.err << "\n";
  }
  if (!first || !second) return make_error(ErrorCode::invalid_argument, "no password was typed; nothing was changed");
  if (*first != *second)
    return make_error(ErrorCode::invalid_argument, "the two passwords differ; nothing was changed");
  return *first;
}

Result<std::string> stdin_password() {
  std::optional<std::string> line = read_line();
  if (!line) return make_error(ErrorCode::invalid_argument, "no password on standard input (one line expected)");
  return *line;
}

}  // namespace

void add_password_command(CLI::App& app, Context& context) {
  CLI::App* user = app.get_subcommand("user");
  auto id = std::make_shared<std::string>();
  auto from_stdin = std::make_shared<bool>(false);
  CLI::App* password = user->add_subcommand(
      "password", "Set the password USER signs in to the web application with (asked twice, not echoed)");
  password->add_option("user", *id, "The user")->required();
  password->add_flag("--stdin", *from_stdin, "Read the password as one line from standard input instead");
  password->callback([&context, id, from_stdin] {
    with_workspace(context, [&](Workspace& s) -> Status {
      // An unknown user is said before anyone types a password for it.
      if (auto known = s.directory().user(*id); !known) return known.error();
      DOCKET_TRY(typed, *from_stdin ? stdin_password() : prompt_twice(context, *id));
      SignIn sign_in(s.database(), s.clock());
      if (const Status set = sign_in.set_password(*id, *typed, admin_actor(context)); !set) return set;
      context.out << "password of " << *id << " set\n";
      return Ok{};
    });
  });
}

}  // namespace docket::cli
