// LogWriter: appends frames to the last segment, fsyncs before acknowledging, rolls to a new
// segment (sealed with SEGMENT_END, directory synced) at the target size, and keeps a zstd
// dictionary in each segment, trained from the most recent payloads read back from the log
// itself, so a writer reopened by a later process picks up exactly where the last one left.
#include <fmt/format.h>

#include <algorithm>

#include "engine/log/log.h"
#include "engine/log/log_format.h"
#include "engine/log/segment.h"
#include "engine/log/zstd_codec.h"

namespace strata {
namespace {

using log_codec::Dictionary;
using log_format::Damage;
using log_format::Frame;
using log_format::FrameError;
using log_format::RecordType;
using log_internal::SegmentPath;

constexpr size_t kSegmentEndFrameSize =
    log_format::kFrameOverhead + log_format::kSegmentEndBodySize;
// AppendBatch writes in pieces of about this size.
constexpr size_t kFlushBytes = 4u << 20;
// Training needs a few distinct samples at least, whatever the options say.
constexpr size_t kMinTrainingSamples = 8;

Status NoVisit(const Frame&) { return Status::Ok(); }

class LogWriterImpl final : public LogWriter {
 public:
  LogWriterImpl(Env* env, std::string dir, const LogOptions& options)
      : env_(env), dir_(std::move(dir)), options_(options) {}
  ~LogWriterImpl() override {
    if (file_) (void)file_->Close();  // nothing unacknowledged is worth reporting here
  }

  Status Open(const WriterOpenOptions& open);

  const RecoveryReport& recovery() const override { return recovery_; }
  Result<RecordPosition> Append(std::string_view payload) override;
  Result<std::vector<RecordPosition>> AppendBatch(
      const std::vector<std::string>& payloads) override;
  uint64_t record_count() const override { return total_records_; }
  uint32_t dictionary_id() const override {
    return segment_has_dictionary_ && current_ ? current_->id : 0;
  }

 private:
  bool DictionariesOn() const { return options_.dictionary_bytes > 0; }

  // Opening.
  Status Lock(const WriterOpenOptions& open);
  Status CheckSealedSegments(const std::vector<uint32_t>& segments);
  Status RecoverLastSegment(uint32_t segment);
  Status SyncFoundSegment(const std::string& path);
  Result<std::optional<Dictionary>> ReadSegmentDictionary(uint32_t segment);
  Status FindLatestDictionary(uint32_t from_segment);

  // Appending.
  Status CheckUsable() const;
  Status Fail(Status s);
  Status PrepareForRecord();
  Status EncodeRecord(std::string_view payload, RecordPosition* position);
  Status Flush();
  Status Roll(std::optional<std::string> trained);
  Status CreateSegment(uint32_t number);
  Status StartSegmentBody(std::optional<std::string> trained);
  // A dictionary from the most recent payloads; FailedPrecondition when there are too few.
  Result<std::string> TrainFromRecentPayloads();

  Env* env_;
  std::string dir_;
  LogOptions options_;
  std::unique_ptr<FileLock> lock_;
  RecoveryReport recovery_;
  Status failed_;  // the first failure; nothing is appended after one

  std::unique_ptr<WritableFile> file_;  // null while the last segment is sealed
  uint32_t segment_ = 0;
  uint64_t segment_size_ = 0;  // bytes written or pending
  uint64_t segment_records_ = 0;
  uint64_t segment_payload_bytes_ = 0;  // uncompressed
  bool sealed_ = false;
  bool segment_has_dictionary_ = false;
  bool needs_segment_start_ = false;  // an empty segment that should get a dictionary first
  uint64_t next_training_records_ = 0;
  uint64_t total_records_ = 0;
  std::optional<Dictionary> current_;  // the newest dictionary in the log
  uint32_t last_dictionary_id_ = 0;
  std::string pending_;  // encoded frames not yet handed to the file

