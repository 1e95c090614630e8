// The text of one element in a small XML answer (STS, the query protocol's errors): enough to
// read <Arn>...</Arn> without a general XML parser. Entities &amp; &lt; &gt; &quot; &apos;
// are decoded; nested markup is not expected in the elements read this way.
#pragma once

#include <string>

namespace strata::aws {

// The text of the first <tag>...</tag>, or "" when there is none.
inline std::string XmlElementText(const std::string& xml, const std::string& tag) {
  const std::string open = "<" + tag + ">", close = "</" + tag + ">";
  auto start = xml.find(open);
  if (start == std::string::npos) return "";
  start += open.size();
  auto end = xml.find(close, start);
  if (end == std::string::npos) return "";
  std::string raw = xml.substr(start, end - start), out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      out += raw[i];
      continue;
    }
    auto semi = raw.find(';', i);
    std::string entity = semi == std::string::npos ? "" : raw.substr(i + 1, semi - i - 1);
    const char* c = entity == "amp" ? "&" : entity == "lt" ? "<" : entity == "gt" ? ">"
                    : entity == "quot" ? "\"" : entity == "apos" ? "'" : nullptr;
    if (c == nullptr) {
      out += '&';
      continue;
    }
    out += c;
    i = semi;
  }
  return out;
}

}  // namespace strata::aws
