// Helpers for the log tests: a temporary directory, raw segment-file surgery (flip, cut,
// splice bytes), reading a whole log back, and a generator of synthetic commit payloads that
// look like the store's (protobuf wire format: a header, a 32-byte hash, 1-50 small events
// drawn from a fixed vocabulary). Deterministic for a seed; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "engine/log/env.h"
#include "engine/log/log.h"
#include "engine/log/log_format.h"

namespace strata::log_test {

// A fresh directory under the test temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "." + info->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    path_ = std::filesystem::path(::testing::TempDir()) / ("strata_log_" + name);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }
  std::string log() const { return (path_ / ".strata").string(); }

 private:
  std::filesystem::path path_;
};

inline std::string SegmentFile(const std::string& dir, uint32_t n) {
  return dir + "/" + log_format::SegmentFileName(n);
}

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline void FlipByte(const std::string& path, uint64_t offset, uint8_t mask = 0x40) {
  std::string b = ReadBytes(path);
  ASSERT_LT(offset, b.size());
  b[offset] = static_cast<char>(b[offset] ^ mask);
  WriteBytes(path, b);
}

inline void CutFile(const std::string& path, uint64_t size) {
  std::filesystem::resize_file(path, size);
}

inline uint64_t LogBytes(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (log_format::ParseSegmentFileName(e.path().filename().string())) total += e.file_size();
  }
  return total;
}

struct Record {
  RecordPosition position;
  std::string payload;
};

