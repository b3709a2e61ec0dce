#include "notifications/directory_addressbook.h"

#include "store/directory.h"

namespace docket {

Result<std::vector<std::string>> DirectoryAddressbook::users_with_role(const std::string& unit,
                                                                       const std::string& role) {
  return directory_.users_with_role(unit, role);
}

Result<std::string> DirectoryAddressbook::name(const std::string& user) {
  auto found = directory_.user(user);
  if (found) return found->name;
  if (found.error().code == ErrorCode::not_found) return std::string{};
  return found.error();
}

Result<std::string> DirectoryAddressbook::email(const std::string& user) { return directory_.email(user); }

}  // namespace docket
