// One test per kind of damage (docs/log-format.md, "Damage readers report"): each corrupts a
// real log on disk and checks the exact code and message from the reader and, where the
// writer checks the spot on opening, from the writer too.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "engine/log/crc32c.h"
#include "engine/log/log.h"
#include "engine/log/log_format.h"
#include "tests/engine/log/log_test_util.h"

namespace strata {
namespace {

using log_format::DecodeFixed32;
using log_format::EncodeFixed32;
using log_test::ReadBytes;
using log_test::ScanStatus;
using log_test::SegmentFile;
using log_test::WriteBytes;

class LogReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = NewPosixEnv();
    dir_ = temp_.log();
    options_.segment_target_bytes = 8 << 10;
    options_.dictionary_bytes = 4 << 10;
    options_.dictionary_min_records = 20;
    options_.dictionary_min_sample_bytes = 8 << 10;
    log_test::PayloadGenerator gen(21);
    for (int i = 0; i < 200; ++i) payloads_.push_back(gen.Commit(gen.Uniform(1, 3)));
    auto writer = LogWriter::Open(env_.get(), dir_, options_);
    ASSERT_TRUE(writer.ok());
    auto positions = (*writer)->AppendBatch(payloads_);
    ASSERT_TRUE(positions.ok()) << positions.status().ToString();
    positions_ = *positions;
    last_segment_ = positions_.back().segment;
    ASSERT_GE(last_segment_, 4u);
  }

  // A record in the middle of `segment` (not its first or last).
  RecordPosition Middle(uint32_t segment) const {
    std::vector<RecordPosition> in;
    for (const auto& p : positions_) {
      if (p.segment == segment) in.push_back(p);
    }
    EXPECT_GE(in.size(), 3u);
    return in[in.size() / 2];
  }

  std::string Path(uint32_t segment) const { return SegmentFile(dir_, segment); }

  // Rewrites the frame at `p` with `edit` applied and its checksum made valid again.
  void EditFrameKeepingChecksum(const RecordPosition& p, const std::function<void(char*)>& edit) {
    std::string b = ReadBytes(Path(p.segment));
    char* f = b.data() + p.offset;
    edit(f);
    EncodeFixed32(f, crc32c::Mask(crc32c::Extend(0, f + 4, p.stored_size - 4)));
    WriteBytes(Path(p.segment), b);
  }

  Status WriterOpenStatus() {
    return LogWriter::Open(env_.get(), dir_, options_).status();
  }

  std::string Where(const RecordPosition& p) const {
    return "segment " + std::to_string(p.segment) + " at offset " + std::to_string(p.offset);
  }

  log_test::TempDir temp_;
  std::unique_ptr<Env> env_;
  std::string dir_;
  LogOptions options_;
  std::vector<std::string> payloads_;
  std::vector<RecordPosition> positions_;
  uint32_t last_segment_ = 0;
};

TEST_F(LogReaderTest, IntactLogScansCleanly) {
  EXPECT_EQ(log_test::Payloads(log_test::ReadAllRecords(env_.get(), dir_)), payloads_);
  EXPECT_TRUE(WriterOpenStatus().ok());
}

TEST_F(LogReaderTest, FlippedPayloadByteIsAChecksumMismatch) {
  const RecordPosition p = Middle(2);
  log_test::FlipByte(Path(2), p.offset + p.stored_size / 2);
  Status s = ScanStatus(env_.get(), dir_);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(), Where(p) + ": checksum mismatch");
  auto reader = LogReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  auto one = (*reader)->ReadAt(p);
  EXPECT_EQ(one.status().code(), Code::kCorruption);
  EXPECT_EQ(one.status().message(), Where(p) + ": checksum mismatch");
  // Records elsewhere still read.
  auto other = (*reader)->ReadAt(positions_.front());
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(*other, payloads_.front());
}

TEST_F(LogReaderTest, FlippedByteInTheLastSegmentFailsTheWriterToo) {
  const RecordPosition p = Middle(last_segment_);
  log_test::FlipByte(Path(last_segment_), p.offset + p.stored_size - 6);
  EXPECT_EQ(ScanStatus(env_.get(), dir_).message(), Where(p) + ": checksum mismatch");
  Status w = WriterOpenStatus();
  EXPECT_EQ(w.code(), Code::kCorruption);
  EXPECT_EQ(w.message(), Where(p) + ": checksum mismatch");
}

