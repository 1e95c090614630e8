#include "adapters/aws/s3_log_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "adapters/aws/session.h"
#include "adapters/common/url_query.h"

namespace strata::aws {
namespace {

constexpr std::string_view kScheme = "s3://";
constexpr std::string_view kSuffix = ".commit";
constexpr size_t kDigits = 20;
constexpr std::string_view kShaHeader = "x-amz-meta-strata-sha256";
constexpr size_t kPage = 1000;  // S3's largest listing page

// S3's rules for general-purpose bucket names: 3-63 characters of a-z 0-9 . -, starting and
// ending with a letter or digit.
bool IsBucketName(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  auto alnum = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char ch) { return alnum(ch) || ch == '.' || ch == '-'; });
}

std::string Trim(std::string_view s, char ch) {
  while (!s.empty() && s.front() == ch) s.remove_prefix(1);
  while (!s.empty() && s.back() == ch) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

Result<S3LogUrl> ParseS3LogUrl(const std::string& url) {
  if (!url.starts_with(kScheme)) {
    return Status::InvalidArgument(fmt::format("log {}: an S3 log URL starts with s3://", url));
  }
  const size_t q = url.find('?');
  const std::string path = url.substr(kScheme.size(), q == std::string::npos ? std::string::npos
                                                                              : q - kScheme.size());
  S3LogUrl out;
  const size_t slash = path.find('/');
  out.bucket = path.substr(0, slash);
  if (slash != std::string::npos) out.prefix = Trim(std::string_view(path).substr(slash + 1), '/');
  if (!IsBucketName(out.bucket)) {
    return Status::InvalidArgument(fmt::format(
        "log {}: '{}' is not an S3 bucket name (3 to 63 characters: a-z, 0-9, '.' and '-'); "
        "write s3://BUCKET/PREFIX",
        url, out.bucket));
  }
  if (out.prefix.find("//") != std::string::npos) {
    return Status::InvalidArgument(
        fmt::format("log {}: the prefix '{}' has an empty path segment ('//')", url, out.prefix));
  }
  if (q != std::string::npos) {
    for (const common::QueryPart& part : common::SplitQuery(std::string_view(url).substr(q + 1))) {
      const std::string& key = part.key;
      const std::string& value = part.value;
      if (key == "region") {
        out.region = value;
      } else if (key == "endpoint") {
        if (!value.starts_with("http://") && !value.starts_with("https://")) {
          return Status::InvalidArgument(fmt::format(
              "log {}: endpoint={} is not an http:// or https:// URL", url, value));
        }
        out.endpoint = value;
        while (out.endpoint.ends_with('/')) out.endpoint.pop_back();
      } else if (key == "profile") {
        out.profile = value;
      } else {
        return Status::InvalidArgument(fmt::format(
            "log {}: unknown parameter '{}' (an S3 log takes region=, endpoint= and profile=)",
            url, key));
      }
    }
  }
  return out;
}

S3LogStore::S3LogStore(S3LogStoreOptions options) : options_(std::move(options)) {
  log_prefix_ = (options_.prefix.empty() ? "" : options_.prefix + "/") + "log/";
}

std::string S3LogStore::Describe() const {
  return fmt::format("S3 log s3://{}{}{} (endpoint {})", options_.client->bucket(),
                     options_.prefix.empty() ? "" : "/", options_.prefix,
                     options_.client->endpoint());
}

std::string S3LogStore::EntryKey(uint64_t seq) const {
  return fmt::format("{}{:0{}}{}", log_prefix_, seq, kDigits, kSuffix);
}

void S3LogStore::Remember(const LogEntry& entry) {
  if (!seen_ || seen_->seq <= entry.seq) seen_ = Seen{entry.seq, entry.hash};
  kept_.insert_or_assign(entry.seq, entry);
  while (kept_.size() > kKeptEntries) kept_.erase(kept_.begin());
}

Result<std::vector<uint64_t>> S3LogStore::ListAfter(uint64_t after, size_t max) {
  std::vector<uint64_t> seqs;
  S3ListRequest request;
  request.prefix = log_prefix_;
  request.start_after = EntryKey(after);
  uint64_t expected = after + 1;
  for (;;) {
    request.max_keys = static_cast<int>(max == 0 ? kPage : std::min(kPage, max - seqs.size()));
    auto page = options_.client->ListObjectsV2(request);
    if (!page.ok()) return page.status().WithContext(Describe() + ": listing the entries");
    for (const std::string& key : page->keys) {
      std::string_view name = std::string_view(key).substr(log_prefix_.size());
      const bool well_formed =
          key.starts_with(log_prefix_) && name.size() == kDigits + kSuffix.size() &&
          name.ends_with(kSuffix) &&
          std::all_of(name.begin(), name.begin() + kDigits,
                      [](char ch) { return ch >= '0' && ch <= '9'; });
      if (!well_formed) {
        return Status::Corruption(fmt::format(
            "{}: {} is not a log entry (entries are {}<20 digits>.commit); remove it or move the "
            "log to a prefix of its own",
            Describe(), key, log_prefix_));
      }
      const uint64_t seq = std::stoull(std::string(name.substr(0, kDigits)));
      if (seq != expected) {
        return Status::Corruption(fmt::format(
            "{}: commit {} is missing (the next entry is {}); entries are never deleted: restore "
            "the object {} from a backup or version, and look for a lifecycle rule or a "
            "DeleteObject on the prefix",
            Describe(), expected, seq, EntryKey(expected)));
      }
      seqs.push_back(seq);
      ++expected;
      if (max != 0 && seqs.size() >= max) return seqs;
    }
    if (page->next_continuation_token.empty()) return seqs;
    request.continuation_token = page->next_continuation_token;
  }
}

Result<LogEntry> S3LogStore::Get(uint64_t seq) {
  if (auto it = kept_.find(seq); it != kept_.end()) return it->second;
  auto object = options_.client->GetObject(EntryKey(seq));
  if (!object.ok()) {
    if (object.status().code() == Code::kNotFound) {
      return Status::NotFound(fmt::format("{}: commit {} has no object {}", Describe(), seq,
                                          EntryKey(seq)));
    }
    return object.status().WithContext(fmt::format("{}: reading commit {}", Describe(), seq));
  }
  LogEntry e;
  e.seq = seq;
  e.payload = std::move(object->body);
  e.hash = Sha256(e.payload);
  const std::string_view stored = FindHeader(object->headers, kShaHeader);
  if (!stored.empty() && stored != HashHex(e.hash)) {
    return Status::Corruption(fmt::format(
        "{}: commit {}: the object's bytes do not match its {} ({}); the object was changed",
        Describe(), seq, kShaHeader, stored));
  }
  Remember(e);
  return e;
}

Result<Head> S3LogStore::ReadHead() {
  const uint64_t after = seen_ ? seen_->seq : 0;
  STRATA_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs, ListAfter(after, 0));
  if (seqs.empty()) return seen_ ? Head{seen_->seq, seen_->hash, std::nullopt} : Head{};
  auto last = Get(seqs.back());
  if (!last.ok()) {
    if (last.status().code() == Code::kNotFound) return Status::Corruption(last.status().message());
    return last.status();
  }
  return Head{last->seq, last->hash, std::nullopt};
}

