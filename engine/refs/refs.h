// Refs: the text users write to name a point in history, and its resolution to a seq.
//
// Parsing is pure (no clock, no time zone database, no locale). Resolution asks a RefLookup,
// implemented by the index and by fakes in tests, so it needs no SQLite. Every function here is
// stateless and safe to call from any thread; a RefLookup is used only by the calling thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace strata {

// The grammar (every history command takes it):
//
//   ref    := base suffix*
//   suffix := "~" digits?        N schema changes earlier (below); "~" alone is "~1";
//                                "HEAD~2~1" is "HEAD~3"
//   base   := seq | head | hash | time | tag
//   seq    := digits             "42"; digits only always mean a seq (never a hash prefix)
//   head   := "HEAD"             any case: "head" and "Head" mean HEAD too (no tag may be
//                                named so; see ValidateTagName)
//   hash   := "#" hex{4,64}      "#1234", "#9F3AB2": a hash prefix, needed when it has no a-f
//           | hex{4,64}          "9f3ab2": bare form, when it has at least one letter a-f
//                                Hex is case-insensitive; Ref::name holds it in lower case.
//   time   := "@" YYYY-MM-DD     the start of that day UTC: "@2026-03-01" is
//                                2026-03-01T00:00:00Z, the state before anything recorded on
//                                1 March (write "@2026-03-02" to include that day)
//           | "@" YYYY-MM-DD "T" HH:MM:SS ("." digits{1,9})? zone
//   zone   := "Z" | ("+" | "-") HH:MM       RFC 3339; "t" and "z" are accepted too
//   tag    := a name ValidateTagName accepts
//
// "~N" counts schema changes, not commits: commits that change no schema (a deployment, which
// records where a target is; a tag) are stepped over, so HEAD~1 is the schema as it was before
// the last change whatever was deployed since, and deployments to other databases interleaved
// in the log do not shift it. From REF, "~N" starts at the newest commit at or before REF that
// changed a schema (REF itself when it did) and steps back N such commits, across all schemas:
// with changes at seqs 1, 3 and 5 and deployments at 2, 4 and 6, 6~1 is 3, 5~1 is 3, 4~1 is
// 1, and 2~1 goes back past the first schema change. "~0" is REF itself.
//
// A time names the newest commit at or before that instant. Fractions finer than a
// microsecond are truncated (toward the past). Years are four digits; dates are proleptic
// Gregorian with leap years; leap seconds (":60") and hour 24 are rejected.

// A parsed ref. Fields not used by `kind` are zero or empty, so two Refs compare equal
// exactly when they name the same thing the same way.
struct Ref {
  enum class Kind { kSeq, kHead, kTag, kHashPrefix, kTime };
  Kind kind = Kind::kHead;
  uint64_t seq = 0;         // kSeq: 1 or more
  std::string name;         // kTag: the tag; kHashPrefix: lower-case hex, 4 to 64 digits
  int64_t unix_micros = 0;  // kTime: microseconds since 1970-01-01T00:00:00Z
  uint64_t back = 0;        // the ~N suffix: how many commits earlier

  friend bool operator==(const Ref&, const Ref&) = default;
};

inline constexpr size_t kMinHashPrefixDigits = 4;
inline constexpr size_t kHashHexDigits = 64;  // SHA-256
inline constexpr size_t kMaxTagNameLength = 128;

// Parses `text`. InvalidArgument when it is not a ref, with a message that quotes the text,
// says what is wrong and what is accepted, e.g.
//   invalid ref "@2026-13-01": month 13 is out of range; use @YYYY-MM-DD or
//   @YYYY-MM-DDTHH:MM:SSZ
Result<Ref> ParseRef(std::string_view text);

// The canonical text of `ref`: ParseRef(FormatRef(r)) == r for every Ref ParseRef returns.
// HEAD is upper case, a hash prefix is bare when it has a letter and "#..." otherwise, and a
// time is "@YYYY-MM-DD" at midnight UTC and FormatTime's text otherwise.
std::string FormatRef(const Ref& ref);

// Parses a time as written after "@" in a ref ("2026-03-01", "2026-03-01T12:00:00.5+02:00")
// into Unix microseconds. InvalidArgument, saying what is wrong and what is accepted, when it
// is not one.
Result<int64_t> ParseTime(std::string_view text);

// RFC 3339 in UTC: "2026-03-01T12:00:00Z", "2026-03-01T12:00:00.25Z". The fraction appears
// only when non-zero, with trailing zeros dropped (at most 6 digits). ParseTime reads it back
// exactly for years 0000 to 9999; other years print with more digits or a sign and do not
// parse. Never fails.
std::string FormatTime(int64_t unix_micros);

// OK when `name` may be given to a tag. The rule: 1 to 128 characters from [A-Za-z0-9._/-],
// starting with a letter or digit, and not readable as another kind of ref: not all digits (a
// seq), not HEAD in any case, not 4 or more hex digits (a hash prefix: "cafe", "1a2b"), not
// starting with a date (YYYY-MM-DD alone or followed by "T"). "~", "@", "#", "^", ":" and
// spaces are never part of a name. InvalidArgument naming the rule that was broken otherwise.
Status ValidateTagName(std::string_view name);

// What resolution needs to know about the log. Implemented by the index and by fakes in tests.
class RefLookup {
 public:
  virtual ~RefLookup() = default;
  // The seq of the newest commit; 0 for an empty log.
  virtual uint64_t HeadSeq() = 0;
  // The seq `name` points at, nullopt when there is no such tag.
  virtual Result<std::optional<uint64_t>> TagSeq(const std::string& name) = 0;
  // The seqs of all commits whose hash, in lower-case hex, starts with `hex_prefix`.
  virtual Result<std::vector<uint64_t>> SeqsByHashPrefix(const std::string& hex_prefix) = 0;
  // The newest commit at or before the instant, nullopt when history starts later.
  virtual Result<std::optional<uint64_t>> SeqAtOrBefore(int64_t unix_micros) = 0;
  // Among the commits at or before `seq` that change a schema (carry events), newest first,
  // the one at index `back` (0: the newest); nullopt when there are not that many.
  virtual Result<std::optional<uint64_t>> SchemaChangeBack(uint64_t seq, uint64_t back) = 0;
};

// The seq `ref` names in the log behind `lookup`, from 1 to lookup.HeadSeq(). Fails with:
//   NotFound         "commit 99 does not exist; the log ends at seq 42" (or "; the log is
//                    empty"); "the log is empty" (HEAD); no tag "v9"; "no commit hash starts
//                    with 9f3ab2"; "no commit at or before 2020-01-01T00:00:00Z; history
//                    starts later"; "HEAD~50 goes back past the first schema change"
//   InvalidArgument  a hash prefix that matches several commits (the message lists them)
//   Internal         the lookup named a seq outside 1..HeadSeq()
//   and any error of the lookup itself, with the ref as context.
Result<uint64_t> ResolveRef(const Ref& ref, RefLookup& lookup);

// ParseRef then ResolveRef; fails as either does.
Result<uint64_t> ResolveRef(std::string_view text, RefLookup& lookup);

}  // namespace strata
