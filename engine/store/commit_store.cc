#include "engine/store/commit_store.h"

#include <fmt/format.h>
#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/state/validate.h"
#include "engine/threads.h"

namespace strata {

namespace {

std::string Where(const RecordPosition& p) {
  return fmt::format("segment {} at offset {}", p.segment, p.offset);
}

// The name a person knows the log directory by (".strata"), for "restore .strata from a
// backup".
std::string DirName(const std::string& dir) {
  std::string d = dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  const size_t slash = d.find_last_of('/');
  return slash == std::string::npos ? d : d.substr(slash + 1);
}

std::string TailDetail(const std::string& tail_note) {
  return tail_note.empty() ? "" : " (" + tail_note + ")";
}

// Parses one stored payload into `into`; Corruption naming the record when it is not a commit.
Status ParseCommit(const RecordPosition& position, std::string_view payload, pb::Commit* into) {
  if (!into->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return Status::Corruption(Where(position) + ": record is not a commit");
  }
  return Status::Ok();
}

}  // namespace

Status SerializeCommit(const pb::Commit& commit, std::string* payload) {
  // Deterministic: map entries in key order, so the same commit always hashes the same
  // (reproducible demos and tests). The chain never depends on it: readers hash what is stored.
  payload->clear();
  google::protobuf::io::StringOutputStream stream(payload);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  if (!commit.SerializeToCodedStream(&coded)) return Status::Internal("commit did not serialize");
  return Status::Ok();
}

Result<StoredCommit> DecodeCommit(const RecordPosition& position, std::string_view payload) {
  StoredCommit out;
  STRATA_RETURN_IF_ERROR(ParseCommit(position, payload, &out.commit));
  out.hash = Sha256(payload);
  out.position = position;
  out.payload_bytes = payload.size();
  return out;
}

// What a scan decodes one commit into, again and again: an arena emptied before each commit,
// whose first block is part of the slot. Parsing into a reused heap message frees and allocates
// every event's parts (a oneof member is deleted when cleared), which was half of decoding.
class ScanSlot {
 public:
  ScanSlot() : arena_(Options(first_block_)) {}
  ScanSlot(const ScanSlot&) = delete;
  ScanSlot& operator=(const ScanSlot&) = delete;

  Status Decode(const RecordPosition& position, std::string_view payload) {
    commit_ = nullptr;
    arena_.Reset();
    pb::Commit* c = google::protobuf::Arena::CreateMessage<pb::Commit>(&arena_);
    STRATA_RETURN_IF_ERROR(ParseCommit(position, payload, c));
    commit_ = c;
    hash_ = Sha256(payload);
    position_ = position;
    payload_bytes_ = payload.size();
    return Status::Ok();
  }
  const pb::Commit& commit() const { return *commit_; }
  const Hash& hash() const { return hash_; }
  std::string* mutable_payload() { return &payload_; }
  ScannedCommit View() const { return {*commit_, hash_, position_, payload_bytes_, payload_}; }

 private:
  // Most commits fit in the first block: no allocation for the arena itself.
  static constexpr size_t kFirstBlockBytes = 16 << 10;
  static google::protobuf::ArenaOptions Options(char* first_block) {
    google::protobuf::ArenaOptions o;
    o.initial_block = first_block;
    o.initial_block_size = kFirstBlockBytes;
    o.start_block_size = kFirstBlockBytes;
    o.max_block_size = 256 << 10;
    return o;
  }

