#include "store/hash.h"

#include <openssl/evp.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace docket {
namespace {

Digest digest_of(std::initializer_list<std::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  Digest digest{};
  unsigned int length = 0;
  bool ok = context && EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) == 1;
  for (std::string_view part : parts) ok = ok && EVP_DigestUpdate(context.get(), part.data(), part.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(context.get(), digest.data(), &length) == 1;
  if (!ok || length != digest.size()) throw std::runtime_error("OpenSSL SHA-256 failed");
  return digest;
}

}  // namespace

Digest sha256(std::string_view data) { return digest_of({data}); }

Digest sha256(const Digest& first, std::string_view second) {
  return digest_of({std::string_view(reinterpret_cast<const char*>(first.data()), first.size()), second});
}

std::string to_hex(const Digest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (unsigned char byte : digest) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0x0F];
  }
  return hex;
}

std::string sha256_hex(std::string_view data) { return to_hex(sha256(data)); }

Digest digest_from_bytes(const void* bytes, std::size_t size) {
  Digest digest{};
  if (bytes != nullptr && size == digest.size()) std::memcpy(digest.data(), bytes, size);
  return digest;
}

}  // namespace docket