TEST_F(LogReaderTest, FlippedHeaderBytesAreChecksumMismatches) {
  const RecordPosition p = Middle(3);
  for (uint64_t at : {uint64_t{1}, uint64_t{4}, uint64_t{8}}) {  // checksum, length, type
    const std::string pristine = ReadBytes(Path(3));
    log_test::FlipByte(Path(3), p.offset + at, 0x01);
    Status s = ScanStatus(env_.get(), dir_);
    EXPECT_EQ(s.code(), Code::kCorruption) << at;
    EXPECT_EQ(s.message(), Where(p) + ": checksum mismatch") << at;
    WriteBytes(Path(3), pristine);
  }
}

TEST_F(LogReaderTest, TruncatedNonLastSegmentMidRecord) {
  const RecordPosition p = Middle(2);
  log_test::CutFile(Path(2), p.offset + 10);
  const std::string want = Where(p) + ": truncated record in a non-last segment (10 of " +
                           std::to_string(p.stored_size) + " bytes)";
  Status s = ScanStatus(env_.get(), dir_);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(), want);
  Status w = WriterOpenStatus();
  EXPECT_EQ(w.code(), Code::kCorruption);
  EXPECT_EQ(w.message(), want);
}

TEST_F(LogReaderTest, TruncatedNonLastSegmentBetweenRecords) {
  const RecordPosition p = Middle(2);
  log_test::CutFile(Path(2), p.offset);
  const std::string want =
      Where(p) + ": truncated segment (no segment end record) in a non-last segment";
  EXPECT_EQ(ScanStatus(env_.get(), dir_).message(), want);
  Status w = WriterOpenStatus();
  EXPECT_EQ(w.code(), Code::kCorruption);
  EXPECT_EQ(w.message(), want);
}

TEST_F(LogReaderTest, BadLengthPastTheEndOfTheSegment) {
  const RecordPosition p = Middle(2);
  const uint64_t left = std::filesystem::file_size(Path(2)) - p.offset;
  std::string b = ReadBytes(Path(2));
  EncodeFixed32(b.data() + p.offset + 4, 0x00ffffff);
  WriteBytes(Path(2), b);
  Status s = ScanStatus(env_.get(), dir_);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(),
            Where(p) + ": bad length 16777215 (" + std::to_string(left) + " bytes left in the segment)");
}

TEST_F(LogReaderTest, AbsurdLength) {
  const RecordPosition p = Middle(2);
  std::string b = ReadBytes(Path(2));
  EncodeFixed32(b.data() + p.offset + 4, 0xffffffff);
  WriteBytes(Path(2), b);
  EXPECT_EQ(ScanStatus(env_.get(), dir_).message(),
            Where(p) + ": bad length 4294967295 (more than the 1073741824 byte limit)");
}

TEST_F(LogReaderTest, BadLengthInTheLastSegmentIsNotMistakenForATornTail) {
  const RecordPosition p = Middle(last_segment_);
  std::string b = ReadBytes(Path(last_segment_));
  const uint64_t left = b.size() - p.offset;
  EncodeFixed32(b.data() + p.offset + 4, 0x00ffffff);
  WriteBytes(Path(last_segment_), b);
  const std::string want =
      Where(p) + ": bad length 16777215 (" + std::to_string(left) + " bytes left in the segment)";
  EXPECT_EQ(ScanStatus(env_.get(), dir_).message(), want);
  Status w = WriterOpenStatus();
  EXPECT_EQ(w.code(), Code::kCorruption);
  EXPECT_EQ(w.message(), want);
  EXPECT_EQ(std::filesystem::file_size(Path(last_segment_)), b.size()) << "nothing was cut";
}

TEST_F(LogReaderTest, UnknownTypeWithoutTheIgnorableBitIsABadType) {
  const RecordPosition p = Middle(2);
  EditFrameKeepingChecksum(p, [](char* f) { f[8] = 0x05; });
  Status s = ScanStatus(env_.get(), dir_);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(), Where(p) + ": bad record type 0x05");
  // Type 0 (what zero-filled space reads as) is no record either.
  EditFrameKeepingChecksum(p, [](char* f) { f[8] = 0x00; });
  EXPECT_EQ(ScanStatus(env_.get(), dir_).message(), Where(p) + ": bad record type 0x00");
}

TEST_F(LogReaderTest, UnknownTypeInTheLastRecordIsABadTypeNotATornTail) {
  const RecordPosition p = positions_.back();
  EditFrameKeepingChecksum(p, [](char* f) { f[8] = 0x7f; });
  Status w = WriterOpenStatus();
  EXPECT_EQ(w.code(), Code::kCorruption);
  EXPECT_EQ(w.message(), Where(p) + ": bad record type 0x7f");
}

