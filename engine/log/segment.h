// Segment-level pieces shared by LogWriter and LogReader: listing and naming segment files,
// and the forward walk over one segment's bytes that enforces the format's rules and tells a
// torn tail from damage (docs/log-format.md). Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/log/env.h"
#include "engine/log/log_format.h"
#include "engine/status.h"

namespace strata::log_internal {

std::string SegmentPath(const std::string& dir, uint32_t number);

// The segment numbers in `dir`, ascending. NotFound when `dir` is missing.
Result<std::vector<uint32_t>> ListSegments(Env* env, const std::string& dir);

// Corruption "segment 3 at offset 0: missing segment (...)" for the first number missing
// from `segments` (which must start at 1 and be dense); Ok otherwise.
Status CheckNumbering(const std::vector<uint32_t>& segments);

struct WalkOptions {
  uint32_t segment = 0;
  bool is_last = false;  // only the last segment may end in a torn tail
  bool verify_checksums = true;
  // Offset of the first frame to visit; 0 means the first after the header. When it is later,
  // the segment's dictionary frame (if any) is still visited first.
  uint64_t start_offset = 0;
};

struct WalkResult {
  uint64_t valid_end = 0;   // end of the last valid frame, or of the header (0 when torn)
  bool torn = false;        // bytes from valid_end on are a torn tail (last segment only)
  std::string torn_what;    // e.g. "incomplete record (12 of 40 bytes)"
  bool sealed = false;      // ends with a SEGMENT_END frame
  uint64_t records = 0;     // payload frames visited
  uint64_t payload_bytes = 0;  // their declared uncompressed sizes, summed
  uint64_t log_records_through = 0;  // from SEGMENT_END, when sealed
  std::optional<log_format::Frame> dictionary;
};

// Called for the dictionary frame and each payload frame, in order; a non-Ok return stops
// the walk and is returned as is.
using FrameVisitor = std::function<Status(const log_format::Frame&)>;

// Walks the frames of a whole segment held in `bytes`. Corruption naming the segment, offset
// and kind for any damage; a torn tail (see WalkResult) is not an error.
Result<WalkResult> WalkSegment(std::string_view bytes, const WalkOptions& options,
                               const FrameVisitor& visit);

// The dictionary id a DICTIONARY or ZSTD_DICT_PAYLOAD body starts with (bodies of fewer
// than four bytes were refused by the walk).
inline uint32_t BodyDictionaryId(std::string_view body) {
  return log_format::DecodeFixed32(body.data());
}
// The zstd frame inside a payload body.
std::string_view PayloadZstdFrame(const log_format::Frame& frame);

}  // namespace strata::log_internal
