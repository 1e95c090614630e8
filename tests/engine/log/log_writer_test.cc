#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "engine/log/log.h"
#include "engine/log/log_format.h"
#include "tests/engine/log/log_test_util.h"

namespace strata {
namespace {

using log_test::PayloadGenerator;
using log_test::ReadAllRecords;
using log_test::TempDir;

LogOptions SmallSegments() {
  LogOptions o;
  o.segment_target_bytes = 16 << 10;
  o.dictionary_bytes = 4 << 10;
  o.dictionary_min_records = 20;
  o.dictionary_min_sample_bytes = 16 << 10;
  o.dictionary_max_sample_bytes = 256 << 10;
  return o;
}

TEST(LogWriterTest, RoundTripAcrossSegmentsWithReadAtAndReadLast) {
  TempDir dir;
  auto env = NewPosixEnv();
  PayloadGenerator gen(1);
  std::vector<std::string> payloads;
  std::vector<RecordPosition> positions;
  {
    auto writer = LogWriter::Open(env.get(), dir.log(), SmallSegments());
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    EXPECT_FALSE((*writer)->recovery().truncated);
    for (int i = 0; i < 300; ++i) {
      payloads.push_back(gen.Commit(gen.Uniform(1, 4)));
      auto pos = (*writer)->Append(payloads.back());
      ASSERT_TRUE(pos.ok()) << pos.status().ToString();
      positions.push_back(*pos);
    }
    EXPECT_EQ((*writer)->record_count(), 300u);
    EXPECT_NE((*writer)->dictionary_id(), 0u);
  }
  EXPECT_GT(positions.back().segment, 3u);

  auto records = ReadAllRecords(env.get(), dir.log());
  ASSERT_EQ(records.size(), payloads.size());
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].payload, payloads[i]) << i;
    EXPECT_EQ(records[i].position, positions[i]) << i;
  }
  auto reader = LogReader::Open(env.get(), dir.log());
  ASSERT_TRUE(reader.ok());
  for (size_t i : {size_t{0}, size_t{1}, size_t{57}, size_t{150}, size_t{299}}) {
    auto one = (*reader)->ReadAt(positions[i]);
    ASSERT_TRUE(one.ok()) << one.status().ToString();
    EXPECT_EQ(*one, payloads[i]);
    RecordPosition unsized = positions[i];
    unsized.stored_size = 0;
    auto again = (*reader)->ReadAt(unsized);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(*again, payloads[i]);
  }
  auto last = (*reader)->ReadLast();
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->first, positions.back());
  EXPECT_EQ((*last)->second, payloads.back());
  EXPECT_EQ((*reader)->tail_note(), "");

  // A scan from a position starts at that record.
  std::vector<std::string> tail;
  ScanOptions from;
  from.from = positions[150];
  ASSERT_TRUE((*reader)->Scan(from, [&](const RecordPosition&, std::string_view p) {
    tail.emplace_back(p);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(tail, std::vector<std::string>(payloads.begin() + 150, payloads.end()));
}

TEST(LogWriterTest, ReopenContinuesWithTheSameDictionaryAndCounts) {
  TempDir dir;
  auto env = NewPosixEnv();
  PayloadGenerator gen(2);
  std::vector<std::string> payloads;
  LogOptions options = SmallSegments();
  options.segment_target_bytes = 1 << 20;  // stay in one segment after the first dictionary
  uint32_t dictionary = 0;
  RecordPosition last_position;
  {
    auto writer = LogWriter::Open(env.get(), dir.log(), options);
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 120; ++i) {
      payloads.push_back(gen.Commit(3));
      auto pos = (*writer)->Append(payloads.back());
      ASSERT_TRUE(pos.ok()) << pos.status().ToString();
      last_position = *pos;
    }
    dictionary = (*writer)->dictionary_id();
    ASSERT_NE(dictionary, 0u);
  }
  EXPECT_EQ(last_position.segment, 2u) << "the first dictionary starts segment 2";
  // Each later process appends one record, as the command line does.
  for (int round = 0; round < 5; ++round) {
    auto writer = LogWriter::Open(env.get(), dir.log(), options);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    EXPECT_EQ((*writer)->record_count(), payloads.size());
    EXPECT_EQ((*writer)->dictionary_id(), dictionary);
    payloads.push_back(gen.Commit(3));
    auto pos = (*writer)->Append(payloads.back());
    ASSERT_TRUE(pos.ok());
    EXPECT_EQ(pos->segment, 2u);
  }
  EXPECT_EQ(log_test::Payloads(ReadAllRecords(env.get(), dir.log())), payloads);
}

TEST(LogWriterTest, ReopenAfterEveryAppendAcrossRolls) {
  TempDir dir;
  auto env = NewPosixEnv();
  PayloadGenerator gen(3);
  std::vector<std::string> payloads;
  const LogOptions options = SmallSegments();
  for (int i = 0; i < 150; ++i) {
    auto writer = LogWriter::Open(env.get(), dir.log(), options);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_EQ((*writer)->record_count(), payloads.size());
    payloads.push_back(gen.Commit(gen.Uniform(1, 5)));
    ASSERT_TRUE((*writer)->Append(payloads.back()).ok());
  }
  auto records = ReadAllRecords(env.get(), dir.log());
  EXPECT_EQ(log_test::Payloads(records), payloads);
  EXPECT_GE(records.back().position.segment, 3u);
  // Later segments each start with a dictionary of their own.
  const std::string last_segment =
      log_test::ReadBytes(log_test::SegmentFile(dir.log(), records.back().position.segment));
  EXPECT_EQ(static_cast<uint8_t>(last_segment[log_format::kSegmentHeaderSize + 8]),
            static_cast<uint8_t>(log_format::RecordType::kDictionary));
}

TEST(LogWriterTest, BatchAppendMatchesSingleAppends) {
  TempDir dir;
  auto env = NewPosixEnv();
  PayloadGenerator gen(4);
  std::vector<std::string> batch;
  for (int i = 0; i < 500; ++i) batch.push_back(gen.Commit(gen.Uniform(1, 3)));
  batch.push_back("");  // an empty payload is a record too
  auto writer = LogWriter::Open(env.get(), dir.log(), SmallSegments());
  ASSERT_TRUE(writer.ok());
  auto positions = (*writer)->AppendBatch(batch);
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  ASSERT_EQ(positions->size(), batch.size());
  auto records = ReadAllRecords(env.get(), dir.log());
  ASSERT_EQ(records.size(), batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    EXPECT_EQ(records[i].payload, batch[i]);
    EXPECT_EQ(records[i].position, (*positions)[i]);
  }
}

TEST(LogWriterTest, EmptyLogHasNoLastRecord) {
  TempDir dir;
  auto env = NewPosixEnv();
  {
    auto writer = LogWriter::Open(env.get(), dir.log(), LogOptions{});
    ASSERT_TRUE(writer.ok());
    EXPECT_EQ((*writer)->record_count(), 0u);
  }
  auto reader = LogReader::Open(env.get(), dir.log());
  ASSERT_TRUE(reader.ok());
  auto last = (*reader)->ReadLast();
  ASSERT_TRUE(last.ok());
  EXPECT_FALSE(last->has_value());
  EXPECT_TRUE(ReadAllRecords(env.get(), dir.log()).empty());
}

TEST(LogWriterTest, ReaderOfMissingDirectoryIsNotFound) {
  TempDir dir;
  auto env = NewPosixEnv();
  auto reader = LogReader::Open(env.get(), dir.path() + "/nope");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Code::kNotFound);
  EXPECT_EQ(reader.status().message(), "log directory " + dir.path() + "/nope does not exist");
}

