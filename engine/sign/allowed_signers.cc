#include "engine/sign/allowed_signers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace strata::sign {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

void SkipSpace(std::string_view* s) {
  while (!s->empty() && IsSpace(s->front())) s->remove_prefix(1);
}

// The next whitespace-separated token; double quotes keep spaces inside (principals, options).
Result<std::string> Token(std::string_view* s) {
  SkipSpace(s);
  std::string out;
  bool quoted = false;
  while (!s->empty() && (quoted || !IsSpace(s->front()))) {
    if (s->front() == '"') quoted = !quoted;
    out.push_back(s->front());
    s->remove_prefix(1);
  }
  if (quoted) return Status::InvalidArgument("unterminated quote");
  return out;
}

std::string Unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

std::vector<std::string> SplitCommas(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : s) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

bool Glob(std::string_view name, std::string_view pattern) {
  if (pattern.empty()) return name.empty();
  if (pattern.front() == '*') {
    for (size_t i = 0; i <= name.size(); ++i) {
      if (Glob(name.substr(i), pattern.substr(1))) return true;
    }
    return false;
  }
  if (name.empty()) return false;
  if (pattern.front() != '?' && pattern.front() != name.front()) return false;
  return Glob(name.substr(1), pattern.substr(1));
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Options of one line into `e`; InvalidArgument without the FILE:LINE prefix.
Status ParseOptions(std::string_view text, AllowedSigner* e) {
  for (const std::string& opt : SplitCommas(text)) {
    const size_t eq = opt.find('=');
    std::string name = opt.substr(0, eq);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string value = eq == std::string::npos ? "" : Unquote(opt.substr(eq + 1));
    if (name == "cert-authority") {
      return Status::Unimplemented(
          "cert-authority is not supported: list each signer's own public key");
    }
    if (eq == std::string::npos) {
      return Status::InvalidArgument(fmt::format("unknown option \"{}\"", opt));
    }
    if (name == "namespaces") {
      e->namespaces = SplitCommas(value);
    } else if (name == "valid-after" || name == "valid-before") {
      auto t = ParseSignerTime(value);
      if (!t.ok()) return Status::InvalidArgument(fmt::format("{}: {}", name, t.status().message()));
      (name == "valid-after" ? e->valid_after : e->valid_before) = *t;
    } else {
      return Status::InvalidArgument(fmt::format("unknown option \"{}\"", name));
    }
  }
  return Status::Ok();
}

// Whether a token starts a key (a type name) rather than options.
bool LooksLikeKeyType(std::string_view token) {
  return token.rfind("ssh-", 0) == 0 || token.rfind("ecdsa-", 0) == 0 ||
         token.rfind("sk-", 0) == 0;
}

// The line's signer; nullopt for a key of a type strata does not check (an ECDSA key in a file
// shared with git), which can then never match a signature strata accepts.
Result<std::optional<AllowedSigner>> ParseLine(std::string_view line) {
  AllowedSigner e;
  STRATA_ASSIGN_OR_RETURN(std::string principals, Token(&line));
  e.principals = Unquote(principals);
  std::string_view rest = line;
  // Held as the Result, not moved out of it: gcc 12 takes a string moved out of a Result for
  // uninitialized when it is compared next (a false -Wmaybe-uninitialized).
  Result<std::string> token = Token(&rest);
  STRATA_RETURN_IF_ERROR(token.status());
  const std::string& next = *token;
  if (next.empty()) return Status::InvalidArgument("expected a public key after the principals");
  if (!LooksLikeKeyType(next)) {
    STRATA_RETURN_IF_ERROR(ParseOptions(next, &e));
    line = rest;
  }
  SkipSpace(&line);
  if (line.empty()) return Status::InvalidArgument("expected a public key after the options");
  auto key = ParsePublicKeyLine(line);
  if (!key.ok() && key.status().code() == Code::kUnimplemented) {
    return std::optional<AllowedSigner>();
  }
  STRATA_RETURN_IF_ERROR(key.status());
  e.key = *std::move(key);
  return std::optional<AllowedSigner>(std::move(e));
}

// Calls `each(line, number)` for every line that is neither blank nor a comment.
template <typename F>
Status ForEachLine(std::string_view text, const std::string& file, F each) {
  int number = 0;
  while (!text.empty()) {
    ++number;
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    SkipSpace(&line);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = fmt::format("{}:{}", file, number);
    Status s = each(line, where);
    if (!s.ok()) return Status(s.code(), fmt::format("{}: {}", where, s.message()));
  }
  return Status::Ok();
}

}  // namespace

Result<int64_t> ParseSignerTime(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && (digits.back() == 'Z' || digits.back() == 'z')) digits.remove_suffix(1);
  const bool all_digits = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  if (!all_digits || (digits.size() != 8 && digits.size() != 12 && digits.size() != 14)) {
    return Status::InvalidArgument(fmt::format(
        "\"{}\" is not a time; use YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS (UTC, Z optional)",
        text));
  }
  auto num = [&](size_t at, size_t n) { return std::stoll(std::string(digits.substr(at, n))); };
  const int64_t y = num(0, 4), mo = num(4, 2), d = num(6, 2);
  const int64_t h = digits.size() >= 12 ? num(8, 2) : 0, mi = digits.size() >= 12 ? num(10, 2) : 0;
  const int64_t s = digits.size() == 14 ? num(12, 2) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) {
    return Status::InvalidArgument(fmt::format("\"{}\" is not a valid date and time", text));
  }
  const int64_t seconds = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  return seconds * 1000000;
}

bool MatchPatternList(std::string_view name, const std::vector<std::string>& patterns) {
  bool matched = false;
  for (const std::string& p : patterns) {
    const bool negated = !p.empty() && p.front() == '!';
    if (Glob(name, negated ? std::string_view(p).substr(1) : std::string_view(p))) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

Result<AllowedSigners> ParseAllowedSigners(std::string_view text, const std::string& file) {
  AllowedSigners out;
  STRATA_RETURN_IF_ERROR(ForEachLine(text, file, [&](std::string_view line, const std::string& where) -> Status {
    STRATA_ASSIGN_OR_RETURN(std::optional<AllowedSigner> e, ParseLine(line));
    if (!e) return Status::Ok();
    e->where = where;
    out.entries.push_back(*std::move(e));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<PublicKey>> ParseRevokedKeys(std::string_view text, const std::string& file) {
  std::vector<PublicKey> out;
  STRATA_RETURN_IF_ERROR(ForEachLine(text, file, [&](std::string_view line, const std::string&) -> Status {
    auto key = ParsePublicKeyLine(line);
    if (!key.ok() && key.status().code() == Code::kUnimplemented) return Status::Ok();
    STRATA_RETURN_IF_ERROR(key.status());
    out.push_back(*std::move(key));
    return Status::Ok();
  }));
  return out;
}

}  // namespace strata::sign
