#include "engine/log/zstd_codec.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "engine/log/log.h"
#include "tests/engine/log/log_test_util.h"

namespace strata {
namespace {

using log_test::PayloadGenerator;
using log_test::TempDir;

struct Measured {
  uint64_t log_bytes = 0;
  uint64_t raw_bytes = 0;
  uint64_t records = 0;
  uint64_t events = 0;
  double seconds = 0;
};

// Writes `commits` synthetic commits (events per commit in [lo, hi]) in batches of 100.
Measured WriteLog(const std::string& dir, const LogOptions& options, int commits, int lo,
                  int hi, uint64_t seed) {
  auto env = NewPosixEnv();
  PayloadGenerator gen(seed);
  Measured m;
  auto writer = LogWriter::Open(env.get(), dir, options);
  EXPECT_TRUE(writer.ok());
  if (!writer.ok()) return m;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> batch;
  for (int i = 0; i < commits; ++i) {
    batch.push_back(gen.Commit(gen.Uniform(lo, hi)));
    m.raw_bytes += batch.back().size();
    m.events += gen.last_events();
    if (batch.size() == 100 || i + 1 == commits) {
      auto pos = (*writer)->AppendBatch(batch);
      EXPECT_TRUE(pos.ok()) << pos.status().ToString();
      batch.clear();
    }
  }
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.records = static_cast<uint64_t>(commits);
  m.log_bytes = log_test::LogBytes(dir);
  return m;
}

TEST(LogCompressionTest, DictionaryBeatsNoDictionaryOnSmallPayloads) {
  TempDir dir;
  LogOptions with;
  LogOptions without;
  without.dictionary_bytes = 0;
  const Measured a = WriteLog(dir.path() + "/with", with, 3000, 1, 3, 11);
  const Measured b = WriteLog(dir.path() + "/without", without, 3000, 1, 3, 11);
  ASSERT_EQ(a.raw_bytes, b.raw_bytes);
  const double per_with = static_cast<double>(a.log_bytes) / a.records;
  const double per_without = static_cast<double>(b.log_bytes) / b.records;
  std::printf("small payloads: raw %.1f B/record, dictionary %.1f B/record, none %.1f B/record\n",
              static_cast<double>(a.raw_bytes) / a.records, per_with, per_without);
  RecordProperty("bytes_per_record_dictionary", std::to_string(per_with));
  RecordProperty("bytes_per_record_plain", std::to_string(per_without));
  EXPECT_LT(per_with, 0.75 * per_without);
}

TEST(LogCompressionTest, TypicalCommitsStayUnderTheBudgetPerEvent) {
  TempDir dir;
  const Measured m = WriteLog(dir.log(), LogOptions{}, 4000, 1, 50, 12);
  LogOptions plain;
  plain.dictionary_bytes = 0;
  const Measured p = WriteLog(dir.path() + "/plain", plain, 4000, 1, 50, 12);
  const double per_event = static_cast<double>(m.log_bytes) / m.events;
  std::printf("1-50 events/commit: %llu events, raw %.1f B/event, dictionary %.2f B/event, "
              "none %.2f B/event, write %.2fs\n",
              static_cast<unsigned long long>(m.events),
              static_cast<double>(m.raw_bytes) / m.events, per_event,
              static_cast<double>(p.log_bytes) / p.events, m.seconds);
  RecordProperty("bytes_per_event", std::to_string(per_event));
  EXPECT_LE(per_event, 75.0);
}

TEST(LogCompressionTest, TrainingNeedsEnoughSamples) {
  std::vector<std::string> few = {"a", "b"};
  auto d = log_codec::TrainDictionary(few, 4096);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(d.status().message().find("training a dictionary from 2 samples"), std::string::npos)
      << d.status().message();
}

TEST(LogCompressionTest, CompressorAndDecompressorRoundTripWithAndWithoutDictionary) {
  PayloadGenerator gen(5);
  std::vector<std::string> samples;
  for (int i = 0; i < 400; ++i) samples.push_back(gen.Commit(2));
  auto trained = log_codec::TrainDictionary(samples, 8 << 10);
  ASSERT_TRUE(trained.ok()) << trained.status().ToString();
  log_codec::Dictionary dictionary{7, *trained};
  auto c = log_codec::Compressor::Create(3);
  auto d = log_codec::Decompressor::Create();
  ASSERT_TRUE(c.ok() && d.ok());
  log_codec::DictionaryCache cache;
  auto ddict = cache.Add(7, 1234, dictionary.bytes);
  ASSERT_TRUE(ddict.ok());
  EXPECT_EQ(cache.Find(7, 1234), *ddict);
  EXPECT_EQ(cache.Find(7, 999), nullptr) << "another frame with the same id is another dict";
  const std::string payload = gen.Commit(2);
  std::string plain;
  ASSERT_TRUE((*c)->Compress(payload, &plain).ok());
  ASSERT_TRUE((*c)->UseDictionary(&dictionary).ok());
  EXPECT_EQ((*c)->dictionary_id(), 7u);
  std::string small;
  ASSERT_TRUE((*c)->Compress(payload, &small).ok());
  EXPECT_LT(small.size(), plain.size());
  std::string out;
  ASSERT_TRUE((*d)->Decompress(plain, nullptr, &out).ok());
  EXPECT_EQ(out, payload);
  ASSERT_TRUE((*d)->Decompress(small, *ddict, &out).ok());
  EXPECT_EQ(out, payload);
  Status missing = (*d)->Decompress(small, nullptr, &out);
  EXPECT_EQ(missing.code(), Code::kInvalidArgument);
  EXPECT_EQ(missing.message().rfind("zstd: ", 0), 0u) << missing.message();
}

}  // namespace
}  // namespace strata