Result<std::vector<LogEntry>> S3LogStore::Read(uint64_t from, size_t limit) {
  if (from == 0 || limit == 0) {
    return Status::InvalidArgument("S3 log store: Read needs from >= 1 and limit > 0");
  }
  // The entries kept from earlier reads first (they cannot have changed), then the listing
  // from the first one not kept: it finds what is new, and any gap after it.
  std::vector<LogEntry> out;
  uint64_t next = from;
  for (auto it = kept_.find(next); it != kept_.end() && it->first == next && out.size() < limit;
       ++it, ++next) {
    out.push_back(it->second);
  }
  if (out.size() == limit) return out;
  STRATA_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs, ListAfter(next - 1, limit - out.size()));
  for (uint64_t seq : seqs) {
    auto e = Get(seq);
    if (!e.ok()) {
      if (e.status().code() == Code::kNotFound) return Status::Corruption(e.status().message());
      return e.status();
    }
    out.push_back(std::move(*e));
  }
  return out;
}

Status S3LogStore::Put(const std::string& key, std::string_view body, const Hash& hash) {
  Status s;
  for (int attempt = 1;; ++attempt) {
    s = options_.client->PutObjectIfAbsent(key, body, {{"strata-sha256", HashHex(hash)}});
    if (s.code() != Code::kAborted) return s;
    if (attempt >= options_.conflict_attempts) break;
    if (options_.sleep) {
      const double r = options_.random ? options_.random() : 0.5;
      options_.sleep(std::chrono::milliseconds(
          static_cast<int64_t>(options_.conflict_delay.count() * attempt * (0.5 + r))));
    }
  }
  return Status::Unavailable(fmt::format("{} (after {} attempts)", s.message(),
                                         options_.conflict_attempts));
}

