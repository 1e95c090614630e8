#include "engine/log/log_format.h"

#include <fmt/format.h>

#include "engine/log/crc32c.h"

namespace strata::log_format {

std::string SegmentFileName(uint32_t number) { return fmt::format("{:06d}.log", number); }

std::optional<uint32_t> ParseSegmentFileName(std::string_view name) {
  constexpr std::string_view kSuffix = ".log";
  if (name.size() < 6 + kSuffix.size() || !name.ends_with(kSuffix)) return std::nullopt;
  std::string_view digits = name.substr(0, name.size() - kSuffix.size());
  if (digits.size() > 10) return std::nullopt;
  uint64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (n == 0 || n > UINT32_MAX) return std::nullopt;
  // Only the canonical spelling: "0000001.log" is not segment 1.
  if (SegmentFileName(static_cast<uint32_t>(n)) != name) return std::nullopt;
  return static_cast<uint32_t>(n);
}

std::string EncodeSegmentHeader(uint32_t number) {
  std::string h(kMagic, sizeof kMagic);
  PutFixed32(&h, kFormatVersion);
  PutFixed32(&h, number);
  PutFixed32(&h, crc32c::Mask(crc32c::Value(h)));
  return h;
}

bool SegmentHeaderChecksumOk(std::string_view bytes) {
  if (bytes.size() < kSegmentHeaderSize) return false;
  return crc32c::Unmask(DecodeFixed32(bytes.data() + 16)) == crc32c::Value(bytes.substr(0, 16));
}

std::string CheckSegmentHeader(std::string_view bytes, uint32_t number) {
  if (bytes.size() < kSegmentHeaderSize) {
    return fmt::format("file is {} bytes, shorter than a header", bytes.size());
  }
  if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return "bad magic";
  if (!SegmentHeaderChecksumOk(bytes)) return "header checksum mismatch";
  const uint32_t version = DecodeFixed32(bytes.data() + 8);
  if (version == 0 || version > kFormatVersion) {
    return fmt::format("unsupported format version {}; this build reads {}", version,
                       kFormatVersion);
  }
  const uint32_t stored_number = DecodeFixed32(bytes.data() + 12);
  if (stored_number != number) {
    return fmt::format("the header says segment {}", stored_number);
  }
  return {};
}

size_t BeginFrame(std::string* out) {
  const size_t start = out->size();
  out->append(kFrameHeaderSize, '\0');
  return start;
}

void FinishFrame(std::string* out, size_t frame_start, RecordType type) {
  const size_t body = out->size() - frame_start - kFrameHeaderSize;
  PutFixed32(out, static_cast<uint32_t>(body));
  char* f = out->data() + frame_start;
  EncodeFixed32(f + 4, static_cast<uint32_t>(body));
  f[8] = static_cast<char>(type);
  const uint32_t crc = crc32c::Extend(0, f + 4, out->size() - frame_start - 4);
  EncodeFixed32(f, crc32c::Mask(crc));
}

void AppendFrame(std::string* out, RecordType type, std::string_view body) {
  const size_t start = BeginFrame(out);
  out->append(body);
  FinishFrame(out, start, type);
}

FrameParse ParseFrame(std::string_view bytes, uint64_t offset, bool verify) {
  FrameParse r;
  if (offset > bytes.size() || bytes.size() - offset < kFrameHeaderSize) {
    r.error = FrameError::kIncomplete;
    return r;
  }
  const char* f = bytes.data() + offset;
  r.length = DecodeFixed32(f + 4);
  if (r.length > kMaxBodyBytes) {
    r.error = FrameError::kAbsurdLength;
    return r;
  }
  const uint64_t size = uint64_t{r.length} + kFrameOverhead;
  if (bytes.size() - offset < size) {
    r.error = FrameError::kIncomplete;
    return r;
  }
  const uint32_t masked = DecodeFixed32(f);
  if (verify && crc32c::Unmask(masked) != crc32c::Extend(0, f + 4, size - 4)) {
    r.error = FrameError::kChecksum;
    return r;
  }
  if (DecodeFixed32(f + kFrameHeaderSize + r.length) != r.length) {
    r.error = FrameError::kTrailer;
    return r;
  }
  r.frame.offset = offset;
  r.frame.size = static_cast<uint32_t>(size);
  r.frame.type = static_cast<uint8_t>(f[8]);
  r.frame.masked_crc = masked;
  r.frame.body = std::string_view(f + kFrameHeaderSize, r.length);
  return r;
}

bool ValidFrameStartsAfter(std::string_view bytes, uint64_t after) {
  for (uint64_t p = after + 1; p + kFrameOverhead <= bytes.size(); ++p) {
    const char* f = bytes.data() + p;
    const auto type = static_cast<uint8_t>(f[8]);
    if (!IsKnownType(type) && (type & kIgnorableBit) == 0) continue;
    const uint32_t length = DecodeFixed32(f + 4);
    if (length > bytes.size() - p - kFrameOverhead) continue;
    if (DecodeFixed32(f + kFrameHeaderSize + length) != length) continue;
    if (ParseFrame(bytes, p, /*verify=*/true).error == FrameError::kNone) return true;
  }
  return false;
}

Status Damage(uint32_t segment, uint64_t offset, std::string_view what) {
  return Status::Corruption(fmt::format("segment {} at offset {}: {}", segment, offset, what));
}

}  // namespace strata::log_format
