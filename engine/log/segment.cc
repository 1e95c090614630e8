#include "engine/log/segment.h"

#include <fmt/format.h>

#include "engine/log/zstd_codec.h"

namespace strata::log_internal {

using log_format::Damage;
using log_format::Frame;
using log_format::FrameError;
using log_format::RecordType;

std::string SegmentPath(const std::string& dir, uint32_t number) {
  return dir + "/" + log_format::SegmentFileName(number);
}

Result<std::vector<uint32_t>> ListSegments(Env* env, const std::string& dir) {
  STRATA_ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(dir));
  std::vector<uint32_t> numbers;
  for (const std::string& name : names) {
    if (auto n = log_format::ParseSegmentFileName(name)) numbers.push_back(*n);
  }
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

Status CheckNumbering(const std::vector<uint32_t>& segments) {
  if (segments.empty()) return Status::Ok();
  if (segments.front() != 1) {
    return Damage(1, 0,
                  fmt::format("missing segment (the log starts at segment {})", segments.front()));
  }
  for (size_t i = 1; i < segments.size(); ++i) {
    if (segments[i] != segments[i - 1] + 1) {
      return Damage(segments[i - 1] + 1, 0,
                    fmt::format("missing segment (the log has segments {} and {})",
                                segments[i - 1], segments[i]));
    }
  }
  return Status::Ok();
}

std::string_view PayloadZstdFrame(const Frame& frame) {
  if (frame.type == static_cast<uint8_t>(RecordType::kZstdDictPayload)) {
    return frame.body.substr(log_format::kDictionaryIdSize);
  }
  return frame.body;
}

namespace {

// Walk state and the rules, one frame at a time.
class Walker {
 public:
  Walker(std::string_view bytes, const WalkOptions& options, const FrameVisitor& visit)
      : bytes_(bytes), options_(options), visit_(visit) {}

  Result<WalkResult> Run() {
    const uint32_t seg = options_.segment;
    if (Status s = CheckHeader(); !s.ok() || result_.torn) {
      if (!s.ok()) return s;
      return result_;
    }
    uint64_t offset = log_format::kSegmentHeaderSize;
    result_.valid_end = offset;
    if (options_.start_offset > offset) {
      // Starting mid-segment: the dictionary is the first frame; load it, skip the rest.
      auto first = log_format::ParseFrame(bytes_, offset, options_.verify_checksums);
      if (first.error == FrameError::kNone &&
          first.frame.type == static_cast<uint8_t>(RecordType::kDictionary)) {
        STRATA_RETURN_IF_ERROR(OnFrame(first.frame));
      } else if (first.error != FrameError::kNone && !options_.is_last) {
        return Problem(offset, first);
      }
      offset = options_.start_offset;
      counting_ = false;
    }
    while (offset < bytes_.size()) {
      if (result_.sealed) return Damage(seg, offset, "data after the segment end record");
      const auto parsed = log_format::ParseFrame(bytes_, offset, options_.verify_checksums);
      if (parsed.error != FrameError::kNone) {
        if (options_.is_last && !log_format::ValidFrameStartsAfter(bytes_, offset)) {
          result_.torn = true;
          result_.torn_what = TornWhat(offset, parsed);
          return result_;
        }
        return Problem(offset, parsed);
      }
      STRATA_RETURN_IF_ERROR(OnFrame(parsed.frame));
      offset += parsed.frame.size;
      result_.valid_end = offset;
    }
    if (!result_.sealed && !options_.is_last) {
      return Damage(seg, result_.valid_end,
                    "truncated segment (no segment end record) in a non-last segment");
    }
    return result_;
  }

 private:
  Status CheckHeader() {
    const uint32_t seg = options_.segment;
    const size_t size = bytes_.size();
    const bool short_file = size < log_format::kSegmentHeaderSize;
    if (options_.is_last &&
        (short_file ||
         (size == log_format::kSegmentHeaderSize && !log_format::SegmentHeaderChecksumOk(bytes_)))) {
      // A segment whose creation was cut short by a crash.
      result_.torn = true;
      result_.valid_end = 0;
      result_.torn_what = fmt::format("incomplete segment header ({} bytes)", size);
      return Status::Ok();
    }
    const std::string why = log_format::CheckSegmentHeader(bytes_, seg);
    if (!why.empty()) return Damage(seg, 0, fmt::format("bad segment header ({})", why));
    return Status::Ok();
  }

  bool EndsWithSegmentEnd() const {
    constexpr size_t kSize = log_format::kFrameOverhead + log_format::kSegmentEndBodySize;
    if (bytes_.size() < log_format::kSegmentHeaderSize + kSize) return false;
    auto p = log_format::ParseFrame(bytes_, bytes_.size() - kSize, /*verify=*/true);
    return p.error == FrameError::kNone &&
           p.frame.type == static_cast<uint8_t>(RecordType::kSegmentEnd);
  }

