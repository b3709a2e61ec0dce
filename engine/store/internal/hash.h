// SHA-256 through OpenSSL, as raw 32 bytes and as lower-case hex. Thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace docket {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view data);
// SHA-256(first ‖ second) without building the concatenation.
Digest sha256(const Digest& first, std::string_view second);
std::string to_hex(const Digest& digest);
std::string to_hex(std::string_view bytes);
// The bytes that lower- or upper-case `hex` spells; nullopt when it is not an even number of hex digits.
std::optional<std::string> bytes_from_hex(std::string_view hex);
std::string sha256_hex(std::string_view data);
// A digest from its blob column; all zeros when `bytes` is not 32 bytes long.
Digest digest_from_bytes(const void* bytes, std::size_t size);

}  // namespace docket
