// S3LogStore: a strata log in an S3 bucket (general-purpose buckets; any store that honours
// `If-None-Match: *`), one immutable object per commit:
//
//   PREFIX/log/00000000000000000001.commit   the commit's stored bytes, exactly; user metadata
//   PREFIX/log/00000000000000000002.commit   x-amz-meta-strata-sha256 = their SHA-256 (hex)
//   PREFIX/probe/<random>                    written by ProbeConditionalWrites, then removed
//
// The key is the seq in 20 zero-padded digits, so the bucket lists entries in seq order. An
// append is one PutObject with `If-None-Match: *`: S3 creates the key for exactly one writer and
// answers the others 412, which is the commit point. Entries are never overwritten or deleted by
// strata; a missing key below the head is Corruption naming the seq, and nothing re-creates it.
// Not thread-safe (it caches the last entry it saw); any number of processes may share the log.
// docs/team-log.md has the protocol, the bucket policy and the costs.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "adapters/aws/credentials.h"
#include "adapters/aws/s3_client.h"
#include "engine/store/log_store.h"

namespace strata::aws {

// What `s3://BUCKET/PREFIX?region=R&endpoint=URL&profile=P` says. PREFIX has no leading or
// trailing '/' and may be empty (the log at the bucket's root).
struct S3LogUrl {
  std::string bucket;
  std::string prefix;
  std::string region, endpoint, profile;  // empty: the AWS environment decides
};

// InvalidArgument naming the URL and what is wrong: another scheme, a bucket name S3 does not
// allow, an unknown parameter, an endpoint that is not http(s)://.
Result<S3LogUrl> ParseS3LogUrl(const std::string& url);

struct S3LogStoreOptions {
  std::shared_ptr<const S3Client> client;
  std::string prefix;  // as in S3LogUrl
  // A 409 ConditionalRequestConflict (a concurrent conditional write to the same key) is retried
  // at the same seq up to this many attempts in all, waiting `sleep` in between.
  int conflict_attempts = 5;
  std::chrono::milliseconds conflict_delay{50};
  std::function<void(std::chrono::milliseconds)> sleep;  // empty: no wait
  std::function<double()> random;  // in [0, 1): probe names and jitter; empty: a counter
};

class S3LogStore : public LogStore {
 public:
  explicit S3LogStore(S3LogStoreOptions options);

  // "S3 log s3://bucket/prefix (endpoint http://127.0.0.1:5000)".
  std::string Describe() const override;
  bool shared() const override { return true; }
  // Lists PREFIX/log/ (after the newest entry this store has seen) and GETs the last entry.
  Result<Head> ReadHead() override;
  Result<std::vector<LogEntry>> Read(uint64_t from, size_t limit) override;
  // Checks the commit against entry seq-1 (read, or the last entry this store saw), then
  // PUTs it with If-None-Match: *. Conflict for 412; Unavailable when the answer was lost (or
  // 409s went on past conflict_attempts).
  Result<Head> Append(uint64_t seq, std::string_view payload) override;
  // PUTs PREFIX/probe/<random> twice with If-None-Match: *; the second must be refused (412).
  // FailedPrecondition when it was accepted.
  Status ProbeConditionalWrites() override;

  // PREFIX/log/<20 digits>.commit.
  std::string EntryKey(uint64_t seq) const;

 private:
  struct Seen {
    uint64_t seq = 0;
    Hash hash{};
  };
  // The seqs of the entry keys after entry `after`, at most `max` (0: all), checked to be
  // dense from after+1. Corruption for a gap or a key that is not an entry.
  Result<std::vector<uint64_t>> ListAfter(uint64_t after, size_t max);
  // Entry `seq`'s bytes, checked against their stored SHA-256. NotFound when there is none.
  Result<LogEntry> Get(uint64_t seq);
  Status Put(const std::string& key, std::string_view body, const Hash& hash);
  void Remember(const LogEntry& entry);

  S3LogStoreOptions options_;
  std::string log_prefix_;  // "PREFIX/log/"
  std::optional<Seen> seen_;  // the newest entry this store has read or written
  // The entries read or written lately (at most kKeptEntries, the newest): entries never
  // change, so a writer catching up after a lost race reads each one from S3 once.
  static constexpr size_t kKeptEntries = 1024;
  std::map<uint64_t, LogEntry> kept_;
  uint64_t counter_ = 0;
};

// A store for `url` reached the way a strata target reaches AWS: the URL's region, profile and
// endpoint, else the AWS environment (`getenv`: AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_S3,
// the shared config files under HOME, the credential chain). InvalidArgument for a bad URL or
// config, naming the URL. No request is sent.
Result<std::unique_ptr<S3LogStore>> OpenS3LogStore(const std::string& url, const GetEnv& getenv);

}  // namespace strata::aws
