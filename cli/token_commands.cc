// docket user token|revoke: API access for a user.
#include <CLI/CLI.hpp>

#include "app.h"
#include "command_support.h"

namespace docket::cli {

void add_token_commands(CLI::App& app, Context& context) {
  CLI::App* user = app.get_subcommand("user");
  auto id = std::make_shared<std::string>();

  CLI::App* token =
      user->add_subcommand("token", "Print a new API token for USER (shown once; only its SHA-256 is kept)");
  token->add_option("user", *id, "The user")->required();
  token->callback([&context, id] {
    with_workspace(context, [&](Workspace& s) -> Status {
      auto issued = s.directory().issue_token(*id, admin_actor(context));
      if (!issued) return issued.error();
      context.out << issued.value() << "\n";
      return Ok{};
    });
  });

  CLI::App* revoke =
      user->add_subcommand("revoke", "Revoke USER's access: every API token and every web application session");
  revoke->add_option("user", *id, "The user")->required();
  revoke->callback([&context, id] {
    with_workspace(context, [&](Workspace& s) -> Status {
      auto revoked = s.directory().revoke_tokens(*id, admin_actor(context));
      if (!revoked) return revoked.error();
      context.out << revoked.value() << " token(s) of " << *id << " revoked\n";
      return Ok{};
    });
  });
}

}  // namespace docket::cli
