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

// A second opener in the same process is kept out too (flock on its own open(); an fcntl
// lock would let it in), and on_lock_busy decides between waiting and giving up.
TEST(LogWriterTest, OnLockBusyIsAskedEachTimeAndCanWaitOrGiveUp) {
  TempDir dir;
  auto env = NewPosixEnv();
  auto first = LogWriter::Open(env.get(), dir.log(), LogOptions{});
  ASSERT_TRUE(first.ok());
  int asked = 0;
  WriterOpenOptions open;
  open.on_lock_busy = [&]() -> Status {
    if (++asked == 3) first->reset();  // the other writer finishes while this one waits
    return Status::Ok();
  };
  auto waited = LogWriter::Open(env.get(), dir.log(), LogOptions{}, open);
  ASSERT_TRUE(waited.ok()) << waited.status().ToString();
  EXPECT_EQ(asked, 3);

  open.on_lock_busy = [] { return Status::FailedPrecondition("gave up waiting"); };
  auto refused = LogWriter::Open(env.get(), dir.log(), LogOptions{}, open);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().ToString(), "FAILED_PRECONDITION: gave up waiting");
}

TEST(LogWriterTest, RefusesOversizedPayload) {
  TempDir dir;
  auto env = NewPosixEnv();
  auto writer = LogWriter::Open(env.get(), dir.log(), LogOptions{});
  ASSERT_TRUE(writer.ok());
  std::string huge((1000u << 20) + 1, 'x');
  auto pos = (*writer)->Append(huge);
  ASSERT_FALSE(pos.ok());
  EXPECT_EQ(pos.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(pos.status().message(),
            "payload of 1048576001 bytes is over the limit of 1048576000 bytes");
  EXPECT_TRUE((*writer)->Append("still fine").ok());
}

// ---- Torn tails ---------------------------------------------------------------------------

class LogTornTailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = NewPosixEnv();
    dir_ = temp_.log();
    PayloadGenerator gen(31);
    for (int i = 0; i < 300; ++i) payloads_.push_back(gen.Commit(gen.Uniform(1, 2)));
    auto writer = LogWriter::Open(env_.get(), dir_, SmallSegments());
    ASSERT_TRUE(writer.ok());
    auto positions = (*writer)->AppendBatch(payloads_);
    ASSERT_TRUE(positions.ok());
    last_ = positions->back();
    path_ = log_test::SegmentFile(dir_, last_.segment);
    pristine_ = log_test::ReadBytes(path_);
    ASSERT_EQ(pristine_.size(), last_.offset + last_.stored_size);
  }

  // Opens the writer on the damaged tail and checks the whole recovery story.
  void ExpectRecovered(uint64_t cut_from, const std::string& what) {
    const uint64_t size = std::filesystem::file_size(path_);
    const std::string where = "segment " + std::to_string(last_.segment) + ": torn tail at offset " +
                              std::to_string(cut_from) + " (" + std::to_string(size - cut_from) +
                              " bytes: " + what + ")";
    {
      auto reader = LogReader::Open(env_.get(), dir_);
      ASSERT_TRUE(reader.ok());
      EXPECT_EQ((*reader)->tail_note(), where);
      auto last = (*reader)->ReadLast();
      ASSERT_TRUE(last.ok()) << last.status().ToString();
      EXPECT_EQ((*last)->second, payloads_[payloads_.size() - 2]);
      EXPECT_EQ(std::filesystem::file_size(path_), size) << "readers never write";
    }
    auto writer = LogWriter::Open(env_.get(), dir_, SmallSegments());
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    const RecoveryReport& r = (*writer)->recovery();
    EXPECT_TRUE(r.truncated);
    EXPECT_EQ(r.dropped_bytes, size - cut_from);
    EXPECT_EQ(r.detail, "segment " + std::to_string(last_.segment) + ": cut a torn tail at offset " +
                            std::to_string(cut_from) + " (" + std::to_string(size - cut_from) +
                            " bytes: " + what + ")");
    EXPECT_EQ((*writer)->record_count(), payloads_.size() - 1);
    auto pos = (*writer)->Append("appended after recovery");
    ASSERT_TRUE(pos.ok()) << pos.status().ToString();
    EXPECT_EQ(pos->offset, cut_from);
    writer->reset();
    std::vector<std::string> want(payloads_.begin(), payloads_.end() - 1);
    want.push_back("appended after recovery");
    EXPECT_EQ(log_test::Payloads(log_test::ReadAllRecords(env_.get(), dir_)), want);
  }

  void Restore() { log_test::WriteBytes(path_, pristine_); }

  // Appends single records until one lands in a new segment; returns its number (0 when
  // none did). The appended payloads join payloads_.
  uint32_t RollToNewSegment() {
    PayloadGenerator gen(32);
    auto writer = LogWriter::Open(env_.get(), dir_, SmallSegments());
    EXPECT_TRUE(writer.ok());
    if (!writer.ok()) return 0;
    for (int i = 0; i < 500; ++i) {
      payloads_.push_back(gen.Commit(1));
      auto pos = (*writer)->Append(payloads_.back());
      EXPECT_TRUE(pos.ok());
      if (!pos.ok()) return 0;
      if (pos->segment != last_.segment) return pos->segment;
    }
    return 0;
  }

  log_test::TempDir temp_;
  std::unique_ptr<Env> env_;
  std::string dir_;
  std::vector<std::string> payloads_;
  RecordPosition last_;
  std::string path_;
  std::string pristine_;
};