  alignas(16) char first_block_[kFirstBlockBytes];  // before arena_, which uses it
  google::protobuf::Arena arena_;
  pb::Commit* commit_ = nullptr;
  Hash hash_{};
  RecordPosition position_;
  uint64_t payload_bytes_ = 0;
  std::string payload_;
};

// ---- CommitWriter ------------------------------------------------------------------------

Result<std::unique_ptr<CommitWriter>> CommitWriter::Open(Env* env, const std::string& dir,
                                                         const LogOptions& options) {
  CommitWriterOptions o;
  o.log = options;
  return Open(env, dir, o);
}

Result<std::unique_ptr<CommitWriter>> CommitWriter::Open(Env* env, const std::string& dir,
                                                         const CommitWriterOptions& options) {
  Head head;
  std::optional<Witness> witness;
  WriterOpenOptions open;
  open.on_lock_busy = options.on_lock_busy;
  // Under the lock and before the log writer cuts a torn tail: a tail that the witness says
  // was acknowledged is damage, and must stay as it is for whoever restores the log.
  open.before_recovery = [&]() -> Status {
    STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(env, dir));
    STRATA_ASSIGN_OR_RETURN(head, reader->ReadHead());
    witness = reader->witness();
    return Status::Ok();
  };
  STRATA_ASSIGN_OR_RETURN(auto log, LogWriter::Open(env, dir, options.log, open));
  std::unique_ptr<CommitWriter> writer(new CommitWriter(env, dir, std::move(log), head));
  if (head.seq > 0 && !witness) {
    writer->witness_missing_ = true;
    writer->witness_note_ = fmt::format(
        "the log has no head witness ({} was written before witnesses existed, or {} was "
        "removed); the next append writes one",
        DirName(dir), kWitnessFileName);
  } else if (witness && head.seq > witness->seq) {
    writer->witness_note_ = fmt::format(
        "the head witness names commit {}, the log ends at {} (appended, then interrupted "
        "before the witness was written); the next append brings it up to date",
        witness->seq, head.seq);
  }
  return writer;
}

Status CommitWriter::CheckUsable() const {
  if (failed_.ok()) return Status::Ok();
  return Status::FailedPrecondition(fmt::format(
      "log {}: an earlier head witness write failed ({}); reopen the log to go on", dir_,
      failed_.message()));
}

Status CommitWriter::Acknowledge() {
  Status s = WriteWitness(env_, dir_, Witness{head_.seq, head_.hash, head_.position.value()});
  if (!s.ok()) {
    failed_ = s;
    return s.WithContext(fmt::format(
        "commit {} reached the log but the head witness was not updated (the commit stays in "
        "the log)", head_.seq));
  }
  witness_missing_ = false;
  return Status::Ok();
}

Status CommitWriter::Prepare(pb::Commit* commit, uint64_t seq, const Hash& prev,
                             std::string* payload) {
  commit->set_seq(seq);
  commit->set_prev_hash(std::string(HashBytes(prev)));
  STRATA_RETURN_IF_ERROR(ValidateCommit(*commit));
  return SerializeCommit(*commit, payload);
}

Result<StoredCommit> CommitWriter::Append(pb::Commit commit) {
  STRATA_RETURN_IF_ERROR(CheckUsable());
  std::string payload;
  STRATA_RETURN_IF_ERROR(Prepare(&commit, head_.seq + 1, head_.hash, &payload));
  STRATA_ASSIGN_OR_RETURN(RecordPosition pos, log_->Append(payload));
  StoredCommit stored{std::move(commit), Sha256(payload), pos, payload.size(), {}};
  head_ = Head{stored.commit.seq(), stored.hash, pos};
  STRATA_RETURN_IF_ERROR(Acknowledge());
  return stored;
}

Result<StoredCommit> CommitWriter::AppendPayload(std::string_view payload) {
  STRATA_RETURN_IF_ERROR(CheckUsable());
  pb::Commit commit;
  if (!commit.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return Status::InvalidArgument("the bytes to append are not a commit");
  }
  if (commit.seq() != head_.seq + 1 || commit.prev_hash() != HashBytes(head_.hash)) {
    return Status::InvalidArgument(fmt::format(
        "the commit to append (seq {}) does not follow the log's head (seq {})", commit.seq(),
        head_.seq));
  }
  STRATA_RETURN_IF_ERROR(ValidateCommit(commit).WithContext(fmt::format("commit {}", commit.seq())));
  STRATA_ASSIGN_OR_RETURN(RecordPosition pos, log_->Append(payload));
  StoredCommit stored{std::move(commit), Sha256(payload), pos, payload.size(), {}};
  head_ = Head{stored.commit.seq(), stored.hash, pos};
  STRATA_RETURN_IF_ERROR(Acknowledge());
  return stored;
}