  std::unique_ptr<log_codec::Compressor> compressor_;
  std::unique_ptr<log_codec::Decompressor> decompressor_;  // for training only
};

// ---- Opening ------------------------------------------------------------------------------

Status LogWriterImpl::Open(const WriterOpenOptions& open) {
  STRATA_RETURN_IF_ERROR(env_->CreateDirs(dir_));
  STRATA_RETURN_IF_ERROR(Lock(open));
  STRATA_ASSIGN_OR_RETURN(compressor_,
                          log_codec::Compressor::Create(options_.compression_level));
  STRATA_ASSIGN_OR_RETURN(std::vector<uint32_t> segments,
                          log_internal::ListSegments(env_, dir_));
  if (!segments.empty()) {
    STRATA_RETURN_IF_ERROR(log_internal::CheckNumbering(segments));
    STRATA_RETURN_IF_ERROR(CheckSealedSegments(segments));
  }
  if (open.before_recovery) STRATA_RETURN_IF_ERROR(open.before_recovery());
  if (segments.empty()) return CreateSegment(1);
  return RecoverLastSegment(segments.back());
}

// flock on a file of its own open(): another process and another opener in this process are
// both kept out (an fcntl lock would not exclude the second).
Status LogWriterImpl::Lock(const WriterOpenOptions& open) {
  for (;;) {
    auto lock = env_->LockFile(dir_ + "/LOCK");
    if (lock.ok()) {
      lock_ = std::move(lock).value();
      return Status::Ok();
    }
    if (lock.status().code() != Code::kFailedPrecondition) return lock.status();
    if (!open.on_lock_busy) {
      return Status::FailedPrecondition(
          fmt::format("log {} is locked by another writer (LOCK held)", dir_));
    }
    STRATA_RETURN_IF_ERROR(open.on_lock_busy());
  }
}

// Every segment but the last must have a good header and end with a SEGMENT_END frame whose
// counts add up; two small reads each. Any failure gets a full walk for a precise message.
Status LogWriterImpl::CheckSealedSegments(const std::vector<uint32_t>& segments) {
  uint64_t through = 0;
  std::string head;
  std::string tail;
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    const uint32_t segment = segments[i];
    STRATA_ASSIGN_OR_RETURN(auto file, env_->OpenReadable(SegmentPath(dir_, segment)));
    STRATA_ASSIGN_OR_RETURN(uint64_t size, file->Size());
    bool good = size >= log_format::kSegmentHeaderSize + kSegmentEndFrameSize;
    uint64_t in_segment = 0;
    uint64_t stored_through = 0;
    if (good) {
      STRATA_RETURN_IF_ERROR(file->Read(0, log_format::kSegmentHeaderSize, &head));
      STRATA_RETURN_IF_ERROR(file->Read(size - kSegmentEndFrameSize, kSegmentEndFrameSize, &tail));
      auto end = log_format::ParseFrame(tail, 0, /*verify=*/true);
      good = log_format::CheckSegmentHeader(head, segment).empty() &&
             end.error == FrameError::kNone &&
             end.frame.type == static_cast<uint8_t>(RecordType::kSegmentEnd) &&
             end.frame.body.size() == log_format::kSegmentEndBodySize;
      if (good) {
        in_segment = log_format::DecodeFixed64(end.frame.body.data());
        stored_through = log_format::DecodeFixed64(end.frame.body.data() + 8);
      }
    }
    if (!good) {
      std::string bytes;
      STRATA_RETURN_IF_ERROR(file->Read(0, size, &bytes));
      log_internal::WalkOptions options;
      options.segment = segment;
      STRATA_RETURN_IF_ERROR(log_internal::WalkSegment(bytes, options, NoVisit).status());
      return Damage(segment, 0, "unreadable segment");  // the walk always finds something
    }
    if (stored_through != through + in_segment) {
      return Damage(segment, size - kSegmentEndFrameSize,
                    fmt::format("segment end record counts {} records in the log, expected {}",
                                stored_through, through + in_segment));
    }
    through = stored_through;
  }
  total_records_ = through;
  return Status::Ok();
}

Status LogWriterImpl::RecoverLastSegment(uint32_t segment) {
  const std::string path = SegmentPath(dir_, segment);
  std::string bytes;
  {
    STRATA_ASSIGN_OR_RETURN(auto file, env_->OpenReadable(path));
    STRATA_ASSIGN_OR_RETURN(uint64_t size, file->Size());
    STRATA_RETURN_IF_ERROR(file->Read(0, size, &bytes));
  }
  log_internal::WalkOptions options;
  options.segment = segment;
  options.is_last = true;
  STRATA_ASSIGN_OR_RETURN(log_internal::WalkResult walk,
                          log_internal::WalkSegment(bytes, options, NoVisit));
  if (walk.torn) {
    const uint64_t dropped = bytes.size() - walk.valid_end;
    recovery_.truncated = true;
    recovery_.dropped_bytes = dropped;
    if (walk.valid_end == 0) {
      // Its creation was cut short: no record ever lived in it.
      recovery_.detail = fmt::format("segment {}: removed a torn segment ({})", segment,
                                     walk.torn_what);
      STRATA_RETURN_IF_ERROR(env_->RemoveFile(path));
      STRATA_RETURN_IF_ERROR(env_->SyncDir(dir_));
      if (segment == 1) return CreateSegment(1);
      // The segment before is sealed (checked): the next append starts a new one.
      segment_ = segment - 1;
      sealed_ = true;
      STRATA_RETURN_IF_ERROR(SyncFoundSegment(SegmentPath(dir_, segment_)));
      return FindLatestDictionary(segment_);
    }
    recovery_.detail = fmt::format("segment {}: cut a torn tail at offset {} ({} bytes: {})",
                                   segment, walk.valid_end, dropped, walk.torn_what);
    STRATA_RETURN_IF_ERROR(env_->Truncate(path, walk.valid_end));
  }
  segment_ = segment;
  segment_size_ = walk.valid_end;
  segment_records_ = walk.records;
  segment_payload_bytes_ = walk.payload_bytes;
  sealed_ = walk.sealed;
  if (sealed_ && walk.log_records_through != total_records_ + walk.records) {
    return Damage(segment, walk.valid_end - kSegmentEndFrameSize,
                  fmt::format("segment end record counts {} records in the log, expected {}",
                              walk.log_records_through, total_records_ + walk.records));
  }
  total_records_ += walk.records;
  if (walk.dictionary) {
    const std::string_view body = walk.dictionary->body;
    current_ = Dictionary{log_internal::BodyDictionaryId(body),
                          std::string(body.substr(log_format::kDictionaryIdSize))};
    last_dictionary_id_ = current_->id;
    segment_has_dictionary_ = true;
  } else {
    if (segment > 1) STRATA_RETURN_IF_ERROR(FindLatestDictionary(segment - 1));
    needs_segment_start_ = segment > 1 && walk.records == 0;
  }
  return SyncFoundSegment(path);
}

// What an earlier writer left may not be durable yet (it may have died after writing and
// before its fsync returned, or before the directory sync that makes a new segment's name
// durable): make it so before anything is built on it.
Status LogWriterImpl::SyncFoundSegment(const std::string& path) {
  STRATA_ASSIGN_OR_RETURN(auto file, env_->OpenAppendable(path));
  STRATA_RETURN_IF_ERROR(file->Sync());
  STRATA_RETURN_IF_ERROR(env_->SyncDir(dir_));
  if (sealed_) return file->Close();
  file_ = std::move(file);
  return Status::Ok();
}

Result<std::optional<Dictionary>> LogWriterImpl::ReadSegmentDictionary(uint32_t segment) {
  STRATA_ASSIGN_OR_RETURN(auto file, env_->OpenReadable(SegmentPath(dir_, segment)));
  std::string head;
  constexpr uint64_t kStart = log_format::kSegmentHeaderSize;
  STRATA_RETURN_IF_ERROR(file->Read(kStart, log_format::kFrameHeaderSize, &head));
  if (head.size() < log_format::kFrameHeaderSize ||
      static_cast<uint8_t>(head[8]) != static_cast<uint8_t>(RecordType::kDictionary)) {
    return std::optional<Dictionary>();
  }
  const uint64_t length = log_format::DecodeFixed32(head.data() + 4);
  if (length > log_format::kMaxBodyBytes) {
    return Damage(segment, kStart, fmt::format("bad length {} (dictionary record)", length));
  }
  std::string frame;
  STRATA_RETURN_IF_ERROR(file->Read(kStart, length + log_format::kFrameOverhead, &frame));
  auto parsed = log_format::ParseFrame(frame, 0, /*verify=*/true);
  if (parsed.error != FrameError::kNone ||
      parsed.frame.body.size() <= log_format::kDictionaryIdSize) {
    return Damage(segment, kStart, "checksum mismatch (dictionary record)");
  }
  const std::string_view body = parsed.frame.body;
  return std::optional<Dictionary>(Dictionary{
      log_internal::BodyDictionaryId(body),
      std::string(body.substr(log_format::kDictionaryIdSize))});
}

// The newest dictionary at or before `from_segment` becomes current_ (ids only grow, so the
// newest is the highest).
Status LogWriterImpl::FindLatestDictionary(uint32_t from_segment) {
  for (uint32_t s = from_segment; s >= 1; --s) {
    STRATA_ASSIGN_OR_RETURN(std::optional<Dictionary> d, ReadSegmentDictionary(s));
    if (d) {
      last_dictionary_id_ = std::max(last_dictionary_id_, d->id);
      current_ = std::move(d);
      return Status::Ok();
    }
  }
  return Status::Ok();
}

// ---- Appending ----------------------------------------------------------------------------

Status LogWriterImpl::CheckUsable() const {
  if (failed_.ok()) return Status::Ok();
  return Status::FailedPrecondition(fmt::format(
      "log {}: an earlier write failed ({}); reopen the log to recover", dir_,
      failed_.message()));
}

Status LogWriterImpl::Fail(Status s) {
  if (failed_.ok()) failed_ = s;
  pending_.clear();
  return s;
}

Result<RecordPosition> LogWriterImpl::Append(std::string_view payload) {
  STRATA_RETURN_IF_ERROR(CheckUsable());
  if (payload.size() > log_format::kMaxPayloadBytes) {
    return Status::InvalidArgument(
        fmt::format("payload of {} bytes is over the limit of {} bytes", payload.size(),
                    log_format::kMaxPayloadBytes));
  }
  RecordPosition position;
  Status s = PrepareForRecord();
  if (s.ok()) s = EncodeRecord(payload, &position);
  if (s.ok()) s = Flush();
  if (s.ok()) s = file_->Sync();
  if (!s.ok()) return Fail(s);
  return position;
}

Result<std::vector<RecordPosition>> LogWriterImpl::AppendBatch(
    const std::vector<std::string>& payloads) {
  STRATA_RETURN_IF_ERROR(CheckUsable());
  for (const std::string& p : payloads) {
    if (p.size() > log_format::kMaxPayloadBytes) {
      return Status::InvalidArgument(
          fmt::format("payload of {} bytes is over the limit of {} bytes", p.size(),
                      log_format::kMaxPayloadBytes));
    }
  }
  std::vector<RecordPosition> positions(payloads.size());
  Status s;
  for (size_t i = 0; i < payloads.size() && s.ok(); ++i) {
    s = PrepareForRecord();
    if (s.ok()) s = EncodeRecord(payloads[i], &positions[i]);
    if (s.ok() && pending_.size() >= kFlushBytes) s = Flush();
  }
  if (s.ok()) s = Flush();
  if (s.ok() && file_) s = file_->Sync();
  if (!s.ok()) return Fail(s);
  return positions;
}

Status LogWriterImpl::PrepareForRecord() {
  if (sealed_ || segment_size_ >= options_.segment_target_bytes) return Roll(std::nullopt);
  if (needs_segment_start_) {
    needs_segment_start_ = false;
    return StartSegmentBody(std::nullopt);
  }
  if (DictionariesOn() && !segment_has_dictionary_ &&
      segment_records_ >= std::max<uint64_t>(options_.dictionary_min_records,
                                              next_training_records_) &&
      segment_payload_bytes_ >= options_.dictionary_min_sample_bytes) {
    auto trained = TrainFromRecentPayloads();
    if (trained.ok()) return Roll(std::move(trained).value());
    if (trained.status().code() != Code::kFailedPrecondition) return trained.status();
    next_training_records_ = segment_records_ * 2;  // not again on every append
  }
  return Status::Ok();
}

Status LogWriterImpl::EncodeRecord(std::string_view payload, RecordPosition* position) {
  const uint32_t want = dictionary_id();
  if (compressor_->dictionary_id() != want) {
    STRATA_RETURN_IF_ERROR(compressor_->UseDictionary(want == 0 ? nullptr : &*current_));
  }
  const size_t start = log_format::BeginFrame(&pending_);
  RecordType type = RecordType::kZstdPayload;
  if (want != 0) {
    log_format::PutFixed32(&pending_, want);
    type = RecordType::kZstdDictPayload;
  }
  STRATA_RETURN_IF_ERROR(compressor_->Compress(payload, &pending_));
  if (pending_.size() - start - log_format::kFrameHeaderSize > log_format::kMaxBodyBytes) {
    pending_.resize(start);
    return Status::Internal("compressed payload is over the frame body limit");
  }
  log_format::FinishFrame(&pending_, start, type);
  const auto size = static_cast<uint32_t>(pending_.size() - start);
  *position = RecordPosition{segment_, segment_size_, size};
  segment_size_ += size;
  segment_records_ += 1;
  segment_payload_bytes_ += payload.size();
  total_records_ += 1;
  return Status::Ok();
}

Status LogWriterImpl::Flush() {
  if (pending_.empty()) return Status::Ok();
  Status s = file_->Append(pending_);
  pending_.clear();
  return s;
}

// Seals the current segment (SEGMENT_END, fsync) and starts the next one.
Status LogWriterImpl::Roll(std::optional<std::string> trained) {
  STRATA_RETURN_IF_ERROR(Flush());
  if (!sealed_) {
    std::string body;
    log_format::PutFixed64(&body, segment_records_);
    log_format::PutFixed64(&body, total_records_);
    log_format::AppendFrame(&pending_, RecordType::kSegmentEnd, body);
    segment_size_ += pending_.size();
    STRATA_RETURN_IF_ERROR(Flush());
    STRATA_RETURN_IF_ERROR(file_->Sync());
    sealed_ = true;
  }
  if (file_) {
    STRATA_RETURN_IF_ERROR(file_->Close());
    file_.reset();
  }
  STRATA_RETURN_IF_ERROR(CreateSegment(segment_ + 1));
  return StartSegmentBody(std::move(trained));
}

// Creates a segment: header, fsync, directory fsync, so the file survives a power cut
// before any record in it is acknowledged.
Status LogWriterImpl::CreateSegment(uint32_t number) {
  const std::string path = SegmentPath(dir_, number);
  if (env_->Exists(path)) {
    return Status::FailedPrecondition(
        fmt::format("log {}: {} exists beyond the end of the log", dir_,
                    log_format::SegmentFileName(number)));
  }
  STRATA_ASSIGN_OR_RETURN(auto file, env_->OpenAppendable(path));
  STRATA_RETURN_IF_ERROR(file->Append(log_format::EncodeSegmentHeader(number)));
  STRATA_RETURN_IF_ERROR(file->Sync());
  STRATA_RETURN_IF_ERROR(env_->SyncDir(dir_));
  file_ = std::move(file);
  segment_ = number;
  segment_size_ = log_format::kSegmentHeaderSize;
  segment_records_ = 0;
  segment_payload_bytes_ = 0;
  sealed_ = false;
  segment_has_dictionary_ = false;
  needs_segment_start_ = false;
  next_training_records_ = 0;
  return Status::Ok();
}

// Puts the dictionary (newly trained, or else the current one again) at the start of an
// empty segment; it reaches the disk with the first record.
Status LogWriterImpl::StartSegmentBody(std::optional<std::string> trained) {
  if (!DictionariesOn() || segment_size_ != log_format::kSegmentHeaderSize) return Status::Ok();
  if (!trained) {
    auto t = TrainFromRecentPayloads();
    if (t.ok()) {
      trained = std::move(t).value();
    } else if (t.status().code() != Code::kFailedPrecondition) {
      return t.status();
    }
  }
  if (trained) current_ = Dictionary{++last_dictionary_id_, std::move(*trained)};
  if (!current_) return Status::Ok();
  std::string body;
  log_format::PutFixed32(&body, current_->id);
  body.append(current_->bytes);
  const size_t before = pending_.size();
  log_format::AppendFrame(&pending_, RecordType::kDictionary, body);
  segment_size_ += pending_.size() - before;
  segment_has_dictionary_ = true;
  return Status::Ok();
}

Result<std::string> LogWriterImpl::TrainFromRecentPayloads() {
  STRATA_RETURN_IF_ERROR(Flush());
  if (!decompressor_) {
    STRATA_ASSIGN_OR_RETURN(decompressor_, log_codec::Decompressor::Create());
  }
  log_codec::DictionaryCache dictionaries;
  std::vector<std::string> samples;
  uint64_t sample_bytes = 0;
  std::string bytes;
  for (uint32_t s = segment_; s >= 1 && sample_bytes < options_.dictionary_max_sample_bytes;
       --s) {
    {
      STRATA_ASSIGN_OR_RETURN(auto file, env_->OpenReadable(SegmentPath(dir_, s)));
      STRATA_ASSIGN_OR_RETURN(uint64_t size, file->Size());
      STRATA_RETURN_IF_ERROR(file->Read(0, size, &bytes));
    }
    log_internal::WalkOptions options;
    options.segment = s;
    options.is_last = s == segment_;
    const ZSTD_DDict_s* dictionary = nullptr;
    std::vector<Frame> payloads;
    auto collect = [&](const Frame& f) -> Status {
      if (f.type != static_cast<uint8_t>(RecordType::kDictionary)) {
        payloads.push_back(f);
        return Status::Ok();
      }
      STRATA_ASSIGN_OR_RETURN(dictionary,
                              dictionaries.Add(log_internal::BodyDictionaryId(f.body),
                                               f.masked_crc,
                                               f.body.substr(log_format::kDictionaryIdSize)));
      return Status::Ok();
    };
    STRATA_RETURN_IF_ERROR(log_internal::WalkSegment(bytes, options, collect).status());
    for (auto it = payloads.rbegin();
         it != payloads.rend() && sample_bytes < options_.dictionary_max_sample_bytes; ++it) {
      const bool with_dictionary =
          it->type == static_cast<uint8_t>(RecordType::kZstdDictPayload);
      std::string payload;
      Status d = decompressor_->Decompress(log_internal::PayloadZstdFrame(*it),
                                           with_dictionary ? dictionary : nullptr, &payload);
      if (!d.ok()) return Damage(s, it->offset, "bad compressed payload (" + d.message() + ")");
      sample_bytes += payload.size();
      if (!payload.empty()) samples.push_back(std::move(payload));
    }
  }
  if (samples.size() < std::max<size_t>(kMinTrainingSamples, options_.dictionary_min_records) ||
      sample_bytes < options_.dictionary_min_sample_bytes) {
    return Status::FailedPrecondition(
        fmt::format("too few payloads to train a dictionary ({}, {} bytes)", samples.size(),
                    sample_bytes));
  }
  return log_codec::TrainDictionary(samples, options_.dictionary_bytes);
}

}  // namespace

Result<std::unique_ptr<LogWriter>> LogWriter::Open(Env* env, const std::string& dir,
                                                   const LogOptions& options) {
  return Open(env, dir, options, WriterOpenOptions{});
}

Result<std::unique_ptr<LogWriter>> LogWriter::Open(Env* env, const std::string& dir,
                                                   const LogOptions& options,
                                                   const WriterOpenOptions& open) {
  auto writer = std::make_unique<LogWriterImpl>(env, dir, options);
  STRATA_RETURN_IF_ERROR(writer->Open(open));
  return std::unique_ptr<LogWriter>(std::move(writer));
}

}  // namespace strata