TEST_F(LogTornTailTest, CutAtEveryOffsetOfTheLastRecord) {
  const uint64_t start = last_.offset;
  const uint64_t frame = last_.stored_size;
  ASSERT_GT(frame, 40u);
  for (uint64_t cut = start + 1; cut < start + frame; ++cut) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    Restore();
    log_test::CutFile(path_, cut);
    const uint64_t kept = cut - start;
    const std::string what =
        kept < log_format::kFrameHeaderSize
            ? "incomplete record header (" + std::to_string(kept) + " bytes)"
            : "incomplete record (" + std::to_string(kept) + " of " + std::to_string(frame) +
                  " bytes)";
    ExpectRecovered(start, what);
    if (HasFatalFailure()) return;
  }
}

// The layer above may refuse before anything is cut: the torn bytes are still there for it
// to judge, and stay there when it refuses.
TEST_F(LogTornTailTest, BeforeRecoveryRunsUnderTheLockBeforeTheCutAndCanRefuse) {
  log_test::CutFile(path_, last_.offset + 20);
  WriterOpenOptions open;
  uint64_t seen_size = 0;
  open.before_recovery = [&]() -> Status {
    seen_size = std::filesystem::file_size(path_);
    EXPECT_FALSE(LogWriter::Open(env_.get(), dir_, LogOptions{}).ok()) << "the lock is held";
    return Status::Corruption("the witness says otherwise");
  };
  auto refused = LogWriter::Open(env_.get(), dir_, SmallSegments(), open);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().ToString(), "CORRUPTION: the witness says otherwise");
  EXPECT_EQ(seen_size, last_.offset + 20);
  EXPECT_EQ(std::filesystem::file_size(path_), last_.offset + 20) << "nothing was cut";

  open.before_recovery = [] { return Status::Ok(); };
  auto writer = LogWriter::Open(env_.get(), dir_, SmallSegments(), open);
  ASSERT_TRUE(writer.ok());
  EXPECT_TRUE((*writer)->recovery().truncated);
  EXPECT_EQ(std::filesystem::file_size(path_), last_.offset);
}

TEST_F(LogTornTailTest, CutExactlyAtARecordBoundaryIsNoTear) {
  log_test::CutFile(path_, last_.offset);
  auto writer = LogWriter::Open(env_.get(), dir_, SmallSegments());
  ASSERT_TRUE(writer.ok());
  EXPECT_FALSE((*writer)->recovery().truncated);
  EXPECT_EQ((*writer)->recovery().detail, "");
  EXPECT_EQ((*writer)->record_count(), payloads_.size() - 1);
}

