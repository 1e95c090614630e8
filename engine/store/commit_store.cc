#include "engine/store/commit_store.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <openssl/evp.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/state/validate.h"

namespace strata {

Hash Sha256(std::string_view bytes) {
  Hash out{};
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out.data(), &len, EVP_sha256(), nullptr);
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

namespace {

std::string Where(const RecordPosition& p) {
  return fmt::format("segment {} at offset {}", p.segment, p.offset);
}

std::string_view HashBytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

// Parses into `out`, reusing what its earlier contents allocated (a scan decodes every record
// into one StoredCommit, which saves most of the allocations of a parse).
Status DecodeInto(const RecordPosition& position, std::string_view payload, StoredCommit* out) {
  if (!out->commit.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return Status::Corruption(Where(position) + ": record is not a commit");
  }
  out->hash = Sha256(payload);
  out->position = position;
  out->payload_bytes = payload.size();
  return Status::Ok();
}

}  // namespace

Result<StoredCommit> DecodeCommit(const RecordPosition& position, std::string_view payload) {
  StoredCommit out;
  STRATA_RETURN_IF_ERROR(DecodeInto(position, payload, &out));
  return out;
}

// ---- CommitWriter ------------------------------------------------------------------------

Result<std::unique_ptr<CommitWriter>> CommitWriter::Open(Env* env, const std::string& dir,
                                                         const LogOptions& options) {
  STRATA_ASSIGN_OR_RETURN(auto log, LogWriter::Open(env, dir, options));
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(env, dir));
  STRATA_ASSIGN_OR_RETURN(Head head, reader->ReadHead());
  return std::unique_ptr<CommitWriter>(new CommitWriter(std::move(log), head));
}

Status CommitWriter::Prepare(pb::Commit* commit, uint64_t seq, const Hash& prev,
                             std::string* payload) {
  commit->set_seq(seq);
  commit->set_prev_hash(std::string(HashBytes(prev)));
  STRATA_RETURN_IF_ERROR(ValidateCommit(*commit));
  // Deterministic: map entries in key order, so the same commit always hashes the same
  // (reproducible demos and tests). The chain never depends on it: readers hash what is stored.
  payload->clear();
  {
    google::protobuf::io::StringOutputStream stream(payload);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    if (!commit->SerializeToCodedStream(&coded)) return Status::Internal("commit did not serialize");
  }
  return Status::Ok();
}

Result<StoredCommit> CommitWriter::Append(pb::Commit commit) {
  std::string payload;
  STRATA_RETURN_IF_ERROR(Prepare(&commit, head_.seq + 1, head_.hash, &payload));
  STRATA_ASSIGN_OR_RETURN(RecordPosition pos, log_->Append(payload));
  StoredCommit stored{std::move(commit), Sha256(payload), pos, payload.size()};
  head_ = Head{stored.commit.seq(), stored.hash, pos};
  return stored;
}

Result<std::vector<StoredCommit>> CommitWriter::AppendBatch(std::vector<pb::Commit> commits) {
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
    out.push_back({std::move(commits[i]), hashes[i], positions[i], payloads[i].size()});
  }
  if (!out.empty()) head_ = Head{out.back().commit.seq(), out.back().hash, out.back().position};
  return out;
}

// ---- CommitReader ------------------------------------------------------------------------

Result<std::unique_ptr<CommitReader>> CommitReader::Open(Env* env, const std::string& dir) {
  STRATA_ASSIGN_OR_RETURN(auto log, LogReader::Open(env, dir));
  return std::unique_ptr<CommitReader>(new CommitReader(std::move(log)));
}

Result<Head> CommitReader::ReadHead() {
  STRATA_ASSIGN_OR_RETURN(auto last, log_->ReadLast());
  if (!last) return Head{};
  STRATA_ASSIGN_OR_RETURN(StoredCommit c, DecodeCommit(last->first, last->second));
  return Head{c.commit.seq(), c.hash, c.position};
}

Result<StoredCommit> CommitReader::ReadAt(const RecordPosition& position) {
  STRATA_ASSIGN_OR_RETURN(std::string payload, log_->ReadAt(position));
  return DecodeCommit(position, payload);
}

Status CommitReader::Scan(const CommitScanOptions& options, const Visitor& visit) {
  if (options.decode_ahead) return ScanAhead(options, visit);
  StoredCommit c;  // reused: a parse into it recycles what the previous one allocated
  return ScanChecked(
      options, [&c] { return &c; }, [&visit](StoredCommit* got) { return visit(*got); });
}

