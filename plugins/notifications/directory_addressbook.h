// The Addressbook over the store's directory: users holding a role at a unit, their names and
// e-mail addresses. Reads on the connection the Directory uses, so inside a store transaction
// it sees that transaction's state. Thread-safety: as the Directory.
#pragma once

#include "notifications/addressbook.h"

namespace docket {

class Directory;

class DirectoryAddressbook final : public Addressbook {
 public:
  // `directory` must outlive this object.
  explicit DirectoryAddressbook(Directory& directory) : directory_(directory) {}

  // Each answers as the Directory's read of the same name; errors: busy, storage.
  Result<std::vector<std::string>> users_with_role(const std::string& unit, const std::string& role) override;
  Result<std::string> name(const std::string& user) override;
  Result<std::string> email(const std::string& user) override;

 private:
  Directory& directory_;
};

}  // namespace docket
