#include "engine/refs/refs.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace strata {
namespace {

constexpr std::string_view kRefHint =
    "use a seq (42), HEAD, HEAD~3, a tag, a hash prefix (9f3ab2 or #1234) or a time "
    "(@2026-03-01)";
constexpr std::string_view kRefTimeHint = "use @YYYY-MM-DD or @YYYY-MM-DDTHH:MM:SSZ";
constexpr std::string_view kTimeHint = "use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ";
constexpr std::string_view kBackHint = "write ~N with N a whole number, as in HEAD~3";
constexpr std::string_view kTagRule =
    "a tag name is letters, digits, '.', '_', '/' and '-', starts with a letter or digit and "
    "is at most 128 characters";

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kMicrosPerDay = kSecondsPerDay * kMicrosPerSecond;
constexpr size_t kMaxListedSeqs = 10;

// ---- characters and quoting -------------------------------------------------------------

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexLetter(char c) { return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsHex(char c) { return IsDigit(c) || IsHexLetter(c); }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsTagChar(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '.' || c == '_' || c == '/' || c == '-';
}
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool AllOf(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}

bool IsHeadWord(std::string_view s) {
  constexpr std::string_view kHead = "head";
  if (s.size() != kHead.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (Lower(s[i]) != kHead[i]) return false;
  }
  return true;
}

// YYYY-MM-DD alone or followed by "T": the shape of a time written without its "@".
bool StartsWithDate(std::string_view s) {
  constexpr std::string_view kShape = "dddd-dd-dd";
  if (s.size() < kShape.size()) return false;
  for (size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? !IsDigit(s[i]) : s[i] != kShape[i]) return false;
  }
  return s.size() == kShape.size() || s[kShape.size()] == 'T' || s[kShape.size()] == 't';
}

// Text as it can be shown in a message: printable ASCII as is, everything else escaped.
std::string Escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", u);
    }
  }
  return out;
}

std::string Quote(std::string_view s) { return "\"" + Escaped(s) + "\""; }
std::string CharName(char c) { return c == '\'' ? "\"'\"" : "'" + Escaped({&c, 1}) + "'"; }

Status RefError(std::string_view text, std::string_view reason, std::string_view hint) {
  return Status::InvalidArgument(fmt::format("invalid ref {}: {}; {}", Quote(text), reason, hint));
}

