// Hash: the SHA-256 that chains commits (each commit carries the hash of the previous one's
// stored payload bytes) and that the head witness records. Pure functions, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata {

using Hash = std::array<uint8_t, 32>;

Hash Sha256(std::string_view bytes);
// 64 lower-case hex digits.
std::string HashHex(const Hash& hash);
// The 32 bytes as they are stored in a commit's prev_hash.
inline std::string_view HashBytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

}  // namespace strata