Status CommitReader::ScanChecked(const CommitScanOptions& options,
                                 const std::function<StoredCommit*()>& slot,
                                 const std::function<Status(StoredCommit*)>& emit) {
  Head prev = options.after.value_or(Head{});
  ScanOptions scan;
  scan.verify_checksums = options.verify_checksums;
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
    StoredCommit* c = slot();
    if (c == nullptr) return Status::Aborted("the scan was stopped");
    STRATA_RETURN_IF_ERROR(DecodeInto(pos, payload, c));
    const uint64_t seq = c->commit.seq();
    if (seq != prev.seq + 1) {
      return Status::Corruption(fmt::format(
          "commit after {} ({}): found seq {} where {} was expected (reordered or missing commits)",
          prev.seq, Where(pos), seq, prev.seq + 1));
    }
    if (c->commit.prev_hash() != HashBytes(prev.hash)) {
      return Status::Corruption(fmt::format(
          "commit {} ({}): prev_hash does not match the hash of commit {} (spliced or edited "
          "history)", seq, Where(pos), prev.seq));
    }
    Status valid = ValidateCommit(c->commit);
    if (!valid.ok()) {
      return Status::Corruption(fmt::format("commit {} ({}): {}", seq, Where(pos), valid.message()));
    }
    if (options.until_seq && seq > *options.until_seq) {
      stopped = true;
      return Status::Aborted("until reached");
    }
    prev = Head{seq, c->hash, pos};
    return emit(c);
  });
  if (stopped) return Status::Ok();
  if (s.code() == Code::kCorruption && s.message().rfind("commit ", 0) != 0) {
    // Damage found by the log layer: say which commit it is.
    return s.WithContext(fmt::format("commit {}", prev.seq + 1));
  }
  return s;
}

namespace {

// Decoded commits passed from the decoding thread to the visiting one, in order, with a
// bounded number in flight; visited ones go back to be decoded into again.
class Handoff {
 public:
  static constexpr size_t kInFlight = 64;

  // Decoding side. nullptr once the visitor has stopped.
  StoredCommit* Slot() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return cancelled_ || full_.size() < kInFlight; });
    if (cancelled_) return nullptr;
    if (free_.empty()) return owned_.emplace_back(std::make_unique<StoredCommit>()).get();
    StoredCommit* c = free_.back();
    free_.pop_back();
    return c;
  }
  Status Push(StoredCommit* c) {
    std::lock_guard lock(mu_);
    if (cancelled_) return Status::Aborted("the visitor stopped");
    full_.push_back(c);
    changed_.notify_all();
    return Status::Ok();
  }
  void Finish(Status s) {
    std::lock_guard lock(mu_);
    done_ = true;
    decoder_status_ = std::move(s);
    changed_.notify_all();
  }

  // Visiting side. nullptr when the decoder has finished and everything was visited.
  StoredCommit* Next() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return done_ || !full_.empty(); });
    if (full_.empty()) return nullptr;
    StoredCommit* c = full_.front();
    full_.pop_front();
    return c;
  }
  void Recycle(StoredCommit* c) {
    std::lock_guard lock(mu_);
    free_.push_back(c);
    changed_.notify_all();
  }
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    changed_.notify_all();
  }
  Status decoder_status() {
    std::lock_guard lock(mu_);
    return decoder_status_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<StoredCommit*> full_;
  std::vector<StoredCommit*> free_;
  std::vector<std::unique_ptr<StoredCommit>> owned_;  // only the decoding side adds
  bool cancelled_ = false;
  bool done_ = false;
  Status decoder_status_;
};

}  // namespace

Status CommitReader::ScanAhead(const CommitScanOptions& options, const Visitor& visit) {
  Handoff handoff;
  std::thread decoder([&] {
    Status s = ScanChecked(
        options,
        [&handoff] { return handoff.Slot(); },
        [&handoff](StoredCommit* c) { return handoff.Push(c); });
    handoff.Finish(std::move(s));
  });
  Status visited;
  while (StoredCommit* c = handoff.Next()) {
    visited = visit(*c);
    handoff.Recycle(c);
    if (!visited.ok()) {
      handoff.Cancel();
      break;
    }
  }
  decoder.join();
  // A visitor error comes from an earlier commit than anything the decoder found after it.
  return visited.ok() ? handoff.decoder_status() : visited;
}

}  // namespace strata