Result<Head> CommitWriter::AppendPayloads(const std::vector<std::string>& payloads) {
  STRATA_RETURN_IF_ERROR(CheckUsable());
  if (payloads.empty()) return head_;
  Head next = head_;
  for (const std::string& payload : payloads) {
    pb::Commit commit;
    if (!commit.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
      return Status::InvalidArgument(
          fmt::format("the bytes to append as commit {} are not a commit", next.seq + 1));
    }
    if (commit.seq() != next.seq + 1 || commit.prev_hash() != HashBytes(next.hash)) {
      return Status::InvalidArgument(fmt::format(
          "the commit to append (seq {}) does not follow seq {}", commit.seq(), next.seq));
    }
    STRATA_RETURN_IF_ERROR(
        ValidateCommit(commit).WithContext(fmt::format("commit {}", commit.seq())));
    next.seq += 1;
    next.hash = Sha256(payload);
  }
  STRATA_ASSIGN_OR_RETURN(std::vector<RecordPosition> positions, log_->AppendBatch(payloads));
  head_ = Head{next.seq, next.hash, positions.back()};
  STRATA_RETURN_IF_ERROR(Acknowledge());
  return head_;
}

Result<std::vector<StoredCommit>> CommitWriter::AppendBatch(std::vector<pb::Commit> commits) {
  STRATA_RETURN_IF_ERROR(CheckUsable());
  if (commits.empty()) return std::vector<StoredCommit>();
  std::vector<std::string> payloads(commits.size());
  std::vector<Hash> hashes(commits.size());
  Head next = head_;
  for (size_t i = 0; i < commits.size(); ++i) {
    STRATA_RETURN_IF_ERROR(Prepare(&commits[i], next.seq + 1, next.hash, &payloads[i]));
    hashes[i] = Sha256(payloads[i]);
    next.seq += 1;
    next.hash = hashes[i];
  }
  STRATA_ASSIGN_OR_RETURN(std::vector<RecordPosition> positions, log_->AppendBatch(payloads));
  std::vector<StoredCommit> out;
  out.reserve(commits.size());
  for (size_t i = 0; i < commits.size(); ++i) {
    out.push_back({std::move(commits[i]), hashes[i], positions[i], payloads[i].size(), {}});
  }
  head_ = Head{out.back().commit.seq(), out.back().hash, out.back().position};
  STRATA_RETURN_IF_ERROR(Acknowledge());
  return out;
}

// ---- CommitReader ------------------------------------------------------------------------

Result<std::unique_ptr<CommitReader>> CommitReader::Open(Env* env, const std::string& dir) {
  STRATA_ASSIGN_OR_RETURN(auto log, LogReader::Open(env, dir));
  std::unique_ptr<CommitReader> reader(new CommitReader(env, dir, std::move(log)));
  reader->LoadWitness();
  return reader;
}

// Always before the log is read: the witness only ever names a commit already durable in the
// log, so a witness read first can never be ahead of the log read after it.
void CommitReader::LoadWitness() {
  auto w = ReadWitness(env_, dir_);
  if (w.ok()) {
    witness_ = *w;
    witness_status_ = Status::Ok();
  } else {
    witness_.reset();
    witness_status_ = w.status();
  }
}

Status CommitReader::CheckWitness(const Witness& w, const StoredCommit* last) {
  const uint64_t ends = last ? last->commit.seq() : 0;
  const std::string restore = fmt::format("restore {} from a backup", DirName(dir_));
  if (ends < w.seq) {
    return Status::Corruption(fmt::format(
        "commit {} was acknowledged (head witness) but the log ends at seq {}{}: the newest "
        "commits are damaged or missing (from seq {}); {}",
        w.seq, ends, TailDetail(log_->tail_note()), ends + 1, restore));
  }
  bool same = false;
  if (ends == w.seq) {
    same = last->hash == w.hash;
  } else if (ends == w.seq + 1) {
    same = last->commit.prev_hash() == HashBytes(w.hash);
  } else {
    // Further ahead: a batch, or appends by a strata that kept no witness. Read the witnessed
    // commit where the witness says it is.
    auto at = ReadAt(w.position);
    same = at.ok() && at->commit.seq() == w.seq && at->hash == w.hash;
  }
  if (same) return Status::Ok();
  return Status::Corruption(fmt::format(
      "commit {} in the log is not the one the head witness acknowledged (its hash differs): "
      "history was rewritten from there, or {} belongs to another log; {}",
      w.seq, kWitnessFileName, restore));
}

Result<Head> CommitReader::ReadHead() {
  LoadWitness();
  STRATA_RETURN_IF_ERROR(witness_status_);
  STRATA_ASSIGN_OR_RETURN(auto last, log_->ReadLast());
  std::optional<StoredCommit> c;
  if (last) {
    STRATA_ASSIGN_OR_RETURN(c, DecodeCommit(last->first, last->second));
  }
  if (witness_) STRATA_RETURN_IF_ERROR(CheckWitness(*witness_, c ? &*c : nullptr));
  if (!c) return Head{};
  return Head{c->commit.seq(), c->hash, c->position};
}