TEST_F(LogTornTailTest, FullLengthRecordWithBadBytesIsTorn) {
  // The length reached the disk but some of the bytes did not.
  log_test::FlipByte(path_, last_.offset + last_.stored_size / 2);
  ExpectRecovered(last_.offset, "record with a checksum mismatch");
}

TEST_F(LogTornTailTest, ZeroFilledTailIsTorn) {
  // What some file systems show after a crash that extended the file but lost its data.
  std::string b = pristine_;
  b.append(4096, '\0');
  log_test::WriteBytes(path_, b);
  payloads_.push_back("phantom");  // ExpectRecovered drops the last "record": here, the zeros
  ExpectRecovered(pristine_.size(), "record with a checksum mismatch");
}

TEST_F(LogTornTailTest, TornSegmentCreationIsRemoved) {
  // Append until the writer seals the last segment and starts the next, then make the new
  // segment look like its creation was cut short after 7 bytes of header.
  const uint32_t next_segment = RollToNewSegment();
  ASSERT_NE(next_segment, 0u);
  payloads_.pop_back();  // the record in the new segment goes with it
  const std::string next = log_test::SegmentFile(dir_, next_segment);
  log_test::WriteBytes(next, log_format::EncodeSegmentHeader(next_segment).substr(0, 7));
  {
    auto reader = LogReader::Open(env_.get(), dir_);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ((*reader)->tail_note(), "segment " + std::to_string(next_segment) +
                                          ": torn tail at offset 0 (7 bytes: incomplete "
                                          "segment header (7 bytes))");
    auto last = (*reader)->ReadLast();
    ASSERT_TRUE(last.ok()) << last.status().ToString();
    EXPECT_EQ((*last)->second, payloads_.back());
    EXPECT_EQ(log_test::Payloads(log_test::ReadAllRecords(env_.get(), dir_)), payloads_);
  }
  auto writer = LogWriter::Open(env_.get(), dir_, SmallSegments());
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  EXPECT_TRUE((*writer)->recovery().truncated);
  EXPECT_EQ((*writer)->recovery().dropped_bytes, 7u);
  EXPECT_EQ((*writer)->recovery().detail,
            "segment " + std::to_string(next_segment) +
                ": removed a torn segment (incomplete segment header (7 bytes))");
  EXPECT_FALSE(std::filesystem::exists(next));
  EXPECT_EQ((*writer)->record_count(), payloads_.size());
  auto pos = (*writer)->Append("next");
  ASSERT_TRUE(pos.ok()) << pos.status().ToString();
  EXPECT_EQ(pos->segment, next_segment);
  EXPECT_NE((*writer)->dictionary_id(), 0u);
  writer->reset();
  payloads_.push_back("next");
  EXPECT_EQ(log_test::Payloads(log_test::ReadAllRecords(env_.get(), dir_)), payloads_);
}

TEST_F(LogTornTailTest, TornDictionaryAtTheStartOfASegment) {
  const uint32_t next_segment = RollToNewSegment();
  ASSERT_NE(next_segment, 0u);
  payloads_.pop_back();
  const std::string next = log_test::SegmentFile(dir_, next_segment);
  log_test::CutFile(next, log_format::kSegmentHeaderSize + 100);  // inside the dictionary
  auto writer = LogWriter::Open(env_.get(), dir_, SmallSegments());
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  EXPECT_TRUE((*writer)->recovery().truncated);
  EXPECT_EQ((*writer)->record_count(), payloads_.size());
  ASSERT_TRUE((*writer)->Append("again").ok());
  EXPECT_NE((*writer)->dictionary_id(), 0u) << "the empty segment got a dictionary again";
  writer->reset();
  payloads_.push_back("again");
  EXPECT_EQ(log_test::Payloads(log_test::ReadAllRecords(env_.get(), dir_)), payloads_);
}

}  // namespace
}  // namespace strata