TEST(LogWriterTest, SecondWriterIsRefusedUntilTheFirstCloses) {
  TempDir dir;
  auto env = NewPosixEnv();
  auto first = LogWriter::Open(env.get(), dir.log(), LogOptions{});
  ASSERT_TRUE(first.ok());
  auto second = LogWriter::Open(env.get(), dir.log(), LogOptions{});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(second.status().message(),
            "log " + dir.log() + " is locked by another writer (LOCK held)");
  // Readers never take the lock.
  EXPECT_TRUE(LogReader::Open(env.get(), dir.log()).ok());
  first->reset();
  auto third = LogWriter::Open(env.get(), dir.log(), LogOptions{});
  EXPECT_TRUE(third.ok()) << third.status().ToString();
}

TEST(LogWriterTest, RefusesOversizedPayload) {
  TempDir dir;
  auto env = NewPosixEnv();
  auto writer = LogWriter::Open(env.get(), dir.log(), LogOptions{});
  ASSERT_TRUE(writer.ok());
  std::string huge((1u << 30) + 1, 'x');
  auto pos = (*writer)->Append(huge);
  ASSERT_FALSE(pos.ok());
  EXPECT_EQ(pos.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(pos.status().message(), "payload of 1073741825 bytes is over the 1 GiB limit");
  EXPECT_TRUE((*writer)->Append("still fine").ok());
}

}  // namespace
}  // namespace strata