TEST_F(LogReaderTest, IgnorableUnknownTypesAreSkipped) {
  // A later version's record (type 0x85) between two records and at the very end.
  const RecordPosition p = Middle(last_segment_);
  std::string b = ReadBytes(Path(last_segment_));
  std::string extra;
  log_format::AppendFrame(&extra, static_cast<log_format::RecordType>(0x85), "from the future");
  b.insert(p.offset, extra);
  b.append(extra);
  WriteBytes(Path(last_segment_), b);

  EXPECT_EQ(log_test::Payloads(log_test::ReadAllRecords(env_.get(), dir_)), payloads_);
  auto reader = LogReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->tail_note(), "");
  auto last = (*reader)->ReadLast();
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->second, payloads_.back());
  auto writer = LogWriter::Open(env_.get(), dir_, options_);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  EXPECT_FALSE((*writer)->recovery().truncated);
  ASSERT_TRUE((*writer)->Append("after").ok());
  auto all = log_test::Payloads(log_test::ReadAllRecords(env_.get(), dir_));
  ASSERT_EQ(all.size(), payloads_.size() + 1);
  EXPECT_EQ(all.back(), "after");
}

TEST_F(LogReaderTest, BadMagic) {
  log_test::FlipByte(Path(2), 3);
  const std::string want = "segment 2 at offset 0: bad segment header (bad magic)";
  Status s = ScanStatus(env_.get(), dir_);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(), want);
  Status w = WriterOpenStatus();
  EXPECT_EQ(w.code(), Code::kCorruption);
  EXPECT_EQ(w.message(), want);
}

TEST_F(LogReaderTest, UnsupportedVersion) {
  for (uint32_t segment : {uint32_t{2}, last_segment_}) {
    std::string b = ReadBytes(Path(segment));
    const std::string pristine = b;
    EncodeFixed32(b.data() + 8, 2);
    EncodeFixed32(b.data() + 16, crc32c::Mask(crc32c::Value(std::string_view(b).substr(0, 16))));
    WriteBytes(Path(segment), b);
    const std::string want = "segment " + std::to_string(segment) +
                             " at offset 0: bad segment header (unsupported format version 2; "
                             "this build reads 1)";
    EXPECT_EQ(ScanStatus(env_.get(), dir_).message(), want);
    Status w = WriterOpenStatus();
    EXPECT_EQ(w.code(), Code::kCorruption);
    EXPECT_EQ(w.message(), want);
    if (segment == last_segment_) {
      auto reader = LogReader::Open(env_.get(), dir_);
      ASSERT_TRUE(reader.ok());
      EXPECT_EQ((*reader)->ReadLast().status().message(), want);
    }
    WriteBytes(Path(segment), pristine);
  }
}

TEST_F(LogReaderTest, SegmentFileUnderTheWrongName) {
  std::filesystem::copy_file(Path(3), Path(2), std::filesystem::copy_options::overwrite_existing);
  EXPECT_EQ(ScanStatus(env_.get(), dir_).message(),
            "segment 2 at offset 0: bad segment header (the header says segment 3)");
}

TEST_F(LogReaderTest, MissingSegment) {
  std::filesystem::remove(Path(2));
  const std::string want = "segment 2 at offset 0: missing segment (the log has segments 1 and 3)";
  Status s = ScanStatus(env_.get(), dir_);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(), want);
  Status w = WriterOpenStatus();
  EXPECT_EQ(w.code(), Code::kCorruption);
  EXPECT_EQ(w.message(), want);
  auto reader = LogReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->ReadAt(positions_.front()).status().ok(), true);
  EXPECT_EQ((*reader)->ReadAt(Middle(2)).status().message(),
            "segment 2 at offset 0: missing segment (no file 000002.log)");
}

TEST_F(LogReaderTest, MissingFirstSegment) {
  std::filesystem::remove(Path(1));
  const std::string want = "segment 1 at offset 0: missing segment (the log starts at segment 2)";
  EXPECT_EQ(ScanStatus(env_.get(), dir_).message(), want);
  EXPECT_EQ(WriterOpenStatus().message(), want);
}

TEST_F(LogReaderTest, DamagedDictionaryRecord) {
  const uint64_t at = log_format::kSegmentHeaderSize;
  std::string b = ReadBytes(Path(3));
  ASSERT_EQ(static_cast<uint8_t>(b[at + 8]),
            static_cast<uint8_t>(log_format::RecordType::kDictionary));
  log_test::FlipByte(Path(3), at + 100);
  EXPECT_EQ(ScanStatus(env_.get(), dir_).message(), "segment 3 at offset 20: checksum mismatch");
  auto reader = LogReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->ReadAt(Middle(3)).status().message(),
            "segment 3 at offset 20: checksum mismatch");
}

TEST_F(LogReaderTest, DataAfterTheSegmentEndRecord) {
  std::string b = ReadBytes(Path(2));
  const uint64_t end = b.size();
  log_format::AppendFrame(&b, log_format::RecordType::kZstdPayload, "x");
  WriteBytes(Path(2), b);
  EXPECT_EQ(ScanStatus(env_.get(), dir_).message(),
            "segment 2 at offset " + std::to_string(end) + ": data after the segment end record");
}