Result<StoredCommit> CommitReader::ReadAt(const RecordPosition& position) {
  STRATA_ASSIGN_OR_RETURN(std::string payload, log_->ReadAt(position));
  STRATA_ASSIGN_OR_RETURN(StoredCommit c, DecodeCommit(position, payload));
  c.payload = std::move(payload);
  return c;
}

Status CommitReader::Scan(const CommitScanOptions& options, const Visitor& visit) {
  LoadWitness();
  if (!witness_status_.ok() && witness_status_.code() != Code::kCorruption) {
    return witness_status_;  // could not be read at all; a damaged one is reported at the end
  }
  if (options.decode_ahead) return ScanAhead(options, visit);
  ScanSlot c;  // reused: the previous commit's arena blocks are this one's
  return ScanChecked(
      options, [&c] { return &c; }, [&visit](ScanSlot* got) { return visit(got->View()); });
}

Status CommitReader::ScanChecked(const CommitScanOptions& options,
                                 const std::function<ScanSlot*()>& slot,
                                 const std::function<Status(ScanSlot*)>& emit) {
  Head prev = options.after.value_or(Head{});
  ScanOptions scan;
  scan.verify_checksums = options.verify_checksums;
  if (options.until_seq) scan.until = options.until_position;
  bool skip_first = false;
  if (options.after && options.after->position) {
    scan.from = options.after->position;
    skip_first = true;  // the scan starts at `after` itself
  }
  bool stopped = false;
  Status s = log_->Scan(scan, [&](const RecordPosition& pos, std::string_view payload) -> Status {
    if (skip_first) {
      skip_first = false;
      return Status::Ok();
    }
    ScanSlot* c = slot();
    if (c == nullptr) return Status::Aborted("the scan was stopped");
    STRATA_RETURN_IF_ERROR(c->Decode(pos, payload));
    if (options.keep_payload) c->mutable_payload()->assign(payload);
    const uint64_t seq = c->commit().seq();
    if (seq != prev.seq + 1) {
      return Status::Corruption(fmt::format(
          "commit after {} ({}): found seq {} where {} was expected (reordered or missing commits)",
          prev.seq, Where(pos), seq, prev.seq + 1));
    }
    if (c->commit().prev_hash() != HashBytes(prev.hash)) {
      return Status::Corruption(fmt::format(
          "commit {} ({}): prev_hash does not match the hash of commit {} (spliced or edited "
          "history)", seq, Where(pos), prev.seq));
    }
    Status valid = ValidateCommit(c->commit());
    if (!valid.ok()) {
      return Status::Corruption(fmt::format("commit {} ({}): {}", seq, Where(pos), valid.message()));
    }
    if (witness_ && seq == witness_->seq && c->hash() != witness_->hash) {
      return Status::Corruption(fmt::format(
          "commit {} ({}): not the commit the head witness acknowledged (its hash differs): "
          "history was rewritten from there, or {} belongs to another log",
          seq, Where(pos), kWitnessFileName));
    }
    if (options.until_seq && seq > *options.until_seq) {
      stopped = true;
      return Status::Aborted("until reached");
    }
    prev = Head{seq, c->hash(), pos};
    return emit(c);
  });
  if (stopped) return Status::Ok();
  if (s.code() == Code::kCorruption && s.message().rfind("commit ", 0) != 0) {
    // Damage found by the log layer: say which commit it is.
    return s.WithContext(fmt::format("commit {}", prev.seq + 1));
  }
  if (!s.ok()) return s;
  if (scan.until && prev.seq != *options.until_seq) {
    // The log is sound as far as it was read; what the caller said of it is not.
    return Status::FailedPrecondition(fmt::format(
        "commit {} is not where it was looked for ({}): the records up to there end with commit "
        "{}", *options.until_seq, Where(*scan.until), prev.seq));
  }
  return CheckScanEnd(options, prev.seq);
}

Status CommitReader::CheckScanEnd(const CommitScanOptions& options, uint64_t last_seq) const {
  if (!witness_status_.ok()) return witness_status_;
  if (!witness_) return Status::Ok();
  const uint64_t wanted = std::min(witness_->seq, options.until_seq.value_or(witness_->seq));
  if (last_seq >= wanted) return Status::Ok();
  return Status::Corruption(fmt::format(
      "commit {} (acknowledged by the head witness) is missing or damaged: the log ends at seq "
      "{}{}; restore {} from a backup",
      last_seq + 1, last_seq, TailDetail(log_->tail_note()), DirName(dir_)));
}

