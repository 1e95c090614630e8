// The byte format of the log (docs/log-format.md, version 1): constants, segment file names,
// the segment header and record frames. Pure functions over bytes; thread-safe.
//
// Frame: masked CRC-32C (u32) | body length L (u32) | type (u8) | body (L) | L again (u32).
// The CRC covers everything after itself, the trailer included.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace strata::log_format {

static_assert(std::endian::native == std::endian::little, "the log codec assumes little-endian");

inline constexpr char kMagic[8] = {'\x89', 'S', 'T', 'R', 'A', 'T', 'A', '\n'};
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kSegmentHeaderSize = 20;
inline constexpr size_t kFrameHeaderSize = 9;   // crc, length, type
inline constexpr size_t kFrameTrailerSize = 4;  // length again
inline constexpr size_t kFrameOverhead = kFrameHeaderSize + kFrameTrailerSize;
inline constexpr uint32_t kMaxBodyBytes = 1u << 30;
// Payloads are kept small enough that even incompressible ones fit a frame body.
inline constexpr uint64_t kMaxPayloadBytes = 1000ull << 20;
inline constexpr size_t kDictionaryIdSize = 4;
inline constexpr size_t kSegmentEndBodySize = 16;

// Persisted numbers: never change or reuse one.
enum class RecordType : uint8_t {
  kInvalid = 0x00,          // never written; zero-filled space reads as this
  kZstdPayload = 0x01,      // body: zstd frame, no dictionary
  kZstdDictPayload = 0x02,  // body: u32 dictionary id, zstd frame made with that dictionary
  kDictionary = 0x03,       // body: u32 dictionary id, zstd dictionary bytes
  kSegmentEnd = 0x04,       // body: u64 records in segment, u64 records in log through it
};
// Readers skip unknown types with this bit set; unknown types without it are corruption.
inline constexpr uint8_t kIgnorableBit = 0x80;

inline bool IsKnownType(uint8_t type) { return type >= 0x01 && type <= 0x04; }
inline bool IsPayloadType(uint8_t type) {
  return type == static_cast<uint8_t>(RecordType::kZstdPayload) ||
         type == static_cast<uint8_t>(RecordType::kZstdDictPayload);
}

inline uint32_t DecodeFixed32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline uint64_t DecodeFixed64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void EncodeFixed32(char* p, uint32_t v) { std::memcpy(p, &v, sizeof v); }
inline void PutFixed32(std::string* out, uint32_t v) {
  char b[4];
  EncodeFixed32(b, v);
  out->append(b, 4);
}
inline void PutFixed64(std::string* out, uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out->append(b, 8);
}

// "000042.log"; at least six digits.
std::string SegmentFileName(uint32_t number);
// The number of a segment file name, or nullopt for any other name.
std::optional<uint32_t> ParseSegmentFileName(std::string_view name);

std::string EncodeSegmentHeader(uint32_t number);
// Why `bytes` (at least kSegmentHeaderSize of them) is not a valid header for segment
// `number`, e.g. "bad magic"; empty when it is.
std::string CheckSegmentHeader(std::string_view bytes, uint32_t number);
// True when the header's own checksum holds (whatever it says).
bool SegmentHeaderChecksumOk(std::string_view bytes);

// Frames are built in place: BeginFrame reserves the header at the end of `out`, the caller
// appends the body, FinishFrame writes length, type, trailer and checksum.
size_t BeginFrame(std::string* out);
void FinishFrame(std::string* out, size_t frame_start, RecordType type);
// A whole frame with `body`, appended to `out`.
void AppendFrame(std::string* out, RecordType type, std::string_view body);

// One frame parsed out of a segment's bytes.
struct Frame {
  uint64_t offset = 0;
  uint32_t size = 0;  // header + body + trailer
  uint8_t type = 0;
  uint32_t masked_crc = 0;
  std::string_view body;
};

enum class FrameError {
  kNone,
  kIncomplete,  // the header or the declared body runs past the end of the bytes
  kAbsurdLength,  // the length exceeds kMaxBodyBytes
  kChecksum,
  kTrailer,  // the trailer disagrees with the length (only seen without checksums)
};

struct FrameParse {
  FrameError error = FrameError::kNone;
  Frame frame;          // valid when error == kNone
  uint32_t length = 0;  // the declared body length, when the header was complete
};

// Parses the frame at `offset` of `bytes`, which hold a whole segment (or more of it than
// the frame). With `verify` the checksum is checked; the trailer always is.
FrameParse ParseFrame(std::string_view bytes, uint64_t offset, bool verify);

// True when a valid frame (checksum included) starts at any offset in (after, end of bytes).
// Used to tell a torn tail (nothing valid follows) from damage in the middle.
bool ValidFrameStartsAfter(std::string_view bytes, uint64_t after);

// "segment 3 at offset 4096: <what>" as a Corruption status.
Status Damage(uint32_t segment, uint64_t offset, std::string_view what);

}  // namespace strata::log_format
