#include "store/internal/hash.h"

#define OPENSSL_SUPPRESS_DEPRECATED  // SHA256_Init/Update/Final: see digest_of
#include <openssl/sha.h>

#include <cstring>
#include <stdexcept>

namespace docket {
namespace {

// The chains hash every event twice, on every write and in audit verify. OpenSSL 3's EVP
// interface costs a provider dispatch, an initialisation check and a cleanse per digest, about
// as much as hashing an event's 300 bytes with SHA-NI; the plain SHA-256 functions (deprecated,
// but kept by OpenSSL 3 and computing the same digest) do not.
Digest digest_of(std::initializer_list<std::string_view> parts) {
  SHA256_CTX context;
  Digest digest{};
  bool ok = SHA256_Init(&context) == 1;
  for (std::string_view part : parts) ok = ok && SHA256_Update(&context, part.data(), part.size()) == 1;
  ok = ok && SHA256_Final(digest.data(), &context) == 1;
  if (!ok) throw std::runtime_error("OpenSSL SHA-256 failed");
  return digest;
}

}  // namespace

Digest sha256(std::string_view data) { return digest_of({data}); }

Digest sha256(const Digest& first, std::string_view second) {
  return digest_of({std::string_view(reinterpret_cast<const char*>(first.data()), first.size()), second});
}

std::string to_hex(const Digest& digest) {
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char character : bytes) {
    const auto byte = static_cast<unsigned char>(character);
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0x0F];
  }
  return hex;
}

std::optional<std::string> bytes_from_hex(std::string_view hex) {
  const auto digit = [](char character) {
    if (character >= '0' && character <= '9') return character - '0';
    if (character >= 'a' && character <= 'f') return character - 'a' + 10;
    if (character >= 'A' && character <= 'F') return character - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = digit(hex[i]), low = digit(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

std::string sha256_hex(std::string_view data) { return to_hex(sha256(data)); }

Digest digest_from_bytes(const void* bytes, std::size_t size) {
  Digest digest{};
  if (bytes != nullptr && size == digest.size()) std::memcpy(digest.data(), bytes, size);
  return digest;
}

}  // namespace docket
