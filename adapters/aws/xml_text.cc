#include "adapters/aws/xml_text.h"

#include <cstdlib>

namespace strata::aws {
namespace {

struct Span {
  size_t content_begin = 0;
  size_t content_end = 0;
};

bool IsNameEnd(char c) { return c == '>' || c == ' ' || c == '/' || c == '\t' || c == '\n' || c == '\r'; }

// Where the tag at `lt` (just past '<') names `name`, allowing a namespace prefix.
bool TagNames(std::string_view xml, size_t pos, std::string_view name) {
  size_t end = pos;
  while (end < xml.size() && !IsNameEnd(xml[end])) ++end;
  std::string_view tag = xml.substr(pos, end - pos);
  if (size_t colon = tag.find(':'); colon != std::string_view::npos) tag.remove_prefix(colon + 1);
  return tag == name;
}

std::optional<Span> FindElement(std::string_view xml, std::string_view name) {
  size_t pos = 0;
  while ((pos = xml.find('<', pos)) != std::string_view::npos) {
    ++pos;
    if (pos >= xml.size() || xml[pos] == '/' || xml[pos] == '?' || xml[pos] == '!') continue;
    if (!TagNames(xml, pos, name)) continue;
    size_t open_end = xml.find('>', pos);
    if (open_end == std::string_view::npos) return std::nullopt;
    if (xml[open_end - 1] == '/') return Span{open_end + 1, open_end + 1};  // <name/>
    // The matching close tag: the first </name> or </prefix:name> after it.
    size_t search = open_end + 1;
    while ((search = xml.find("</", search)) != std::string_view::npos) {
      if (TagNames(xml, search + 2, name)) return Span{open_end + 1, search};
      search += 2;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> XmlText(std::string_view xml, std::string_view name,
                                   std::string_view parent) {
  if (!parent.empty()) {
    std::optional<Span> outer = FindElement(xml, parent);
    if (!outer) return std::nullopt;
    xml = xml.substr(outer->content_begin, outer->content_end - outer->content_begin);
  }
  std::optional<Span> span = FindElement(xml, name);
  if (!span) return std::nullopt;
  return XmlUnescape(xml.substr(span->content_begin, span->content_end - span->content_begin));
}

std::string XmlUnescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += text[i];
      continue;
    }
    std::string_view entity = text.substr(i + 1, semi - i - 1);
    if (entity == "lt") out += '<';
    else if (entity == "gt") out += '>';
    else if (entity == "amp") out += '&';
    else if (entity == "quot") out += '"';
    else if (entity == "apos") out += '\'';
    else if (entity.size() > 1 && entity[0] == '#') {
      bool hex = entity[1] == 'x' || entity[1] == 'X';
      std::string digits(entity.substr(hex ? 2 : 1));
      char* end = nullptr;
      unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      if (digits.empty() || *end != '\0' || cp > 0x10FFFF) {
        out += text[i];
        continue;
      }
      // UTF-8 encoding of the code point.
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
    } else {
      out += text[i];
      continue;
    }
    i = semi;
  }
  return out;
}

}  // namespace strata::aws