// Parses decimal digits into `out`; false when `s` is empty, not all digits or too large.
bool ParseUint64(std::string_view s, uint64_t* out) {
  if (!AllOf(s, IsDigit)) return false;
  uint64_t v = 0;
  for (char c : s) {
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

// ---- the proleptic Gregorian calendar -----------------------------------------------------
// Days are counted in 400-year eras of 146097 days, with years starting on 1 March so that
// the leap day is the last day of its year; this needs no tables and no loops.

struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

bool IsLeapYear(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int DaysInMonth(int64_t year, int month) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 of a valid date.
int64_t DaysFromCivil(CivilDate date) {
  const int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;                                    // [0, 399]
  const int64_t month_from_march = (date.month + 9) % 12;                       // March is 0
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + date.day - 1;  // [0, 365]
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * 146097 + day_of_era - 719468;  // 719468: days from 0000-03-01 to 1970-01-01
}

CivilDate CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);  // [0, 365]
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;                // [0, 11]
  const int day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month =
      static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

// ---- time text ----------------------------------------------------------------------------

// Reads fixed-width fields left to right.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool Done() const { return pos_ == s_.size(); }
  std::string_view Rest() const { return s_.substr(pos_); }
  bool Peek(char c) const { return !Done() && s_[pos_] == c; }
  bool Eat(char c) {
    if (!Peek(c)) return false;
    ++pos_;
    return true;
  }
  bool EatEither(char a, char b) { return Eat(a) || Eat(b); }
  // Exactly `width` digits.
  bool Number(size_t width, int* out) {
    if (s_.size() - pos_ < width) return false;
    int v = 0;
    for (size_t i = 0; i < width; ++i) {
      const char c = s_[pos_ + i];
      if (!IsDigit(c)) return false;
      v = v * 10 + (c - '0');
    }
    pos_ += width;
    *out = v;
    return true;
  }
  // The longest run of digits (possibly empty).
  std::string_view Digits() {
    const size_t start = pos_;
    while (!Done() && IsDigit(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// Seconds east of UTC, from Z or +HH:MM / -HH:MM. InvalidArgument holds just the reason.
Result<int64_t> ParseZone(Scanner& in) {
  if (in.Done()) return Status::InvalidArgument("a time needs a zone: Z or an offset like +02:00");
  if (in.EatEither('Z', 'z')) return int64_t{0};
  const bool east = in.Peek('+');
  if (!in.EatEither('+', '-')) {
    return Status::InvalidArgument(fmt::format(
        "unexpected {} where the zone should be (Z or an offset like +02:00)", Quote(in.Rest())));
  }
  int hours = 0;
  int minutes = 0;
  if (!in.Number(2, &hours) || !in.Eat(':') || !in.Number(2, &minutes)) {
    return Status::InvalidArgument("the offset must be +HH:MM or -HH:MM");
  }
  if (hours > 23) {
    return Status::InvalidArgument(fmt::format("offset hour {} is out of range", hours));
  }
  if (minutes > 59) {
    return Status::InvalidArgument(fmt::format("offset minute {} is out of range", minutes));
  }
  const int64_t seconds = hours * 3600 + minutes * 60;
  return east ? seconds : -seconds;
}

// Microseconds within the second from ".digits"; zero when there is no fraction.
Result<int64_t> ParseFraction(Scanner& in) {
  if (!in.Eat('.')) return int64_t{0};
  const std::string_view digits = in.Digits();
  if (digits.empty()) return Status::InvalidArgument("expected digits after '.'");
  if (digits.size() > 9) return Status::InvalidArgument("a fraction has at most 9 digits");
  int64_t micros = 0;
  for (size_t i = 0; i < 6; ++i) micros = micros * 10 + (i < digits.size() ? digits[i] - '0' : 0);
  return micros;  // digits past the sixth (below a microsecond) are dropped
}

// Seconds into the day from HH:MM:SS.
Result<int64_t> ParseTimeOfDay(Scanner& in) {
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!in.Number(2, &hour) || !in.Eat(':') || !in.Number(2, &minute) || !in.Eat(':') ||
      !in.Number(2, &second)) {
    return Status::InvalidArgument("the time of day must be HH:MM:SS");
  }
  if (hour > 23) return Status::InvalidArgument(fmt::format("hour {} is out of range", hour));
  if (minute > 59) return Status::InvalidArgument(fmt::format("minute {} is out of range", minute));
  if (second > 59) {
    return Status::InvalidArgument(
        second == 60 ? "second 60 is out of range (leap seconds are not supported)"
                     : fmt::format("second {} is out of range", second));
  }
  return int64_t{hour} * 3600 + minute * 60 + second;
}

Result<CivilDate> ParseDate(Scanner& in) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (!in.Number(4, &year) || !in.Eat('-') || !in.Number(2, &month) || !in.Eat('-') ||
      !in.Number(2, &day)) {
    return Status::InvalidArgument("a date must be YYYY-MM-DD");
  }
  if (month < 1 || month > 12) {
    return Status::InvalidArgument(fmt::format("month {} is out of range", month));
  }
  const int days = DaysInMonth(year, month);
  if (day < 1 || day > days) {
    return Status::InvalidArgument(
        fmt::format("day {} is out of range; {:04}-{:02} has {} days", day, year, month, days));
  }
  return CivilDate{year, month, day};
}

// The instant `text` names. InvalidArgument holds just the reason, for the callers to wrap.
Result<int64_t> ParseTimeBody(std::string_view text) {
  Scanner in(text);
  STRATA_ASSIGN_OR_RETURN(const CivilDate date, ParseDate(in));
  const int64_t day_micros = DaysFromCivil(date) * kMicrosPerDay;
  if (in.Done()) return day_micros;
  if (!in.EatEither('T', 't')) {
    return Status::InvalidArgument(
        in.Peek(' ') ? std::string("separate the date and the time of day with 'T'")
                     : fmt::format("unexpected {} after the date", Quote(in.Rest())));
  }
  STRATA_ASSIGN_OR_RETURN(const int64_t seconds, ParseTimeOfDay(in));
  STRATA_ASSIGN_OR_RETURN(const int64_t fraction, ParseFraction(in));
  STRATA_ASSIGN_OR_RETURN(const int64_t offset, ParseZone(in));
  if (!in.Done()) {
    return Status::InvalidArgument(fmt::format("unexpected {} after the time", Quote(in.Rest())));
  }
  const int64_t micros = day_micros + (seconds - offset) * kMicrosPerSecond + fraction;
  // An offset can push the instant out of the years FormatTime writes back as parseable text.
  const int64_t first = DaysFromCivil({0, 1, 1}) * kMicrosPerDay;
  const int64_t end = DaysFromCivil({10000, 1, 1}) * kMicrosPerDay;
  if (micros < first || micros >= end) {
    return Status::InvalidArgument("the instant falls outside years 0000 to 9999 in UTC");
  }
  return micros;
}

// ---- ref pieces ---------------------------------------------------------------------------

// Why `name` cannot be a tag, or nullopt when it can.
std::optional<std::string> TagNameProblem(std::string_view name) {
  if (name.empty()) return "it is empty";
  if (name.size() > kMaxTagNameLength) {
    return fmt::format("it has {} characters, more than {}", name.size(), kMaxTagNameLength);
  }
  for (char c : name) {
    if (!IsTagChar(c)) return fmt::format("{} is not allowed", CharName(c));
  }
  if (!IsAlpha(name[0]) && !IsDigit(name[0])) {
    return fmt::format("it starts with {}", CharName(name[0]));
  }
  if (AllOf(name, IsDigit)) return "it is all digits, which reads as a seq";
  if (IsHeadWord(name)) return "HEAD (in any case) is reserved";
  if (name.size() >= kMinHashPrefixDigits && AllOf(name, IsHex)) {
    return fmt::format("it is {} or more hex digits, which reads as a hash prefix",
                       kMinHashPrefixDigits);
  }
  if (StartsWithDate(name)) return "it starts with a date, which reads as a time";
  return std::nullopt;
}

// The sum of "~N" suffixes in `suffixes` (which starts with '~').
Result<uint64_t> ParseBack(std::string_view text, std::string_view suffixes) {
  uint64_t total = 0;
  while (!suffixes.empty()) {
    // suffixes[0] is '~'; the count runs to the next '~'.
    const size_t next = suffixes.find('~', 1);
    const std::string_view part = suffixes.substr(0, next);
    const std::string_view count = part.substr(1);
    uint64_t n = 1;
    if (!count.empty() && !ParseUint64(count, &n)) {
      return RefError(text,
                      AllOf(count, IsDigit) ? fmt::format("{} is too large", Quote(part))
                                            : fmt::format("{} is not a count", Quote(part)),
                      kBackHint);
    }
    if (n > std::numeric_limits<uint64_t>::max() - total) {
      return RefError(text, "the ~N suffixes add up to too much", kBackHint);
    }
    total += n;
    suffixes = next == std::string_view::npos ? std::string_view() : suffixes.substr(next);
  }
  return total;
}

Result<Ref> ParseHashPrefix(std::string_view text, std::string_view hex) {
  for (char c : hex) {
    if (!IsHex(c)) {
      return RefError(text, fmt::format("{} is not a hex digit", CharName(c)), kRefHint);
    }
  }
  if (hex.size() < kMinHashPrefixDigits) {
    return RefError(text,
                    fmt::format("a hash prefix needs at least {} hex digits", kMinHashPrefixDigits),
                    kRefHint);
  }
  if (hex.size() > kHashHexDigits) {
    return RefError(text, fmt::format("a hash has only {} hex digits", kHashHexDigits), kRefHint);
  }
  Ref ref;
  ref.kind = Ref::Kind::kHashPrefix;
  ref.name.reserve(hex.size());
  for (char c : hex) ref.name += Lower(c);
  return ref;
}

// Everything before the first '~'.
Result<Ref> ParseBase(std::string_view text, std::string_view base) {
  Ref ref;
  if (base.empty()) {
    return RefError(text, "a ~N suffix needs a ref before it", "write it as in HEAD~3");
  }
  if (base[0] == '@') {
    auto micros = ParseTimeBody(base.substr(1));
    if (!micros.ok()) return RefError(text, micros.status().message(), kRefTimeHint);
    ref.kind = Ref::Kind::kTime;
    ref.unix_micros = *micros;
    return ref;
  }
  if (base[0] == '#') return ParseHashPrefix(text, base.substr(1));
  if (AllOf(base, IsDigit)) {
    if (!ParseUint64(base, &ref.seq)) return RefError(text, "the seq is too large", kRefHint);
    if (ref.seq == 0) return RefError(text, "seqs start at 1", kRefHint);
    ref.kind = Ref::Kind::kSeq;
    return ref;
  }
  if (IsHeadWord(base)) {
    ref.kind = Ref::Kind::kHead;
    return ref;
  }
  if (AllOf(base, IsHex) && base.size() >= kMinHashPrefixDigits) {
    return ParseHashPrefix(text, base);
  }
  if (StartsWithDate(base)) {
    return RefError(text, "a time needs a leading '@'", fmt::format("as in @{}", Escaped(base)));
  }
  if (base.find('^') != std::string_view::npos) {
    return RefError(text, "'^' is not supported", "write ~1 for one commit earlier, as in HEAD~1");
  }
  if (auto problem = TagNameProblem(base)) {
    return RefError(text, fmt::format("not a tag name: {}", *problem), kRefHint);
  }
  ref.kind = Ref::Kind::kTag;
  ref.name = std::string(base);
  return ref;
}

// ---- resolution ---------------------------------------------------------------------------

std::string SeqList(std::vector<uint64_t> seqs) {
  std::string out;
  const size_t shown = std::min(seqs.size(), kMaxListedSeqs);
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += (i + 1 == shown && shown == seqs.size()) ? " and " : ", ";
    out += std::to_string(seqs[i]);
  }
  if (shown < seqs.size()) out += fmt::format(" and {} more", seqs.size() - shown);
  return out;
}

Result<uint64_t> ResolveHashPrefix(const std::string& hex, RefLookup& lookup) {
  auto found = lookup.SeqsByHashPrefix(hex);
  if (!found.ok()) return found.status().WithContext(fmt::format("looking up hash prefix {}", hex));
  std::vector<uint64_t> seqs = std::move(found).value();
  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  if (seqs.empty()) return Status::NotFound(fmt::format("no commit hash starts with {}", hex));
  if (seqs.size() > 1) {
    return Status::InvalidArgument(
        fmt::format("hash prefix {} is ambiguous: it matches seqs {}; use more digits", hex,
                    SeqList(std::move(seqs))));
  }
  return seqs[0];
}

Result<uint64_t> ResolveTag(const std::string& name, RefLookup& lookup) {
  auto found = lookup.TagSeq(name);
  if (!found.ok()) return found.status().WithContext(fmt::format("looking up tag {}", Quote(name)));
  if (!found->has_value()) {
    // "9f3" parses as a tag, but its writer probably meant a (too short) hash prefix.
    const bool short_hex = AllOf(name, IsHex) && !AllOf(name, IsDigit);
    return Status::NotFound(fmt::format(
        "no tag {}{}", Quote(name),
        short_hex
            ? fmt::format("; a hash prefix needs at least {} hex digits", kMinHashPrefixDigits)
            : ""));
  }
  return **found;
}

Result<uint64_t> ResolveTime(int64_t micros, uint64_t head, RefLookup& lookup) {
  auto found = lookup.SeqAtOrBefore(micros);
  if (!found.ok()) {
    return found.status().WithContext(
        fmt::format("looking up the commit at or before {}", FormatTime(micros)));
  }
  if (!found->has_value()) {
    return Status::NotFound(fmt::format("no commit at or before {}; {}", FormatTime(micros),
                                        head == 0 ? "the log is empty" : "history starts later"));
  }
  return **found;
}

// The seq `ref` names before its ~N suffix is applied.
Result<uint64_t> ResolveBase(const Ref& ref, uint64_t head, RefLookup& lookup) {
  switch (ref.kind) {
    case Ref::Kind::kSeq:
      if (ref.seq >= 1 && ref.seq <= head) return ref.seq;
      return Status::NotFound(fmt::format("commit {} does not exist; {}", ref.seq,
                                          ref.seq == 0 ? "seqs start at 1"
                                          : head == 0
                                              ? "the log is empty"
                                              : fmt::format("the log ends at seq {}", head)));
    case Ref::Kind::kHead:
      if (head == 0) return Status::NotFound("the log is empty");
      return head;
    case Ref::Kind::kTag:
      return ResolveTag(ref.name, lookup);
    case Ref::Kind::kHashPrefix: {
      std::string hex = ref.name;
      for (char& c : hex) c = Lower(c);
      return ResolveHashPrefix(hex, lookup);
    }
    case Ref::Kind::kTime:
      return ResolveTime(ref.unix_micros, head, lookup);
  }
  return Status::Internal("unknown ref kind");
}

}  // namespace

Result<int64_t> ParseTime(std::string_view text) {
  auto micros = ParseTimeBody(text);
  if (!micros.ok()) {
    return Status::InvalidArgument(
        fmt::format("invalid time {}: {}; {}", Quote(text), micros.status().message(), kTimeHint));
  }
  return micros;
}

std::string FormatTime(int64_t unix_micros) {
  int64_t days = unix_micros / kMicrosPerDay;
  int64_t micros_of_day = unix_micros % kMicrosPerDay;
  if (micros_of_day < 0) {  // floor, so that instants before 1970 count back from midnight
    micros_of_day += kMicrosPerDay;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  const int64_t seconds = micros_of_day / kMicrosPerSecond;
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", date.year, date.month,
                                date.day, seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (const int64_t fraction = micros_of_day % kMicrosPerSecond; fraction != 0) {
    std::string digits = fmt::format("{:06}", fraction);
    digits.erase(digits.find_last_not_of('0') + 1);
    out += "." + digits;
  }
  return out + "Z";
}

Status ValidateTagName(std::string_view name) {
  if (auto problem = TagNameProblem(name)) {
    return Status::InvalidArgument(
        fmt::format("invalid tag name {}: {}; {}", Quote(name), *problem, kTagRule));
  }
  return Status::Ok();
}

Result<Ref> ParseRef(std::string_view text) {
  if (text.empty()) return RefError(text, "it is empty", kRefHint);
  const size_t tilde = text.find('~');
  STRATA_ASSIGN_OR_RETURN(Ref ref, ParseBase(text, text.substr(0, tilde)));
  if (tilde != std::string_view::npos) {
    STRATA_ASSIGN_OR_RETURN(ref.back, ParseBack(text, text.substr(tilde)));
  }
  return ref;
}

std::string FormatRef(const Ref& ref) {
  std::string out;
  switch (ref.kind) {
    case Ref::Kind::kSeq:
      out = std::to_string(ref.seq);
      break;
    case Ref::Kind::kHead:
      out = "HEAD";
      break;
    case Ref::Kind::kTag:
      out = ref.name;
      break;
    case Ref::Kind::kHashPrefix:
      out = std::any_of(ref.name.begin(), ref.name.end(), IsHexLetter) ? ref.name : "#" + ref.name;
      break;
    case Ref::Kind::kTime:
      out = "@" + FormatTime(ref.unix_micros);
      if (ref.unix_micros % kMicrosPerDay == 0) out.resize(out.find('T'));  // "@YYYY-MM-DD"
      break;
  }
  if (ref.back > 0) out += fmt::format("~{}", ref.back);
  return out;
}

Result<uint64_t> ResolveRef(const Ref& ref, RefLookup& lookup) {
  const uint64_t head = lookup.HeadSeq();
  STRATA_ASSIGN_OR_RETURN(const uint64_t base, ResolveBase(ref, head, lookup));
  if (base == 0 || base > head) {
    Ref without_back = ref;
    without_back.back = 0;
    return Status::Internal(fmt::format("{} resolved to seq {}, but the log ends at seq {}",
                                        FormatRef(without_back), base, head));
  }
  if (ref.back == 0) return base;
  auto found = lookup.SchemaChangeBack(base, ref.back);
  if (!found.ok()) {
    return found.status().WithContext(fmt::format("resolving {}", FormatRef(ref)));
  }
  if (!found->has_value()) {
    return Status::NotFound(
        fmt::format("{} goes back past the first schema change", FormatRef(ref)));
  }
  if (**found == 0 || **found >= base) {
    return Status::Internal(fmt::format("{} stepped back from seq {} to seq {}", FormatRef(ref),
                                        base, **found));
  }
  return **found;
}

Result<uint64_t> ResolveRef(std::string_view text, RefLookup& lookup) {
  STRATA_ASSIGN_OR_RETURN(const Ref ref, ParseRef(text));
  return ResolveRef(ref, lookup);
}

}  // namespace strata
