// LogReader: reads whole segments with one big read each, checks frames with the shared
// walker (segment.h), decodes payloads with one reused zstd context and cached dictionaries.
// ReadLast walks backwards from the end of the last segment using the frame trailers.
#include <fmt/format.h>

#include <map>

#include "engine/log/log.h"
#include "engine/log/log_format.h"
#include "engine/log/segment.h"
#include "engine/log/zstd_codec.h"

namespace strata {
namespace {

using log_format::Damage;
using log_format::Frame;
using log_format::FrameError;
using log_format::RecordType;
using log_internal::SegmentPath;

constexpr size_t kDictionaryHeadBytes = log_format::kFrameHeaderSize + log_format::kDictionaryIdSize;

class LogReaderImpl final : public LogReader {
 public:
  LogReaderImpl(Env* env, std::string dir) : env_(env), dir_(std::move(dir)) {}

  Status Init() {
    STRATA_ASSIGN_OR_RETURN(decompressor_, log_codec::Decompressor::Create());
    auto segments = log_internal::ListSegments(env_, dir_);
    if (!segments.ok()) {
      if (segments.status().code() == Code::kNotFound) {
        return Status::NotFound(fmt::format("log directory {} does not exist", dir_));
      }
      return segments.status();
    }
    if (!segments->empty()) {
      // Only to notice a torn tail now; damage is reported by the calls that meet it.
      auto tail = FindTail(segments->back());
      (void)tail;
    }
    return Status::Ok();
  }

  Status Scan(const ScanOptions& options, const Visitor& visit) override;
  Result<std::string> ReadAt(const RecordPosition& position) override;
  Result<std::optional<std::pair<RecordPosition, std::string>>> ReadLast() override;
  const std::string& tail_note() const override { return tail_note_; }

 private:
  // Where the valid frames of the last segment end, after a cheap backward check of the last
  // frame (a full walk only when that fails). Sets tail_note_ for a torn tail.
  Result<uint64_t> FindTail(uint32_t segment);
  Result<RandomAccessFile*> File(uint32_t segment);
  // The bytes of `segment` a walk from `start_offset` reads (log_internal::WalkSegment): a
  // segment that is not the last no longer changes and is mapped, pages read as the walk
  // touches them. The last one is read from the file: its header and first frame (the
  // dictionary), then everything from `start_offset` on; the bytes between are never touched.
  // With `bound`, nothing from there on is mapped or read. Valid until the next call.
  Result<std::string_view> ReadSegment(uint32_t segment, uint64_t start_offset, bool is_last,
                                       std::optional<uint64_t> bound);
  // The valid frame ending at `end`, read through its trailer; nullopt when there is none.
  Result<std::optional<Frame>> FrameEndingAt(RandomAccessFile* file, uint64_t end,
                                             std::string* buffer);
  // The dictionary of `segment`, read from its first frame, for a payload frame that names
  // one. Corruption when the segment has none or another one.
  Result<const ZSTD_DDict_s*> SegmentDictionary(uint32_t segment, RandomAccessFile* file,
                                                const Frame& payload);
  // Decodes a payload frame with `dictionary` into `out`.
  Status Decode(uint32_t segment, const Frame& frame, const ZSTD_DDict_s* dictionary,
                std::string* out);
  void NoteTornTail(uint32_t segment, uint64_t offset, uint64_t bytes, const std::string& what);

