// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected as 0x82F63B78): the checksum of every
// log frame and segment header (docs/log-format.md). Pure functions, thread-safe. Uses the
// SSE 4.2 crc32 instruction on x86-64 CPUs that have it; a table-driven fallback elsewhere
// gives identical values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace strata::crc32c {

// The CRC-32C of `data` appended to bytes whose CRC-32C was `crc` (Extend(0, x) == Value(x)).
uint32_t Extend(uint32_t crc, const char* data, size_t n);

inline uint32_t Value(std::string_view data) { return Extend(0, data.data(), data.size()); }

// Stored CRCs are masked so that the CRC of bytes holding CRCs is not trivially related to
// them; Unmask(Mask(c)) == c.
inline constexpr uint32_t kMaskDelta = 0xa282ead8u;
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
inline uint32_t Unmask(uint32_t masked) {
  uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

// For tests: the table-driven implementation, whatever the CPU.
uint32_t ExtendPortable(uint32_t crc, const char* data, size_t n);

}  // namespace strata::crc32c