TEST_F(LogReaderTest, RecordNamingAnotherDictionary) {
  const RecordPosition p = Middle(3);
  std::string b = ReadBytes(Path(3));
  ASSERT_EQ(static_cast<uint8_t>(b[p.offset + 8]),
            static_cast<uint8_t>(log_format::RecordType::kZstdDictPayload));
  const uint32_t id = DecodeFixed32(b.data() + p.offset + 9);
  EditFrameKeepingChecksum(p, [&](char* f) { EncodeFixed32(f + 9, id + 100); });
  const std::string want = Where(p) + ": dictionary " + std::to_string(id + 100) +
                           " used but the segment holds dictionary " + std::to_string(id);
  EXPECT_EQ(ScanStatus(env_.get(), dir_).message(), want);
  auto reader = LogReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->ReadAt(p).status().message(), want);
}

TEST_F(LogReaderTest, GarbledCompressedPayloadWithAValidChecksum) {
  const RecordPosition p = Middle(2);
  EditFrameKeepingChecksum(p, [&](char* f) {
    for (uint32_t i = 13; i < p.stored_size - 4; ++i) f[i] = static_cast<char>(0xA5 ^ i);
  });
  Status s = ScanStatus(env_.get(), dir_);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message().rfind(Where(p) + ": bad compressed payload (", 0), 0u) << s.message();
}

TEST_F(LogReaderTest, ScanWithoutChecksumsStillFindsStructuralDamage) {
  const RecordPosition p = Middle(2);
  log_test::CutFile(Path(2), p.offset + 5);
  auto reader = LogReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  ScanOptions fast;
  fast.verify_checksums = false;
  Status s = (*reader)->Scan(fast, [](const RecordPosition&, std::string_view) {
    return Status::Ok();
  });
  EXPECT_EQ(s.message(), Where(p) + ": truncated record in a non-last segment (only 5 bytes of a "
                                    "frame header)");
}

TEST_F(LogReaderTest, VisitorErrorStopsTheScan) {
  auto reader = LogReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  int seen = 0;
  Status s = (*reader)->Scan({}, [&](const RecordPosition&, std::string_view) {
    return ++seen == 10 ? Status::Aborted("enough") : Status::Ok();
  });
  EXPECT_EQ(s.code(), Code::kAborted);
  EXPECT_EQ(seen, 10);
}

// Every byte of a log is covered by a checksum: a flip anywhere is reported as damage, or,
// in the last record of the last segment, as a torn tail that drops exactly that record.
TEST_F(LogReaderTest, EveryRandomByteFlipIsDetected) {
  std::mt19937_64 rng(99);
  std::vector<std::pair<uint32_t, uint64_t>> spots;
  for (int i = 0; i < 300; ++i) {
    const uint32_t segment = 1 + static_cast<uint32_t>(rng() % last_segment_);
    const uint64_t size = std::filesystem::file_size(Path(segment));
    spots.emplace_back(segment, rng() % size);
  }
  for (const auto& [segment, offset] : spots) {
    SCOPED_TRACE("segment " + std::to_string(segment) + " offset " + std::to_string(offset));
    const std::string pristine = ReadBytes(Path(segment));
    log_test::FlipByte(Path(segment), offset, static_cast<uint8_t>(1u << (rng() % 8)));
    auto reader = LogReader::Open(env_.get(), dir_);
    ASSERT_TRUE(reader.ok());
    size_t seen = 0;
    Status s = (*reader)->Scan({}, [&](const RecordPosition&, std::string_view p) {
      EXPECT_EQ(p, payloads_[seen]);
      ++seen;
      return Status::Ok();
    });
    const bool in_last_record =
        segment == last_segment_ && offset >= positions_.back().offset;
    if (in_last_record) {
      EXPECT_TRUE(s.ok()) << s.ToString();
      EXPECT_EQ(seen, payloads_.size() - 1);
      EXPECT_NE((*reader)->tail_note(), "");
    } else {
      EXPECT_EQ(s.code(), Code::kCorruption);
      EXPECT_EQ(s.message().rfind("segment " + std::to_string(segment) + " at offset ", 0), 0u)
          << s.message();
    }
    WriteBytes(Path(segment), pristine);
  }
}

