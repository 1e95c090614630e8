#include "engine/store/hash.h"

// OpenSSL's own SHA-256 routines rather than EVP: EVP's first digest in a process sets up the
// provider machinery (about 1 ms, a tenth of a one-table `show`) and every EVP call allocates
// a context, while these hash on the stack with the same CPU-specific code. OpenSSL 3 marks
// them deprecated in favour of EVP but keeps them; the macro below only silences that notice.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace strata {

Hash Sha256(std::string_view bytes) {
  static_assert(sizeof(Hash) == SHA256_DIGEST_LENGTH);
  Hash out{};
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, bytes.data(), bytes.size());
  SHA256_Final(out.data(), &ctx);
  return out;
}

std::string HashHex(const Hash& hash) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(64);
  for (uint8_t b : hash) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 15]);
  }
  return s;
}

}  // namespace strata