  Env* env_;
  std::string dir_;
  std::map<uint32_t, std::unique_ptr<RandomAccessFile>> files_;
  std::unique_ptr<log_codec::Decompressor> decompressor_;
  log_codec::DictionaryCache dictionaries_;
  std::unique_ptr<MappedBytes> segment_mapped_;
  std::unique_ptr<char[]> segment_buffer_;  // not zeroed: only the bytes read are looked at
  size_t segment_buffer_size_ = 0;
  std::string payload_buffer_;
  std::string tail_note_;
};

Result<RandomAccessFile*> LogReaderImpl::File(uint32_t segment) {
  auto it = files_.find(segment);
  if (it != files_.end()) return it->second.get();
  auto file = env_->OpenReadable(SegmentPath(dir_, segment));
  if (!file.ok()) {
    if (file.status().code() == Code::kNotFound) {
      return Damage(segment, 0, fmt::format("missing segment (no file {})",
                                            log_format::SegmentFileName(segment)));
    }
    return file.status();
  }
  RandomAccessFile* raw = file->get();
  files_[segment] = std::move(file).value();
  return raw;
}

Result<std::string_view> LogReaderImpl::ReadSegment(uint32_t segment, uint64_t start_offset,
                                                    bool is_last, std::optional<uint64_t> bound) {
  segment_mapped_.reset();
  STRATA_ASSIGN_OR_RETURN(RandomAccessFile * file, File(segment));
  STRATA_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  if (bound) size = std::min(size, *bound);
  if (!is_last) {
    // Sealed before the next segment was begun, and never written again.
    segment_mapped_ = file->MapUnchanging(size);
    if (segment_mapped_ != nullptr) return segment_mapped_->bytes();
  }
  if (segment_buffer_size_ < size) {
    segment_buffer_ = std::make_unique_for_overwrite<char[]>(size);
    segment_buffer_size_ = size;
  }
  char* buffer = segment_buffer_.get();
  // Reads [from, to) into its place. When the file was shorter than its size said a moment
  // ago, `end` becomes where its bytes stop.
  uint64_t end = size;
  auto read = [&](uint64_t from, uint64_t to) -> Status {
    STRATA_ASSIGN_OR_RETURN(size_t got, file->ReadInto(from, to - from, buffer + from));
    if (got < to - from) end = from + got;
    return Status::Ok();
  };
  constexpr uint64_t kFirstFrame = log_format::kSegmentHeaderSize;
  constexpr uint64_t kFirstBody = kFirstFrame + log_format::kFrameHeaderSize;
  if (start_offset <= kFirstBody || size <= kFirstBody) {
    STRATA_RETURN_IF_ERROR(read(0, size));
    return std::string_view(buffer, end);
  }
  STRATA_RETURN_IF_ERROR(read(0, kFirstBody));
  const uint64_t first_length = log_format::DecodeFixed32(buffer + kFirstFrame + 4);
  const uint64_t first_end = kFirstFrame + log_format::kFrameOverhead + first_length;
  if (end < kFirstBody || first_end >= start_offset || start_offset >= size) {
    // Short, damaged, or nothing to skip: the walk reads it all.
    end = size;
    STRATA_RETURN_IF_ERROR(read(0, size));
    return std::string_view(buffer, end);
  }
  STRATA_RETURN_IF_ERROR(read(kFirstBody, first_end));
  if (end < first_end) return std::string_view(buffer, end);
  STRATA_RETURN_IF_ERROR(read(start_offset, size));
  return std::string_view(buffer, end);
}

void LogReaderImpl::NoteTornTail(uint32_t segment, uint64_t offset, uint64_t bytes,
                                 const std::string& what) {
  tail_note_ = fmt::format("segment {}: torn tail at offset {} ({} bytes: {})", segment, offset,
                           bytes, what);
}

Result<std::optional<Frame>> LogReaderImpl::FrameEndingAt(RandomAccessFile* file, uint64_t end,
                                                          std::string* buffer) {
  constexpr uint64_t kMin = log_format::kSegmentHeaderSize + log_format::kFrameOverhead;
  if (end < kMin) return std::optional<Frame>();
  STRATA_RETURN_IF_ERROR(file->Read(end - 4, 4, buffer));
  if (buffer->size() != 4) return std::optional<Frame>();
  const uint64_t length = log_format::DecodeFixed32(buffer->data());
  if (length > end - kMin) return std::optional<Frame>();
  const uint64_t start = end - length - log_format::kFrameOverhead;
  STRATA_RETURN_IF_ERROR(file->Read(start, end - start, buffer));
  auto parsed = log_format::ParseFrame(*buffer, 0, /*verify=*/true);
  if (parsed.error != FrameError::kNone || parsed.frame.size != end - start) {
    return std::optional<Frame>();
  }
  parsed.frame.offset = start;
  return std::optional<Frame>(parsed.frame);
}

Result<uint64_t> LogReaderImpl::FindTail(uint32_t segment) {
  STRATA_ASSIGN_OR_RETURN(RandomAccessFile * file, File(segment));
  STRATA_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  std::string buffer;
  if (size > log_format::kSegmentHeaderSize) {
    STRATA_ASSIGN_OR_RETURN(auto last, FrameEndingAt(file, size, &buffer));
    if (last) return size;
  } else if (size == log_format::kSegmentHeaderSize) {
    STRATA_RETURN_IF_ERROR(file->Read(0, size, &buffer));
    if (log_format::CheckSegmentHeader(buffer, segment).empty()) return size;
  }
  // The end is not a frame boundary: walk the segment to tell a torn tail from damage.
  STRATA_RETURN_IF_ERROR(file->Read(0, size, &buffer));
  log_internal::WalkOptions options;
  options.segment = segment;
  options.is_last = true;
  STRATA_ASSIGN_OR_RETURN(
      auto walk, log_internal::WalkSegment(buffer, options, [](const Frame&) { return Status::Ok(); }));
  if (walk.torn) NoteTornTail(segment, walk.valid_end, size - walk.valid_end, walk.torn_what);
  return walk.valid_end;
}

Result<const ZSTD_DDict_s*> LogReaderImpl::SegmentDictionary(uint32_t segment,
                                                             RandomAccessFile* file,
                                                             const Frame& payload) {
  if (payload.body.size() < log_format::kDictionaryIdSize) {
    return Damage(segment, payload.offset, "dictionary payload record too short");
  }
  const uint32_t wanted = log_internal::BodyDictionaryId(payload.body);
  std::string head;
  STRATA_RETURN_IF_ERROR(file->Read(log_format::kSegmentHeaderSize, kDictionaryHeadBytes, &head));
  if (head.size() < kDictionaryHeadBytes ||
      static_cast<uint8_t>(head[8]) != static_cast<uint8_t>(RecordType::kDictionary)) {
    return Damage(segment, payload.offset,
                  fmt::format("dictionary {} used but the segment has none", wanted));
  }
  const uint32_t masked_crc = log_format::DecodeFixed32(head.data());
  const uint32_t id = log_format::DecodeFixed32(head.data() + log_format::kFrameHeaderSize);
  if (id != wanted) {
    return Damage(segment, payload.offset,
                  fmt::format("dictionary {} used but the segment holds dictionary {}", wanted,
                              id));
  }
  if (const auto* cached = dictionaries_.Find(id, masked_crc)) return cached;
  const uint64_t length = log_format::DecodeFixed32(head.data() + 4);
  const uint64_t offset = log_format::kSegmentHeaderSize;
  if (length > log_format::kMaxBodyBytes) {
    return Damage(segment, offset, fmt::format("bad length {} (dictionary record)", length));
  }
  std::string frame_bytes;
  STRATA_RETURN_IF_ERROR(file->Read(offset, length + log_format::kFrameOverhead, &frame_bytes));
  auto parsed = log_format::ParseFrame(frame_bytes, 0, /*verify=*/true);
  if (parsed.error == FrameError::kChecksum) return Damage(segment, offset, "checksum mismatch");
  if (parsed.error != FrameError::kNone) {
    return Damage(segment, offset,
                  fmt::format("bad length {} ({} bytes left in the segment)", length,
                              frame_bytes.size()));
  }
  auto added = dictionaries_.Add(id, masked_crc,
                                 parsed.frame.body.substr(log_format::kDictionaryIdSize));
  if (!added.ok()) {
    return Damage(segment, offset, "bad dictionary (" + added.status().message() + ")");
  }
  return *added;
}

Status LogReaderImpl::Decode(uint32_t segment, const Frame& frame,
                             const ZSTD_DDict_s* dictionary, std::string* out) {
  const bool needs_dictionary =
      frame.type == static_cast<uint8_t>(RecordType::kZstdDictPayload);
  Status s = decompressor_->Decompress(log_internal::PayloadZstdFrame(frame),
                                       needs_dictionary ? dictionary : nullptr, out);
  if (!s.ok()) {
    return Damage(segment, frame.offset, "bad compressed payload (" + s.message() + ")");
  }
  return Status::Ok();
}

Status LogReaderImpl::Scan(const ScanOptions& options, const Visitor& visit) {
  STRATA_ASSIGN_OR_RETURN(std::vector<uint32_t> segments,
                          log_internal::ListSegments(env_, dir_));
  size_t first = 0;
  if (options.from) {
    auto it = std::lower_bound(segments.begin(), segments.end(), options.from->segment);
    if (it == segments.end() || *it != options.from->segment) {
      return Damage(options.from->segment, 0,
                    fmt::format("missing segment (no file {})",
                                log_format::SegmentFileName(options.from->segment)));
    }
    first = static_cast<size_t>(it - segments.begin());
  } else {
    STRATA_RETURN_IF_ERROR(log_internal::CheckNumbering(segments));
  }
  for (size_t i = first; i < segments.size(); ++i) {
    const uint32_t segment = segments[i];
    if (i > first && segment != segments[i - 1] + 1) {
      return Damage(segments[i - 1] + 1, 0,
                    fmt::format("missing segment (the log has segments {} and {})",
                                segments[i - 1], segment));
    }
    log_internal::WalkOptions walk_options;
    walk_options.segment = segment;
    walk_options.is_last = i + 1 == segments.size();
    walk_options.verify_checksums = options.verify_checksums;
    if (i == first && options.from) walk_options.start_offset = options.from->offset;
    // A scan that ends in this segment reads it up to the end of its last record, and the
    // walk takes that end as the segment's (a sealed segment's end record is past it).
    std::optional<uint64_t> bound;
    if (options.until && options.until->segment == segment) {
      bound = options.until->offset + options.until->stored_size;
    }
    STRATA_ASSIGN_OR_RETURN(
        std::string_view bytes,
        ReadSegment(segment, walk_options.start_offset, walk_options.is_last, bound));
    if (bound) walk_options.is_last = true;
    const ZSTD_DDict_s* dictionary = nullptr;
    auto on_frame = [&](const Frame& f) -> Status {
      if (f.type == static_cast<uint8_t>(RecordType::kDictionary)) {
        const uint32_t id = log_internal::BodyDictionaryId(f.body);
        dictionary = dictionaries_.Find(id, f.masked_crc);
        if (dictionary != nullptr) return Status::Ok();
        auto added =
            dictionaries_.Add(id, f.masked_crc, f.body.substr(log_format::kDictionaryIdSize));
        if (!added.ok()) {
          return Damage(segment, f.offset, "bad dictionary (" + added.status().message() + ")");
        }
        dictionary = *added;
        return Status::Ok();
      }
      STRATA_RETURN_IF_ERROR(Decode(segment, f, dictionary, &payload_buffer_));
      return visit(RecordPosition{segment, f.offset, f.size}, payload_buffer_);
    };
    STRATA_ASSIGN_OR_RETURN(log_internal::WalkResult walk,
                            log_internal::WalkSegment(bytes, walk_options, on_frame));
    segment_mapped_.reset();
    if (bound) {
      // What lies past `until` was not read: a frame cut at the bound is not the log's tail,
      // and the caller, who sees which records came, tells a wrong bound from damage.
      break;
    }
    if (walk.torn) {
      NoteTornTail(segment, walk.valid_end, bytes.size() - walk.valid_end,
                   walk.torn_what);
    }
  }
  return Status::Ok();
}

Result<std::string> LogReaderImpl::ReadAt(const RecordPosition& position) {
  const uint32_t segment = position.segment;
  STRATA_ASSIGN_OR_RETURN(RandomAccessFile * file, File(segment));
  std::string bytes;
  if (position.stored_size >= log_format::kFrameOverhead) {
    STRATA_RETURN_IF_ERROR(file->Read(position.offset, position.stored_size, &bytes));
  } else {
    STRATA_RETURN_IF_ERROR(file->Read(position.offset, log_format::kFrameHeaderSize, &bytes));
    if (bytes.size() == log_format::kFrameHeaderSize) {
      const uint64_t length = log_format::DecodeFixed32(bytes.data() + 4);
      if (length <= log_format::kMaxBodyBytes) {
        STRATA_RETURN_IF_ERROR(
            file->Read(position.offset, length + log_format::kFrameOverhead, &bytes));
      }
    }
  }
  auto parsed = log_format::ParseFrame(bytes, 0, /*verify=*/true);
  const uint64_t offset = position.offset;
  switch (parsed.error) {
    case FrameError::kNone:
      break;
    case FrameError::kChecksum:
      return Damage(segment, offset, "checksum mismatch");
    case FrameError::kIncomplete:
    case FrameError::kAbsurdLength:
    case FrameError::kTrailer:
      return Damage(segment, offset, fmt::format("bad length {} ({} bytes read)", parsed.length,
                                                 bytes.size()));
  }
  Frame frame = parsed.frame;
  frame.offset = offset;
  if (position.stored_size != 0 && frame.size != position.stored_size) {
    return Status::InvalidArgument(
        fmt::format("segment {} at offset {}: the position says {} bytes, the record is {}",
                    segment, offset, position.stored_size, frame.size));
  }
  if (!log_format::IsPayloadType(frame.type)) {
    return Status::InvalidArgument(fmt::format(
        "segment {} at offset {}: not a payload record (type 0x{:02x})", segment, offset,
        frame.type));
  }
  const ZSTD_DDict_s* dictionary = nullptr;
  if (frame.type == static_cast<uint8_t>(RecordType::kZstdDictPayload)) {
    STRATA_ASSIGN_OR_RETURN(dictionary, SegmentDictionary(segment, file, frame));
  }
  std::string out;
  STRATA_RETURN_IF_ERROR(Decode(segment, frame, dictionary, &out));
  return out;
}

Result<std::optional<std::pair<RecordPosition, std::string>>> LogReaderImpl::ReadLast() {
  using Last = std::optional<std::pair<RecordPosition, std::string>>;
  STRATA_ASSIGN_OR_RETURN(std::vector<uint32_t> segments,
                          log_internal::ListSegments(env_, dir_));
  std::string buffer;
  for (size_t i = segments.size(); i-- > 0;) {
    const uint32_t segment = segments[i];
    if (i + 1 < segments.size() && segments[i + 1] != segment + 1) {
      return Damage(segment + 1, 0,
                    fmt::format("missing segment (the log has segments {} and {})", segment,
                                segments[i + 1]));
    }
    STRATA_ASSIGN_OR_RETURN(RandomAccessFile * file, File(segment));
    uint64_t end = 0;
    if (i + 1 == segments.size()) {
      STRATA_ASSIGN_OR_RETURN(end, FindTail(segment));
    } else {
      STRATA_ASSIGN_OR_RETURN(end, file->Size());
    }
    if (end == 0) continue;  // a torn segment header: the log ends in the segment before
    STRATA_RETURN_IF_ERROR(file->Read(0, log_format::kSegmentHeaderSize, &buffer));
    const std::string why = log_format::CheckSegmentHeader(buffer, segment);
    if (!why.empty()) return Damage(segment, 0, fmt::format("bad segment header ({})", why));
    while (end > log_format::kSegmentHeaderSize) {
      STRATA_ASSIGN_OR_RETURN(std::optional<Frame> frame, FrameEndingAt(file, end, &buffer));
      if (!frame) {
        // Not a frame boundary where one must be: the full walk names the damage.
        std::string bytes;
        STRATA_RETURN_IF_ERROR(file->Read(0, end, &bytes));
        log_internal::WalkOptions options;
        options.segment = segment;
        options.is_last = false;
        STRATA_RETURN_IF_ERROR(
            log_internal::WalkSegment(bytes, options, [](const Frame&) { return Status::Ok(); })
                .status());
        return Damage(segment, end, "no record ends here");
      }
      if (log_format::IsPayloadType(frame->type)) {
        const ZSTD_DDict_s* dictionary = nullptr;
        if (frame->type == static_cast<uint8_t>(RecordType::kZstdDictPayload)) {
          STRATA_ASSIGN_OR_RETURN(dictionary, SegmentDictionary(segment, file, *frame));
        }
        std::string payload;
        STRATA_RETURN_IF_ERROR(Decode(segment, *frame, dictionary, &payload));
        return Last(std::make_pair(RecordPosition{segment, frame->offset, frame->size},
                                   std::move(payload)));
      }
      if (!log_format::IsKnownType(frame->type) &&
          (frame->type & log_format::kIgnorableBit) == 0) {
        return Damage(segment, frame->offset,
                      fmt::format("bad record type 0x{:02x}", frame->type));
      }
      end = frame->offset;
    }
  }
  return Last();
}

}  // namespace

Result<std::unique_ptr<LogReader>> LogReader::Open(Env* env, const std::string& dir) {
  auto reader = std::make_unique<LogReaderImpl>(env, dir);
  STRATA_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<LogReader>(std::move(reader));
}

}  // namespace strata