Result<Head> S3LogStore::Append(uint64_t seq, std::string_view payload) {
  if (seq == 0) return Status::InvalidArgument(Describe() + ": there is no commit 0");
  if (seen_ && seen_->seq >= seq) {
    return Status::Conflict(fmt::format("{}: commit {} exists already", Describe(), seq));
  }
  Head prev;
  if (seq > 1) {
    if (seen_ && seen_->seq == seq - 1) {
      prev = Head{seen_->seq, seen_->hash, std::nullopt};
    } else {
      auto before = Get(seq - 1);
      if (!before.ok()) {
        if (before.status().code() == Code::kNotFound) {
          return Status::InvalidArgument(fmt::format(
              "{}: commit {} would leave a gap: there is no commit {}", Describe(), seq, seq - 1));
        }
        return before.status();
      }
      prev = Head{before->seq, before->hash, std::nullopt};
    }
  }
  STRATA_RETURN_IF_ERROR(CheckEntry(seq, payload, prev).WithContext(Describe()));
  const Hash hash = Sha256(payload);
  Status s = Put(EntryKey(seq), payload, hash);
  switch (s.code()) {
    case Code::kOk:
      Remember(LogEntry{seq, std::string(payload), hash});
      return Head{seq, hash, std::nullopt};
    case Code::kConflict:
      return Status::Conflict(fmt::format("{}: commit {} exists already ({})", Describe(), seq,
                                          s.message()));
    case Code::kUnavailable:
      return Status::Unavailable(fmt::format(
          "{}: appending commit {}: {}; it may or may not have been written", Describe(), seq,
          s.message()));
    default:
      return s.WithContext(fmt::format("{}: appending commit {}", Describe(), seq));
  }
}

Status S3LogStore::ProbeConditionalWrites() {
  std::string name;
  for (int i = 0; i < 4; ++i) {
    const double r = options_.random ? options_.random() : 0.0;
    name += fmt::format("{:08x}", static_cast<uint32_t>(r * 4294967296.0) ^
                                      static_cast<uint32_t>(counter_++ * 2654435761u));
  }
  const std::string key =
      (options_.prefix.empty() ? "" : options_.prefix + "/") + "probe/" + name;
  const std::string body = "strata: a probe of create-only writes; safe to delete\n";
  const Hash hash = Sha256(body);
  Status first = Put(key, body, hash);
  if (first.code() == Code::kNotFound) {
    return first.WithContext(fmt::format(
        "{}: probing conditional writes with {} (does the bucket exist? create it first, e.g. "
        "aws s3 mb s3://{})",
        Describe(), key, options_.client->bucket()));
  }
  if (!first.ok()) {
    return first.WithContext(fmt::format("{}: probing conditional writes with {}", Describe(), key));
  }
  Status second = Put(key, body, hash);
  (void)options_.client->DeleteObject(key);  // best effort: a probe left behind is harmless
  if (second.code() == Code::kConflict) return Status::Ok();
  if (second.ok()) {
    return Status::FailedPrecondition(fmt::format(
        "{}: this S3 endpoint ignores If-None-Match; a log on it would fork (a second "
        "create-only PUT of {} was accepted). Keep the log on a store that refuses it with 412 "
        "(AWS S3 does; for an S3-compatible store, check that its PutObject supports "
        "If-None-Match: *), or on PostgreSQL",
        Describe(), key));
  }
  return second.WithContext(fmt::format("{}: probing conditional writes with {}", Describe(), key));
}

Result<std::unique_ptr<S3LogStore>> OpenS3LogStore(const std::string& url, const GetEnv& getenv) {
  STRATA_ASSIGN_OR_RETURN(S3LogUrl parsed, ParseS3LogUrl(url));
  SessionOptions o;
  o.getenv = getenv;
  o.home_dir = getenv("HOME").value_or("");
  o.region = parsed.region;
  o.profile = parsed.profile;
  o.endpoint_url = parsed.endpoint;
  o.http = HttpOptionsFromEnvironment(getenv);
  auto session = Session::Open(o);
  if (!session.ok()) return session.status().WithContext("log " + url);
  S3LogStoreOptions options;
  options.client = std::make_shared<const S3Client>((*session)->Client("s3"), parsed.bucket);
  options.prefix = parsed.prefix;
  const RetryEnvironment env = RetryEnvironment::Real();
  options.sleep = env.sleep;
  options.random = env.random;
  return std::make_unique<S3LogStore>(std::move(options));
}

}  // namespace strata::aws
