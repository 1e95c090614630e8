#include "adapters/glue/ddl_literal.h"

#include <fmt/format.h>

#include <cstdint>

namespace strata::glue {
namespace {

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of "\uXXXX" at `at` (the backslash), or -1 when four hex digits do not follow.
int32_t CodeUnitAt(std::string_view body, size_t at) {
  if (at + 6 > body.size() || body[at + 1] != 'u') return -1;
  int32_t unit = 0;
  for (size_t i = at + 2; i < at + 6; ++i) {
    int d = HexDigit(body[i]);
    if (d < 0) return -1;
    unit = unit * 16 + d;
  }
  return unit;
}

bool IsOctal(char c, char max) { return c >= '0' && c <= max; }

// Hive's octal escape: a backslash and three octal digits, the first 0 or 1, so at most 0177.
bool IsOctalEscape(std::string_view body, size_t at) {
  return at + 4 <= body.size() && IsOctal(body[at + 1], '1') && IsOctal(body[at + 2], '7') &&
         IsOctal(body[at + 3], '7');
}

// What a backslash before `c` stands for, when it is not \u or an octal escape.
std::string_view SimpleEscape(char c) {
  switch (c) {
    case '0': return std::string_view("\0", 1);
    case '\'': return "'";
    case '"': return "\"";
    case 'b': return "\b";
    case 'n': return "\n";
    case 'r': return "\r";
    case 't': return "\t";
    case 'Z': return "\x1A";
    case '\\': return "\\";
    // Hive keeps these two as MySQL does, for LIKE patterns.
    case '%': return "\\%";
    case '_': return "\\_";
    default: return {};
  }
}

Status BadEscape(size_t at, size_t* bad_offset, std::string message) {
  if (bad_offset != nullptr) *bad_offset = at;
  return Status::InvalidArgument(std::move(message));
}

// Reads "\uXXXX" (and the low half that must follow a high surrogate) at `*at`; advances past it.
Status UnicodeEscape(std::string_view body, size_t* at, size_t* bad_offset, std::string* out) {
  const int32_t unit = CodeUnitAt(body, *at);
  if (unit < 0) {
    return BadEscape(*at, bad_offset,
                     "\\u must be followed by four hexadecimal digits (\\u00e9 is \xC3\xA9); write "
                     "\\\\u for a backslash and a u");
  }
  if (unit >= 0xDC00 && unit <= 0xDFFF) {
    return BadEscape(*at, bad_offset,
                     fmt::format("\\u{:04X} is the second half of a surrogate pair without its "
                                 "first; write the character itself",
                                 unit));
  }
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    const int32_t low = CodeUnitAt(body, *at + 6);
    if (low < 0xDC00 || low > 0xDFFF) {
      return BadEscape(*at, bad_offset,
                       fmt::format("\\u{:04X} is the first half of a surrogate pair and must be "
                                   "followed by its second half (\\uDC00 to \\uDFFF)",
                                   unit));
    }
    AppendUtf8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), out);
    *at += 12;
    return Status::Ok();
  }
  AppendUtf8(static_cast<uint32_t>(unit), out);
  *at += 6;
  return Status::Ok();
}

}  // namespace

Result<std::string> UnescapeHiveString(std::string_view body, size_t* bad_offset) {
  std::string out;
  out.reserve(body.size());
  size_t i = 0;
  while (i < body.size()) {
    const char c = body[i];
    if (c != '\\' || i + 1 >= body.size()) {
      out.push_back(c);
      ++i;
    } else if (body[i + 1] == 'u') {
      STRATA_RETURN_IF_ERROR(UnicodeEscape(body, &i, bad_offset, &out));
    } else if (IsOctalEscape(body, i)) {
      out.push_back(static_cast<char>((body[i + 1] - '0') * 64 + (body[i + 2] - '0') * 8 +
                                      (body[i + 3] - '0')));
      i += 4;
    } else {
      std::string_view simple = SimpleEscape(body[i + 1]);
      if (simple.empty()) {
        out.push_back(body[i + 1]);  // Hive drops the backslash of an unknown escape
      } else {
        out.append(simple);
      }
      i += 2;
    }
  }
  return out;
}

std::string QuoteHiveString(std::string_view value) {
  std::string out = "'";
  out.reserve(value.size() + 2);
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\'': out += "\\'"; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        // Always three digits: "\0" followed by a digit would read as a longer octal escape.
        if (u < 0x20 || u == 0x7F) {
          out += fmt::format("\\{:03o}", u);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('\'');
  return out;
}

}  // namespace strata::glue
