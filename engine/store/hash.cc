#include "store/hash.h"

#include <openssl/evp.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace docket {
namespace {

// OpenSSL 3 looks the algorithm up on every EVP_sha256() init and a context costs an
// allocation: fetching SHA-256 once and keeping one context per thread makes a hash of an
// event's bytes (twice per event, on every write and in audit verify) several times cheaper.
const EVP_MD* sha256_algorithm() {
  static const std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> fetched(EVP_MD_fetch(nullptr, "SHA256", nullptr), EVP_MD_free);
  return fetched ? fetched.get() : EVP_sha256();
}

Digest digest_of(std::initializer_list<std::string_view> parts) {
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  Digest digest{};
  unsigned int length = 0;
  bool ok = context && EVP_DigestInit_ex(context.get(), sha256_algorithm(), nullptr) == 1;
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
