#include "store/signing_key.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <array>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include "core/text.h"
#include "store/internal/hash.h"
#include "store/internal/new_file.h"

namespace docket {
namespace {

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kSignatureBytes = 64;

std::shared_ptr<EVP_PKEY> owned(EVP_PKEY* key) { return {key, EVP_PKEY_free}; }

Error not_a_key(const std::filesystem::path& file, const char* what) {
  return make_error(ErrorCode::invalid_argument, in_quotes(file.string()) + " is not an Ed25519 " + what + " (PEM)");
}

// The PEM text `write` puts into a memory BIO.
template <typename Write>
std::optional<std::string> pem_text(Write write) {
  const std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
  if (!out || write(out.get()) != 1) return std::nullopt;
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// The file's bytes. Errors: not_found, invalid_argument (a folder, unreadable).
Result<std::string> file_bytes(const std::filesystem::path& file) {
  std::error_code problem;
  if (!std::filesystem::exists(file, problem))
    return make_error(ErrorCode::not_found, "no key file " + in_quotes(file.string()));
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  if (!std::filesystem::is_regular_file(file, problem) || !(bytes << in.rdbuf()))
    return make_error(ErrorCode::invalid_argument, "cannot read the key file " + in_quotes(file.string()));
  return bytes.str();
}

// Parses PEM `text` with `read` (PEM_read_bio_PrivateKey or PEM_read_bio_PUBKEY); null unless
// it holds an Ed25519 key.
template <typename Read>
std::shared_ptr<EVP_PKEY> ed25519_from_pem(const std::string& text, Read read) {
  const std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())),
                                                     BIO_free);
  if (!in) return nullptr;
  std::shared_ptr<EVP_PKEY> key = owned(read(in.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_is_a(key.get(), "ED25519") != 1) return nullptr;
  return key;
}

}  // namespace

Status generate_key_pair(const std::filesystem::path& private_file, const std::filesystem::path& public_file) {
  for (const auto& file : {private_file, public_file}) {
    std::error_code problem;
    if (std::filesystem::exists(file, problem))
      return make_error(
          ErrorCode::already_exists,
          in_quotes(file.string()) + " already exists; a key is never overwritten (it was left as it is)");
  }
  const std::shared_ptr<EVP_PKEY> key = owned(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  const auto private_pem = key ? pem_text([&](BIO* out) {
    return PEM_write_bio_PrivateKey(out, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  })
                               : std::nullopt;
  const auto public_pem = key ? pem_text([&](BIO* out) { return PEM_write_bio_PUBKEY(out, key.get()); }) : std::nullopt;
  if (!private_pem || !public_pem) return make_error(ErrorCode::internal, "OpenSSL could not make an Ed25519 key");
  if (Status written = write_new_file(private_file, *private_pem, 0600); !written) return written;
  if (Status written = write_new_file(public_file, *public_pem, 0644); !written) {
    std::error_code ignored;
    std::filesystem::remove(private_file, ignored);
    return written;
  }
  return Ok{};
}

Result<PublicKey> PublicKey::load(const std::filesystem::path& file) {
  auto text = file_bytes(file);
  if (!text) return text.error();
  std::shared_ptr<EVP_PKEY> key = ed25519_from_pem(*text, PEM_read_bio_PUBKEY);
  if (!key) return not_a_key(file, "public key");
  return PublicKey(std::move(key));
}

bool PublicKey::verifies(std::string_view message, std::string_view signature) const {
  if (signature.size() != kSignatureBytes) return false;
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return context && EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
         EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

std::string PublicKey::hex() const {
  std::array<unsigned char, kKeyBytes> raw{};
  std::size_t size = raw.size();
  if (EVP_PKEY_get_raw_public_key(key_.get(), raw.data(), &size) != 1) return "";
  return to_hex(std::string_view(reinterpret_cast<const char*>(raw.data()), size));
}

Result<SigningKey> SigningKey::load(const std::filesystem::path& file) {
  struct stat status {};
  if (::stat(file.c_str(), &status) == 0 && (status.st_mode & 077) != 0) {
    return make_error(ErrorCode::invalid_argument,
                      "the private key " + in_quotes(file.string()) +
                          " may be read by others than its owner; make it private first (chmod 600)");
  }
  auto text = file_bytes(file);
  if (!text) return text.error();
  std::shared_ptr<EVP_PKEY> key = ed25519_from_pem(*text, PEM_read_bio_PrivateKey);
  if (!key) return not_a_key(file, "private key");
  return SigningKey(std::move(key));
}

std::string SigningKey::sign(std::string_view message) const {
  std::string signature(kSignatureBytes, '\0');
  std::size_t size = signature.size();
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
    return "";
  signature.resize(size);
  return signature;
}

PublicKey SigningKey::public_key() const { return PublicKey(key_); }

}  // namespace docket
