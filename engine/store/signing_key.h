// Ed25519 keys for signed checkpoints (store/checkpoint.h), through OpenSSL: a unit signs with
// its private key; the level above holds the public key and checks the signatures. Keys are
// PEM files (PKCS #8 private key, SubjectPublicKeyInfo public key), so `openssl pkey` reads them.
// A private key file must be readable by its owner only. Thread-safe (a key is immutable).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace docket {

// Makes a new key pair: `private_file` (mode 0600) and `public_file` (mode 0644). Errors:
// already_exists when either file exists (neither is touched), storage when one cannot be
// written (a private key written before the failure is removed), internal when OpenSSL fails.
Status generate_key_pair(const std::filesystem::path& private_file, const std::filesystem::path& public_file);

class PublicKey {
 public:
  // Reads a PEM public key. Errors: not_found (no file), invalid_argument naming the file when it
  // is not an Ed25519 public key.
  static Result<PublicKey> load(const std::filesystem::path& file);

  // Whether `signature` (64 raw bytes) is this key's signature of `message`.
  bool verifies(std::string_view message, std::string_view signature) const;
  // The 32 raw bytes of the key, in lower-case hex.
  std::string hex() const;

 private:
  friend class SigningKey;  // its public half
  explicit PublicKey(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}
  std::shared_ptr<evp_pkey_st> key_;
};

class SigningKey {
 public:
  // Reads a PEM private key. Errors: not_found (no file), invalid_argument naming the file when
  // others than its owner may read it (mode & 077) or it is not an Ed25519 private key.
  static Result<SigningKey> load(const std::filesystem::path& file);

  // The 64-byte Ed25519 signature of `message`.
  std::string sign(std::string_view message) const;
  PublicKey public_key() const;

 private:
  explicit SigningKey(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}
  std::shared_ptr<evp_pkey_st> key_;
};

}  // namespace docket