// Every record, in order; fails the test on a scan error.
inline std::vector<Record> ReadAllRecords(Env* env, const std::string& dir) {
  std::vector<Record> out;
  auto reader = LogReader::Open(env, dir);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return out;
  Status s = (*reader)->Scan({}, [&](const RecordPosition& p, std::string_view payload) {
    out.push_back({p, std::string(payload)});
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

inline std::vector<std::string> Payloads(const std::vector<Record>& records) {
  std::vector<std::string> out;
  for (const Record& r : records) out.push_back(r.payload);
  return out;
}

// The Status of a full scan (verify on), for corruption tests.
inline Status ScanStatus(Env* env, const std::string& dir) {
  auto reader = LogReader::Open(env, dir);
  if (!reader.ok()) return reader.status();
  return (*reader)->Scan({}, [](const RecordPosition&, std::string_view) { return Status::Ok(); });
}

// Synthetic commits in protobuf wire format.
class PayloadGenerator {
 public:
  explicit PayloadGenerator(uint64_t seed) : rng_(seed) {
    const char* stems[] = {"orders", "customers", "invoices", "payments", "sessions", "events",
                           "products", "inventory", "shipments", "accounts", "audit_log",
                           "feature_flags", "carts", "reviews", "users", "devices"};
    for (const char* s : stems) {
      tables_.push_back(std::string(s));
      tables_.push_back(std::string(s) + "_v2");
    }
    const char* attrs[] = {"id", "pk", "sk", "created_at", "updated_at", "status", "owner_id",
                           "tenant_id", "email", "amount", "currency", "region", "ttl",
                           "version", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "sku", "price",
                           "quantity", "name", "description", "tags", "expires_at"};
    for (const char* a : attrs) attributes_.push_back(a);
    const char* people[] = {"alice", "bob", "carol", "dave", "erin"};
    for (const char* p : people) people_.push_back(p);
  }

  // One event of about 50-130 bytes.
  std::string Event() {
    std::string change;
    const std::string& table = Pick(tables_);
    PutString(&change, 1, table);
    switch (Uniform(0, 4)) {
      case 0: {  // add attribute definitions and a key schema
        std::string a;
        PutString(&a, 1, Pick(attributes_));
        PutVarintField(&a, 2, Uniform(1, 3));
        PutString(&a, 3, Pick(attributes_));
        PutVarintField(&a, 4, Uniform(1, 3));
        PutString(&a, 5, Uniform(0, 1) ? "HASH" : "RANGE");
        PutMessage(&change, 2, a);
        break;
      }
      case 1: {  // add global secondary index
        std::string g;
        const int n = Uniform(1, 2);
        PutString(&g, 1, "gsi" + std::to_string(n) + "_" + Pick(attributes_));
        PutString(&g, 2, "gsi" + std::to_string(n) + "pk");
        PutString(&g, 3, "gsi" + std::to_string(n) + "sk");
        PutVarintField(&g, 4, Uniform(1, 3));
        PutVarintField(&g, 5, 5 * Uniform(1, 40));
        PutVarintField(&g, 6, 5 * Uniform(1, 40));
        PutMessage(&change, 3, g);
        break;
      }
      case 2: {  // provisioned throughput
        std::string t;
        PutVarintField(&t, 1, 5 * Uniform(1, 200));
        PutVarintField(&t, 2, 5 * Uniform(1, 200));
        PutVarintField(&t, 3, 5 * Uniform(1, 200));
        PutVarintField(&t, 4, 5 * Uniform(1, 200));
        PutMessage(&change, 4, t);
        break;
      }
      case 3: {  // time to live
        std::string t;
        PutString(&t, 1, Uniform(0, 1) ? "ttl" : "expires_at");
        PutVarintField(&t, 2, 1);
        PutString(&t, 3, "arn:aws:dynamodb:eu-west-1:123456789012:table/" + table);
        PutMessage(&change, 5, t);
        break;
      }
      default: {  // tags
        std::string t;
        PutString(&t, 1, "team");
        PutString(&t, 2, Pick(people_) + "-squad");
        PutString(&t, 3, "cost-center");
        PutString(&t, 4, "cc-" + std::to_string(Uniform(1000, 1099)));
        PutString(&t, 5, "environment");
        PutString(&t, 6, Uniform(0, 2) ? "production" : "staging");
        PutMessage(&change, 6, t);
        break;
      }
    }
    std::string event;
    PutMessage(&event, 1, change);
    return event;
  }

  // A commit with `events` events (1-50 when 0), its seq, hash and header.
  std::string Commit(int events = 0) {
    if (events == 0) events = Uniform(1, 50);
    ++seq_;
    time_ += 1000000ull * Uniform(30, 86400);
    std::string c;
    PutVarintField(&c, 1, seq_);
    std::string hash(32, '\0');
    for (char& b : hash) b = static_cast<char>(rng_());
    PutString(&c, 2, hash);
    PutVarintField(&c, 3, time_);
    std::string actor;
    const std::string& who = Pick(people_);
    PutString(&actor, 1, who);
    PutString(&actor, 2, who + "@example.com");
    PutString(&actor, 3, "laptop-" + who);
    PutMessage(&c, 4, actor);
    PutString(&c, 5, "generate: " + Pick(tables_) + " schema update #" + std::to_string(seq_));
    PutVarintField(&c, 6, Uniform(1, 3));
    PutString(&c, 7, "dynamodb");
    PutVarintField(&c, 8, 1);
    for (int i = 0; i < events; ++i) PutMessage(&c, 9, Event());
    last_events_ = events;
    return c;
  }
  int last_events() const { return last_events_; }

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::mt19937_64& rng() { return rng_; }

 private:
  const std::string& Pick(const std::vector<std::string>& v) {
    // Skewed: early entries are more common, as real schemas are.
    const size_t a = static_cast<size_t>(Uniform(0, static_cast<int>(v.size()) - 1));
    const size_t b = static_cast<size_t>(Uniform(0, static_cast<int>(v.size()) - 1));
    return v[std::min(a, b)];
  }
  static void PutVarint(std::string* out, uint64_t v) {
    while (v >= 0x80) {
      out->push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out->push_back(static_cast<char>(v));
  }
  static void PutVarintField(std::string* out, int field, uint64_t v) {
    PutVarint(out, static_cast<uint64_t>(field) << 3);
    PutVarint(out, v);
  }
  static void PutString(std::string* out, int field, const std::string& s) {
    PutVarint(out, (static_cast<uint64_t>(field) << 3) | 2);
    PutVarint(out, s.size());
    out->append(s);
  }
  static void PutMessage(std::string* out, int field, const std::string& m) {
    PutString(out, field, m);
  }

  std::mt19937_64 rng_;
  std::vector<std::string> tables_;
  std::vector<std::string> attributes_;
  std::vector<std::string> people_;
  uint64_t seq_ = 0;
  uint64_t time_ = 1700000000ull * 1000000ull;
  int last_events_ = 0;
};

}  // namespace strata::log_test