namespace {

// Decoded commits passed from the decoding thread to the visiting one, in order, with a
// bounded number in flight; visited ones go back to be decoded into again. A side that waits
// is woken once the other has done a batch of work, not for every commit: waking a thread
// costs more than decoding or applying one commit.
class Handoff {
 public:
  static constexpr size_t kInFlight = 64;
  // A waiting decoder resumes once this few are left to visit; a waiting visitor once this
  // many are ready (or the decoder has finished).
  static constexpr size_t kResumeDecoding = kInFlight / 2;
  static constexpr size_t kResumeVisiting = 8;

  // Decoding side. nullptr once the visitor has stopped.
  ScanSlot* Slot() {
    std::unique_lock lock(mu_);
    if (!cancelled_ && full_.size() >= kInFlight) {
      decoder_waiting_ = true;
      decoder_wake_.wait(lock, [this] { return cancelled_ || full_.size() <= kResumeDecoding; });
      decoder_waiting_ = false;
    }
    if (cancelled_) return nullptr;
    if (free_.empty()) return owned_.emplace_back(std::make_unique<ScanSlot>()).get();
    ScanSlot* c = free_.back();
    free_.pop_back();
    return c;
  }
  Status Push(ScanSlot* c) {
    std::lock_guard lock(mu_);
    if (cancelled_) return Status::Aborted("the visitor stopped");
    full_.push_back(c);
    if (visitor_waiting_ && full_.size() >= kResumeVisiting) visitor_wake_.notify_one();
    return Status::Ok();
  }
  void Finish(Status s) {
    std::lock_guard lock(mu_);
    done_ = true;
    decoder_status_ = std::move(s);
    visitor_wake_.notify_one();
  }

  // Visiting side. nullptr when the decoder has finished and everything was visited.
  ScanSlot* Next() {
    std::unique_lock lock(mu_);
    if (!done_ && full_.empty()) {
      visitor_waiting_ = true;
      visitor_wake_.wait(lock, [this] { return done_ || full_.size() >= kResumeVisiting; });
      visitor_waiting_ = false;
    }
    if (full_.empty()) return nullptr;
    ScanSlot* c = full_.front();
    full_.pop_front();
    if (decoder_waiting_ && full_.size() <= kResumeDecoding) decoder_wake_.notify_one();
    return c;
  }
  void Recycle(ScanSlot* c) {
    std::lock_guard lock(mu_);
    free_.push_back(c);
  }
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    decoder_wake_.notify_one();
  }
  Status decoder_status() {
    std::lock_guard lock(mu_);
    return decoder_status_;
  }

 private:
  std::mutex mu_;
  std::condition_variable decoder_wake_;
  std::condition_variable visitor_wake_;
  std::deque<ScanSlot*> full_;
  std::vector<ScanSlot*> free_;
  std::vector<std::unique_ptr<ScanSlot>> owned_;  // only the decoding side adds
  bool decoder_waiting_ = false;
  bool visitor_waiting_ = false;
  bool cancelled_ = false;
  bool done_ = false;
  Status decoder_status_;
};

}  // namespace

Status CommitReader::ScanAhead(const CommitScanOptions& options, const Visitor& visit) {
  Handoff handoff;
  std::optional<std::thread> decoder = TryStartThread([&] {
    Status s = ScanChecked(
        options,
        [&handoff] { return handoff.Slot(); },
        [&handoff](ScanSlot* c) { return handoff.Push(c); });
    handoff.Finish(std::move(s));
  });
  if (!decoder) {
    // No thread to be had (a process limit): decode and visit in turn, as without decode_ahead.
    ScanSlot c;
    return ScanChecked(
        options, [&c] { return &c; }, [&visit](ScanSlot* got) { return visit(got->View()); });
  }
  Status visited;
  while (ScanSlot* c = handoff.Next()) {
    visited = visit(c->View());
    handoff.Recycle(c);
    if (!visited.ok()) {
      handoff.Cancel();
      break;
    }
  }
  decoder->join();
  // A visitor error comes from an earlier commit than anything the decoder found after it.
  return visited.ok() ? handoff.decoder_status() : visited;
}

}  // namespace strata
