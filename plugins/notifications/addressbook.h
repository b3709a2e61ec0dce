// Who the people behind recipients are: the users holding a role at a unit, their names and
// e-mail addresses. The notifications plugin asks it inside the store's transaction; the real
// one reads the store's directory (directory_addressbook.h), tests may pass their own. A lookup
// that fails (the store's busy or storage error) fails the change it was asked for.
// Thread-safety: as the implementation; the plugin calls it from the writer's thread.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace docket {

class Addressbook {
 public:
  virtual ~Addressbook() = default;
  // The ids of the users holding `role` at `unit` (not inherited), in a stable order.
  virtual Result<std::vector<std::string>> users_with_role(const std::string& unit, const std::string& role) = 0;
  // The user's full name; empty when unknown.
  virtual Result<std::string> name(const std::string& user) = 0;
  // The user's e-mail address; empty when none is known.
  virtual Result<std::string> email(const std::string& user) = 0;
};

}  // namespace docket
