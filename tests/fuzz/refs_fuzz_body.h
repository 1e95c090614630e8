// The check every fuzz input of the ref parser goes through (refs_fuzz.cc and the seed replay,
// fuzz_seeds_test.cc). The input is the text a user would write after --at. The contract
// (engine/refs/refs.h):
//   - ParseRef gives a Ref or InvalidArgument "invalid ref ...", and what parses obeys the law
//     ParseRef(FormatRef(r)) == r, with FormatRef a fixed point;
//   - ResolveRef against a small fixed history (FixedHistory) gives a seq from 1 to the head, or
//     NotFound / InvalidArgument — never Internal (the history answers correctly) or a crash —
//     and resolving the text and resolving its parsed Ref agree;
//   - ParseTime gives an instant whose FormatTime text reads back the same (years 0000-9999);
//   - a name ValidateTagName accepts parses as that tag.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/refs/refs.h"

namespace strata::fuzz {

// Eight commits: 1, 3, 5, 6 and 8 change a schema; 3 and 4 share the hash prefix "cafe"; times
// a day apart from 2026-03-01; tags v1 (2), release/2026.03 (5), rc-1 (7).
class FixedHistory final : public RefLookup {
 public:
  uint64_t HeadSeq() override { return kHashes.size(); }
  Result<std::optional<uint64_t>> TagSeq(const std::string& name) override {
    static const std::map<std::string, uint64_t> kTags = {
        {"v1", 2}, {"release/2026.03", 5}, {"rc-1", 7}};
    auto it = kTags.find(name);
    if (it == kTags.end()) return std::optional<uint64_t>();
    return std::optional<uint64_t>(it->second);
  }
  Result<std::vector<uint64_t>> SeqsByHashPrefix(const std::string& hex_prefix) override {
    std::vector<uint64_t> seqs;
    for (size_t i = 0; i < kHashes.size(); ++i) {
      if (std::string_view(kHashes[i]).starts_with(hex_prefix)) seqs.push_back(i + 1);
    }
    return seqs;
  }
  Result<std::optional<uint64_t>> SeqAtOrBefore(int64_t unix_micros) override {
    std::optional<uint64_t> seq;
    for (uint64_t s = 1; s <= kHashes.size(); ++s) {
      if (TimeOf(s) <= unix_micros) seq = s;
    }
    return seq;
  }
  Result<std::optional<uint64_t>> SchemaChangeBack(uint64_t seq, uint64_t back) override {
    for (uint64_t s = std::min<uint64_t>(seq, kHashes.size()); s >= 1; --s) {
      if (s == 2 || s == 4 || s == 7) continue;  // a tag or a deployment
      if (back == 0) return std::optional<uint64_t>(s);
      --back;
    }
    return std::optional<uint64_t>();
  }

  static int64_t TimeOf(uint64_t seq) {
    constexpr int64_t k20260301 = 1772323200LL * 1000000;
    return k20260301 + static_cast<int64_t>(seq - 1) * 86400LL * 1000000;
  }

 private:
  inline static const std::vector<std::string> kHashes = {
      "0c1d2e3f4a5b6c7d8e9f00112233445566778899aabbccddeeff001122334455",
      "1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef",
      "cafe0000000000000000000000000000000000000000000000000000000000aa",
      "cafe1111111111111111111111111111111111111111111111111111111111bb",
      "9f3ab20000000000000000000000000000000000000000000000000000000000",
      "deadbeef00000000000000000000000000000000000000000000000000000001",
      "4444444444444444444444444444444444444444444444444444444444444444",
      "f00df00df00df00df00df00df00df00df00df00df00df00df00df00df00df00d"};
};

inline std::string RefsViolation(std::string_view input) {
  Result<Ref> ref = ParseRef(input);
  if (!ref.ok()) {
    if (ref.status().code() != Code::kInvalidArgument ||
        !ref.status().message().starts_with("invalid ref ")) {
      return "ParseRef gave an error that is not InvalidArgument \"invalid ref ...\": " +
             ref.status().ToString();
    }
  } else {
    const std::string text = FormatRef(*ref);
    Result<Ref> again = ParseRef(text);
    if (!again.ok()) return "FormatRef's text does not parse: " + text;
    if (!(*again == *ref)) return "ParseRef(FormatRef(r)) is not r for " + text;
    if (FormatRef(*again) != text) return "FormatRef is not a fixed point: " + text;
  }

  FixedHistory history;
  Result<uint64_t> seq = ResolveRef(input, history);
  if (seq.ok()) {
    if (*seq < 1 || *seq > history.HeadSeq()) {
      return "ResolveRef named seq " + std::to_string(*seq) + ", outside the history";
    }
  } else if (seq.status().code() != Code::kInvalidArgument &&
             seq.status().code() != Code::kNotFound) {
    return "ResolveRef gave an error that is not InvalidArgument or NotFound: " +
           seq.status().ToString();
  }
  if (ref.ok()) {
    Result<uint64_t> by_ref = ResolveRef(*ref, history);
    if (by_ref.ok() != seq.ok() || (seq.ok() && *by_ref != *seq)) {
      return "resolving the text and resolving its parsed ref disagree";
    }
  }

  Result<int64_t> time = ParseTime(input);
  if (time.ok()) {
    const std::string text = FormatTime(*time);
    Result<int64_t> again = ParseTime(text);
    if (!again.ok() || *again != *time) return "ParseTime(FormatTime(t)) is not t for " + text;
  } else if (time.status().code() != Code::kInvalidArgument) {
    return "ParseTime gave an error that is not InvalidArgument: " + time.status().ToString();
  }

  if (ValidateTagName(input).ok()) {
    if (!ref.ok() || ref->kind != Ref::Kind::kTag || ref->name != input || ref->back != 0) {
      return "a valid tag name does not parse as that tag";
    }
  }
  return "";
}

}  // namespace strata::fuzz