TEST(LogReaderConcurrencyTest, ReaderBesideAWriterSeesWholeRecordsOnly) {
  log_test::TempDir dir;
  auto env = NewPosixEnv();
  LogOptions options;
  options.segment_target_bytes = 8 << 10;
  options.dictionary_bytes = 4 << 10;
  options.dictionary_min_records = 20;
  options.dictionary_min_sample_bytes = 8 << 10;
  log_test::PayloadGenerator gen(55);
  std::vector<std::string> payloads;
  for (int i = 0; i < 400; ++i) payloads.push_back(gen.Commit(gen.Uniform(1, 3)));
  auto writer = LogWriter::Open(env.get(), dir.log(), options);
  ASSERT_TRUE(writer.ok());
  std::atomic<bool> done{false};
  std::thread appender([&] {
    for (size_t i = 0; i < payloads.size(); i += 4) {
      std::vector<std::string> batch(payloads.begin() + i, payloads.begin() + i + 4);
      if (!(*writer)->AppendBatch(batch).ok()) break;
    }
    done = true;
  });
  auto reader = LogReader::Open(env.get(), dir.log());
  ASSERT_TRUE(reader.ok());
  size_t previous = 0;
  int rounds = 0;
  while (!done || rounds == 0) {
    ++rounds;
    size_t seen = 0;
    Status s = (*reader)->Scan({}, [&](const RecordPosition&, std::string_view p) {
      if (seen >= payloads.size() || p != payloads[seen]) {
        return Status::Internal("unexpected record " + std::to_string(seen));
      }
      ++seen;
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_GE(seen, previous);
    previous = seen;
    auto last = (*reader)->ReadLast();
    ASSERT_TRUE(last.ok()) << last.status().ToString();
    if (last->has_value()) {
      auto it = std::find(payloads.begin(), payloads.end(), (*last)->second);
      ASSERT_NE(it, payloads.end());
      ASSERT_GE(static_cast<size_t>(it - payloads.begin()) + 1, seen);
    }
  }
  appender.join();
  EXPECT_EQ(log_test::Payloads(log_test::ReadAllRecords(env.get(), dir.log())), payloads);
}

// A scan may start at any record: sealed segments are mapped, and the last one is read from
// that record on with its dictionary. Every start gives exactly the records from there.
TEST_F(LogReaderTest, ScanFromAnyRecordGivesTheRestOfTheLog) {
  auto reader = LogReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  for (size_t start = 0; start < positions_.size(); ++start) {
    ScanOptions from;
    from.from = positions_[start];
    size_t next = start;
    Status s = (*reader)->Scan(from, [&](const RecordPosition& at, std::string_view p) {
      EXPECT_EQ(at.offset, positions_[next].offset) << "record " << next;
      EXPECT_EQ(p, payloads_[next]) << "record " << next;
      ++next;
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << "from record " << start << ": " << s.ToString();
    EXPECT_EQ(next, payloads_.size()) << "from record " << start;
  }
}

// A scan told to stop after a record visits the records from its start through that one, in
// whichever segments they lie, and nothing past it: damage there is not met.
TEST_F(LogReaderTest, ScanUntilARecordVisitsThroughItAndNoFurther) {
  const RecordPosition damaged = Middle(last_segment_ - 1);
  const size_t damaged_index = static_cast<size_t>(
      std::find(positions_.begin(), positions_.end(), damaged) - positions_.begin());
  ASSERT_LT(damaged_index, positions_.size());
  std::string bytes = ReadBytes(Path(damaged.segment));
  bytes[damaged.offset + damaged.stored_size / 2] ^= 0x40;
  WriteBytes(Path(damaged.segment), bytes);
  std::string last = ReadBytes(Path(last_segment_));
  WriteBytes(Path(last_segment_), last + std::string("\x13\x00\x00", 3));  // a torn tail
  auto reader = LogReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  auto scan = [&](size_t start, std::optional<size_t> until, size_t* seen) {
    ScanOptions o;
    o.from = positions_[start];
    if (until) o.until = positions_[*until];
    *seen = 0;
    return (*reader)->Scan(o, [&](const RecordPosition& at, std::string_view p) {
      EXPECT_EQ(at.offset, positions_[start + *seen].offset);
      EXPECT_EQ(p, payloads_[start + *seen]);
      ++*seen;
      return Status::Ok();
    });
  };
  size_t seen = 0;
  // Up to the record before the damage: from the first segment, and from the same one.
  for (size_t start : {size_t{0}, damaged_index - 2}) {
    Status s = scan(start, damaged_index - 1, &seen);
    ASSERT_TRUE(s.ok()) << start << ": " << s.ToString();
    EXPECT_EQ(seen, damaged_index - start);
  }
  // Without a bound the damage is met.
  EXPECT_EQ(scan(0, std::nullopt, &seen).code(), Code::kCorruption);
  // Past the damage, and through the last record before the torn tail.
  const size_t after = damaged_index + 1;
  const size_t in_last = static_cast<size_t>(
      std::find(positions_.begin(), positions_.end(), Middle(last_segment_)) - positions_.begin());
  for (size_t until : {after, in_last, positions_.size() - 1}) {
    Status s = scan(after, until, &seen);
    ASSERT_TRUE(s.ok()) << until << ": " << s.ToString();
    EXPECT_EQ(seen, until - after + 1);
  }
  // An unbounded scan from there reaches the torn tail, which is set aside.
  ASSERT_TRUE(scan(after, std::nullopt, &seen).ok());
  EXPECT_EQ(seen, positions_.size() - after);
}

// Starting in the middle of the last segment, a torn tail is still found and set aside, and
// damage to the dictionary the skipped records share is still reported.
TEST_F(LogReaderTest, ScanFromTheMiddleOfTheLastSegmentChecksItsTailAndDictionary) {
  const RecordPosition middle = Middle(last_segment_);
  const size_t start = static_cast<size_t>(
      std::find_if(positions_.begin(), positions_.end(),
                   [&](const RecordPosition& p) {
                     return p.segment == middle.segment && p.offset == middle.offset;
                   }) -
      positions_.begin());
  const std::string pristine = ReadBytes(Path(last_segment_));
  WriteBytes(Path(last_segment_), pristine + std::string("\x07\x00\x00", 3));
  {
    auto reader = LogReader::Open(env_.get(), dir_);
    ASSERT_TRUE(reader.ok());
    ScanOptions from;
    from.from = middle;
    size_t seen = 0;
    Status s = (*reader)->Scan(from, [&](const RecordPosition&, std::string_view p) {
      EXPECT_EQ(p, payloads_[start + seen]);
      ++seen;
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(start + seen, payloads_.size());
    EXPECT_NE((*reader)->tail_note(), "");
  }
  ASSERT_EQ(static_cast<uint8_t>(pristine[log_format::kSegmentHeaderSize + 8]),
            static_cast<uint8_t>(log_format::RecordType::kDictionary));
  WriteBytes(Path(last_segment_), pristine);
  log_test::FlipByte(Path(last_segment_), log_format::kSegmentHeaderSize + 100);
  auto reader = LogReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  ScanOptions from;
  from.from = middle;
  Status s = (*reader)->Scan(from, [](const RecordPosition&, std::string_view) {
    return Status::Ok();
  });
  // As when the scan starts at the first record: the damaged dictionary is not loaded, and the
  // first record that needs it names the segment and the missing dictionary.
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message().rfind("segment " + std::to_string(last_segment_) + " at offset ", 0), 0u)
      << s.message();
  EXPECT_NE(s.message().find("dictionary"), std::string::npos) << s.message();
}

TEST_F(LogReaderTest, ReadAtAWrongPositionIsInvalidArgument) {
  auto reader = LogReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  RecordPosition p = positions_[5];
  p.stored_size += 1;
  auto r = (*reader)->ReadAt(p);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), Where(p) + ": the position says " +
                                      std::to_string(p.stored_size) + " bytes, the record is " +
                                      std::to_string(p.stored_size - 1));
  // Not where a frame starts: what is read there is no valid frame.
  RecordPosition q = positions_[5];
  q.offset += 1;
  q.stored_size = 0;
  EXPECT_EQ((*reader)->ReadAt(q).status().code(), Code::kCorruption);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// Counts the bytes read through it, to show which calls stay cheap.
class CountingEnv final : public Env {
 public:
  explicit CountingEnv(Env* base) : base_(base) {}
  uint64_t bytes_read() const { return bytes_read_; }

  Result<std::unique_ptr<WritableFile>> OpenAppendable(const std::string& p) override {
    return base_->OpenAppendable(p);
  }
  Result<std::unique_ptr<RandomAccessFile>> OpenReadable(const std::string& p) override {
    STRATA_ASSIGN_OR_RETURN(auto f, base_->OpenReadable(p));
    auto* file = new File(std::move(f), &bytes_read_);
    file->env_ = this;
    file->path_ = p;
    return std::unique_ptr<RandomAccessFile>(file);
  }
  Result<std::string> ReadFile(const std::string& p) override { return base_->ReadFile(p); }
  Status WriteFileAtomic(const std::string& p, std::string_view d) override {
    return base_->WriteFileAtomic(p, d);
  }
  Result<std::vector<std::string>> ListDir(const std::string& d) override {
    return base_->ListDir(d);
  }
  Status CreateDirs(const std::string& d) override { return base_->CreateDirs(d); }
  bool Exists(const std::string& p) override { return base_->Exists(p); }
  Result<uint64_t> FileSize(const std::string& p) override { return base_->FileSize(p); }
  Status Truncate(const std::string& p, uint64_t n) override { return base_->Truncate(p, n); }
  Status RemoveFile(const std::string& p) override { return base_->RemoveFile(p); }
  Status SyncDir(const std::string& d) override { return base_->SyncDir(d); }
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& p) override {
    return base_->LockFile(p);
  }

 private:
  class File final : public RandomAccessFile {
   public:
    File(std::unique_ptr<RandomAccessFile> base, uint64_t* counter)
        : base_(std::move(base)), counter_(counter) {}
    Status Read(uint64_t offset, size_t n, std::string* out) const override {
      Status s = base_->Read(offset, n, out);
      *counter_ += out->size();
      return s;
    }
    Result<size_t> ReadInto(uint64_t offset, size_t n, char* out) const override {
      auto got = base_->ReadInto(offset, n, out);
      if (got.ok()) *counter_ += *got;
      return got;
    }
    Result<uint64_t> Size() const override { return base_->Size(); }
    std::unique_ptr<MappedBytes> MapUnchanging(uint64_t size) const override {
      if (!env_->maps_allowed_) return nullptr;
      auto mapped = base_->MapUnchanging(size);
      if (mapped != nullptr) env_->mapped_.push_back(path_);
      return mapped;
    }

   private:
    friend class CountingEnv;
    std::unique_ptr<RandomAccessFile> base_;
    uint64_t* counter_;
    const CountingEnv* env_ = nullptr;
    std::string path_;
  };
  Env* base_;
  uint64_t bytes_read_ = 0;

 public:
  // Files mapped (MapUnchanging) so far, when maps are allowed; none are otherwise, and
  // readers read instead.
  bool maps_allowed_ = false;
  mutable std::vector<std::string> mapped_;
};

// Finding the head must not cost a scan: ReadLast reads the dictionary and the last frames,
// not the segment. (Scan throughput is measured in bench/, not here.)
TEST(LogReaderReadLastTest, ReadsTheTailNotTheSegment) {
  log_test::TempDir dir;
  auto posix = NewPosixEnv();
  log_test::PayloadGenerator gen(77);
  std::string last_payload;
  {
    auto writer = LogWriter::Open(posix.get(), dir.log(), LogOptions{});
    ASSERT_TRUE(writer.ok());
    std::vector<std::string> batch;
    for (int i = 0; i < 10000; ++i) {
      batch.push_back(gen.Commit());
      if (batch.size() == 1000) {
        last_payload = batch.back();
        ASSERT_TRUE((*writer)->AppendBatch(batch).ok());
        batch.clear();
      }
    }
  }
  ASSERT_GT(log_test::LogBytes(dir.log()), 1u << 20);

  CountingEnv env(posix.get());
  auto reader = LogReader::Open(&env, dir.log());
  ASSERT_TRUE(reader.ok());
  auto last = (*reader)->ReadLast();
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->second, last_payload);
  // The dictionary (32 KiB) and the last frames, not the segment (megabytes).
  EXPECT_LT(env.bytes_read(), 64u << 10);
}

// A scan from a record late in the last segment reads from there on (and the dictionary), not
// the megabytes before it.
// Writes 10,000 records of default-sized segments (megabytes each) to a log at `dir`.
void WriteTenThousand(Env* env, const std::string& dir, uint64_t seed,
                      std::vector<std::string>* payloads, std::vector<RecordPosition>* positions) {
  log_test::PayloadGenerator gen(seed);
  auto writer = LogWriter::Open(env, dir, LogOptions{});
  ASSERT_TRUE(writer.ok());
  for (int batch = 0; batch < 10; ++batch) {
    std::vector<std::string> some;
    for (int i = 0; i < 1000; ++i) some.push_back(gen.Commit());
    auto at = (*writer)->AppendBatch(some);
    ASSERT_TRUE(at.ok());
    payloads->insert(payloads->end(), some.begin(), some.end());
    positions->insert(positions->end(), at->begin(), at->end());
  }
}

TEST(LogReaderScanCostTest, ScanFromALateRecordReadsFromThereOn) {
  log_test::TempDir dir;
  auto posix = NewPosixEnv();
  std::vector<std::string> payloads;
  std::vector<RecordPosition> positions;
  ASSERT_NO_FATAL_FAILURE(WriteTenThousand(posix.get(), dir.log(), 78, &payloads, &positions));
  // The last segment is read rather than mapped.
  const uint32_t last = positions.back().segment;
  const size_t start = positions.size() - 100;
  ASSERT_EQ(positions[start].segment, last);
  const uint64_t size = std::filesystem::file_size(log_test::SegmentFile(dir.log(), last));
  ASSERT_GT(size - positions[start].offset, 16u << 10);
  ASSERT_GT(positions[start].offset, 1u << 20);  // megabytes before the start are skipped
  CountingEnv env(posix.get());
  auto reader = LogReader::Open(&env, dir.log());
  ASSERT_TRUE(reader.ok());
  const uint64_t opened = env.bytes_read();
  ScanOptions from;
  from.from = positions[start];
  size_t seen = 0;
  ASSERT_TRUE((*reader)->Scan(from, [&](const RecordPosition&, std::string_view p) {
    EXPECT_EQ(p, payloads[start + seen]);
    ++seen;
    return Status::Ok();
  }).ok());
  EXPECT_EQ(seen, 100u);
  const uint64_t scanned = env.bytes_read() - opened;
  EXPECT_GE(scanned, size - positions[start].offset);
  EXPECT_LT(scanned, size - positions[start].offset + (64u << 10));
}

// A scan that ends early in the last segment reads up to the end of its last record, not the
// rest of the segment.
TEST(LogReaderScanCostTest, ScanUntilARecordReadsNoFurther) {
  log_test::TempDir dir;
  auto posix = NewPosixEnv();
  std::vector<std::string> payloads;
  std::vector<RecordPosition> positions;
  ASSERT_NO_FATAL_FAILURE(WriteTenThousand(posix.get(), dir.log(), 80, &payloads, &positions));
  const uint32_t last = positions.back().segment;
  const size_t start = positions.size() - 2000;
  const size_t until = start + 100;
  ASSERT_EQ(positions[start].segment, last);
  const uint64_t size = std::filesystem::file_size(log_test::SegmentFile(dir.log(), last));
  const uint64_t wanted = positions[until].offset + positions[until].stored_size -
                          positions[start].offset;
  ASSERT_GT(size - positions[start].offset, wanted + (256u << 10));
  CountingEnv env(posix.get());
  auto reader = LogReader::Open(&env, dir.log());
  ASSERT_TRUE(reader.ok());
  const uint64_t opened = env.bytes_read();
  ScanOptions o;
  o.from = positions[start];
  o.until = positions[until];
  size_t seen = 0;
  ASSERT_TRUE((*reader)->Scan(o, [&](const RecordPosition&, std::string_view p) {
    EXPECT_EQ(p, payloads[start + seen]);
    ++seen;
    return Status::Ok();
  }).ok());
  EXPECT_EQ(seen, until - start + 1);
  const uint64_t scanned = env.bytes_read() - opened;
  EXPECT_GE(scanned, wanted);
  EXPECT_LT(scanned, wanted + (64u << 10));  // and the dictionary
}

// Sealed segments no longer change, so a scan maps them; the last one, which a writer may
// still cut back after a crash, is read. What the scan returns is the same either way.
TEST(LogReaderScanCostTest, SealedSegmentsAreMappedAndTheLastIsRead) {
  log_test::TempDir dir;
  auto posix = NewPosixEnv();
  log_test::PayloadGenerator gen(79);
  std::vector<std::string> payloads;
  LogOptions options;  // small segments, as in LogReaderTest
  options.segment_target_bytes = 8 << 10;
  options.dictionary_bytes = 4 << 10;
  options.dictionary_min_records = 20;
  options.dictionary_min_sample_bytes = 8 << 10;
  uint32_t last = 0;
  {
    auto writer = LogWriter::Open(posix.get(), dir.log(), options);
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 200; ++i) payloads.push_back(gen.Commit(gen.Uniform(1, 3)));
    auto at = (*writer)->AppendBatch(payloads);
    ASSERT_TRUE(at.ok());
    last = at->back().segment;
  }
  ASSERT_GE(last, 4u);
  for (bool maps : {true, false}) {
    SCOPED_TRACE(maps ? "mapped" : "read");
    CountingEnv env(posix.get());
    env.maps_allowed_ = maps;
    auto reader = LogReader::Open(&env, dir.log());
    ASSERT_TRUE(reader.ok());
    size_t seen = 0;
    ASSERT_TRUE((*reader)->Scan({}, [&](const RecordPosition&, std::string_view p) {
      EXPECT_EQ(p, payloads[seen]);
      ++seen;
      return Status::Ok();
    }).ok());
    EXPECT_EQ(seen, payloads.size());
    std::set<std::string> mapped(env.mapped_.begin(), env.mapped_.end());
    if (maps) {
      for (uint32_t segment = 1; segment < last; ++segment) {
        EXPECT_EQ(mapped.count(log_test::SegmentFile(dir.log(), segment)), 1u) << segment;
      }
      EXPECT_EQ(mapped.count(log_test::SegmentFile(dir.log(), last)), 0u);
      EXPECT_EQ(mapped.size(), last - 1);
    } else {
      EXPECT_TRUE(mapped.empty());
    }
  }
}

}  // namespace
}  // namespace strata
