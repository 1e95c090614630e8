#include "cli/report_html.h"

namespace strata::cli {

std::string ScriptSafeJson(const nlohmann::json& value) {
  const std::string raw = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(raw.size() + raw.size() / 64);
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    // These bytes only occur inside JSON strings, where a \u escape means the same character.
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < raw.size() && raw[i + 1] == '\x80' &&
               (raw[i + 2] == '\xA8' || raw[i + 2] == '\xA9')) {
      out += raw[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderReportPage(const nlohmann::json& page, const std::string& title) {
  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing may be fetched: the policy forbids every load but the page's own inline parts.
  html +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + HtmlEscape(title) + "</title>\n<style>\n";
  html += ReportStyle();
  html += "</style>\n</head>\n<body>\n<noscript>This report needs JavaScript.</noscript>\n";
  html += "<script type=\"application/json\" id=\"report-data\">";
  html += ScriptSafeJson(page);
  html += "</script>\n<script>\n";
  html += ReportScript();
  html += "</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace strata::cli