  std::string TornWhat(uint64_t offset, const log_format::FrameParse& p) const {
    const uint64_t left = bytes_.size() - offset;
    switch (p.error) {
      case FrameError::kIncomplete:
        if (left < log_format::kFrameHeaderSize) {
          return fmt::format("incomplete record header ({} bytes)", left);
        }
        return fmt::format("incomplete record ({} of {} bytes)", left,
                           uint64_t{p.length} + log_format::kFrameOverhead);
      case FrameError::kAbsurdLength:
        return fmt::format("record with bad length {}", p.length);
      case FrameError::kChecksum:
        return "record with a checksum mismatch";
      case FrameError::kTrailer:
        return "record with a bad trailer";
      case FrameError::kNone:
        break;
    }
    return "record";
  }

  // The error for a frame that failed to parse where a torn tail is not possible.
  Status Problem(uint64_t offset, const log_format::FrameParse& p) const {
    const uint32_t seg = options_.segment;
    const uint64_t left = bytes_.size() - offset;
    switch (p.error) {
      case FrameError::kIncomplete:
        if (!options_.is_last && !EndsWithSegmentEnd()) {
          if (left < log_format::kFrameHeaderSize) {
            return Damage(seg, offset,
                          fmt::format("truncated record in a non-last segment (only {} bytes of "
                                      "a frame header)", left));
          }
          return Damage(seg, offset,
                        fmt::format("truncated record in a non-last segment ({} of {} bytes)",
                                    left, uint64_t{p.length} + log_format::kFrameOverhead));
        }
        if (left < log_format::kFrameHeaderSize) {
          return Damage(seg, offset, fmt::format("bad length ({} bytes left in the segment are "
                                                 "less than a frame header)", left));
        }
        return Damage(seg, offset, fmt::format("bad length {} ({} bytes left in the segment)",
                                               p.length, left));
      case FrameError::kAbsurdLength:
        return Damage(seg, offset, fmt::format("bad length {} (more than the {} byte limit)",
                                               p.length, log_format::kMaxBodyBytes));
      case FrameError::kChecksum:
        return Damage(seg, offset, "checksum mismatch");
      case FrameError::kTrailer:
        return Damage(seg, offset,
                      fmt::format("bad length {} (the frame trailer disagrees)", p.length));
      case FrameError::kNone:
        break;
    }
    return Status::Internal("no frame problem to report");
  }

  Status OnFrame(const Frame& f) {
    const uint32_t seg = options_.segment;
    switch (static_cast<RecordType>(f.type)) {
      case RecordType::kDictionary:
        if (f.offset != log_format::kSegmentHeaderSize) {
          return Damage(seg, f.offset, "dictionary record not at the start of the segment");
        }
        if (f.body.size() <= log_format::kDictionaryIdSize) {
          return Damage(seg, f.offset, "dictionary record too short");
        }
        if (BodyDictionaryId(f.body) == 0) {
          return Damage(seg, f.offset, "dictionary record with id 0");
        }
        result_.dictionary = f;
        return visit_(f);
      case RecordType::kZstdDictPayload: {
        if (f.body.size() < log_format::kDictionaryIdSize) {
          return Damage(seg, f.offset, "dictionary payload record too short");
        }
        const uint32_t id = BodyDictionaryId(f.body);
        if (!result_.dictionary) {
          return Damage(seg, f.offset, fmt::format("dictionary {} used but the segment has none",
                                                   id));
        }
        const uint32_t have = BodyDictionaryId(result_.dictionary->body);
        if (id != have) {
          return Damage(seg, f.offset,
                        fmt::format("dictionary {} used but the segment holds dictionary {}",
                                    id, have));
        }
        return OnPayload(f);
      }
      case RecordType::kZstdPayload:
        return OnPayload(f);
      case RecordType::kSegmentEnd:
        return OnSegmentEnd(f);
      case RecordType::kInvalid:
        break;
    }
    if ((f.type & log_format::kIgnorableBit) != 0) return Status::Ok();  // a later version's
    return Damage(seg, f.offset, fmt::format("bad record type 0x{:02x}", f.type));
  }

  Status OnPayload(const Frame& f) {
    ++result_.records;
    const uint64_t size = log_codec::FrameContentSize(PayloadZstdFrame(f));
    if (size != UINT64_MAX) result_.payload_bytes += size;
    return visit_(f);
  }

  Status OnSegmentEnd(const Frame& f) {
    const uint32_t seg = options_.segment;
    if (f.body.size() != log_format::kSegmentEndBodySize) {
      return Damage(seg, f.offset,
                    fmt::format("bad segment end record ({} byte body)", f.body.size()));
    }
    const uint64_t in_segment = log_format::DecodeFixed64(f.body.data());
    if (counting_ && in_segment != result_.records) {
      return Damage(seg, f.offset,
                    fmt::format("segment end record counts {} records, the segment holds {}",
                                in_segment, result_.records));
    }
    result_.sealed = true;
    result_.log_records_through = log_format::DecodeFixed64(f.body.data() + 8);
    return Status::Ok();
  }

  std::string_view bytes_;
  const WalkOptions& options_;
  const FrameVisitor& visit_;
  WalkResult result_;
  bool counting_ = true;  // records counted from the start, so SEGMENT_END can be checked
};

}  // namespace

Result<WalkResult> WalkSegment(std::string_view bytes, const WalkOptions& options,
                               const FrameVisitor& visit) {
  return Walker(bytes, options, visit).Run();
}

}  // namespace strata::log_internal
